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
