//! One event per state change, named in the past tense, carrying what is needed to recompute
//! derived figures off-chain.
use anchor_lang::prelude::*;

#[event]
pub struct PoolInitialized {
    pub pool: Pubkey,
    pub mint: Pubkey,
    pub admin: Pubkey,
    pub locker: Pubkey,
    pub stake_vault: Pubkey,
    pub reward_vault: Pubkey,
    pub min_stake: u64,
    pub unbonding_secs: u64,
}

#[event]
pub struct Staked {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    /// The provider's active stake after the deposit.
    pub active: u64,
    /// The pool's total active stake after the deposit.
    pub total_active: u64,
    /// The provider's stake still warming up (the deposit included): it earns once activated.
    pub warming: u64,
    /// When that stake can be activated.
    pub warm_at: i64,
}

#[event]
pub struct UnstakeRequested {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub active: u64,
    /// All stake now unbonding for this provider (earlier requests included).
    pub unbonding: u64,
    pub ready_at: i64,
}

#[event]
pub struct Withdrawn {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub destination: Pubkey,
}

#[event]
pub struct RewardsSynced {
    pub pool: Pubkey,
    /// Tokens that arrived in the reward vault since the last sync.
    pub amount: u64,
    /// Of which set aside because nobody was staked.
    pub unallocated: u64,
    pub acc_reward_per_share: u128,
}

#[event]
pub struct PoolUpdated {
    pub pool: Pubkey,
    pub old_min_stake: u64,
    pub new_min_stake: u64,
    pub old_unbonding_secs: u64,
    pub new_unbonding_secs: u64,
}

#[event]
pub struct AdminProposed {
    pub pool: Pubkey,
    pub admin: Pubkey,
    pub old_pending_admin: Pubkey,
    pub new_pending_admin: Pubkey,
}

#[event]
pub struct AdminTransferred {
    pub pool: Pubkey,
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
}

#[event]
pub struct PoolPausedSet {
    pub pool: Pubkey,
    pub old_paused: bool,
    pub new_paused: bool,
}

#[event]
pub struct UnstakeCancelled {
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// Stake returned from unbonding to active.
    pub amount: u64,
    pub active: u64,
    pub total_active: u64,
    /// The provider's stake warming up (the returned stake included).
    pub warming: u64,
    pub warm_at: i64,
}

#[event]
pub struct RewardsClaimed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub destination: Pubkey,
    /// All rewards this provider has claimed so far.
    pub rewards_claimed: u64,
}

#[event]
pub struct StakeClosed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub rewards_claimed: u64,
    pub slashed_total: u64,
}

#[event]
pub struct UnallocatedSwept {
    pub pool: Pubkey,
    pub amount: u64,
    pub destination: Pubkey,
}

#[event]
pub struct CollateralLocked {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    /// The provider's locked collateral after the lock.
    pub locked: u64,
}

#[event]
pub struct CollateralUnlocked {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub outcome: crate::types::JobOutcome,
    pub locked: u64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
}

#[event]
pub struct Slashed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    /// Taken from locked collateral (and so from active stake).
    pub from_locked: u64,
    /// Taken from unbonding stake.
    pub from_unbonding: u64,
    /// Burned rather than paid out.
    pub burned: bool,
    /// The token account paid, or the default key when burned.
    pub destination: Pubkey,
    pub slashed_total: u64,
}

#[event]
pub struct StakeActivated {
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// Stake that finished warming up and earns from now on.
    pub amount: u64,
    /// The provider's earning stake after activation.
    pub weight: u64,
    /// The pool's earning stake after activation.
    pub total_weight: u64,
}

#[event]
pub struct RewardSourceAdded {
    pub pool: Pubkey,
    pub vault: Pubkey,
    pub sources: Vec<Pubkey>,
}

#[event]
pub struct RewardSourceRemoved {
    pub pool: Pubkey,
    pub vault: Pubkey,
    pub sources: Vec<Pubkey>,
}
