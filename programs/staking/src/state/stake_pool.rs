use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crucible_common::emit;

use crate::{
    error::StakingError,
    events::RewardsSynced,
    math::{self, OrOverflow, SafeMath},
};

/// The staking pool of one mint. PDA `["pool", mint]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct StakePool {
    pub admin: Pubkey,
    /// Proposed next admin (two-step transfer); `Pubkey::default()` when none.
    pub pending_admin: Pubkey,
    pub mint: Pubkey,
    /// SPL Token or Token-2022: the owner of `mint`.
    pub token_program: Pubkey,
    /// Token account owned by this pool: all active and unbonding stake.
    pub stake_vault: Pubkey,
    /// Token account owned by this pool: rewards (emission vaults pay into it).
    pub reward_vault: Pubkey,
    /// The market's collateral PDA, the only signer allowed to lock, unlock and slash.
    pub locker: Pubkey,
    pub min_stake: u64,
    pub unbonding_secs: u64,
    pub total_active: u64,
    pub total_unbonding: u64,
    /// Rewards per unit of active stake, Q64.64, floor.
    pub acc_reward_per_share: u128,
    /// Remainder of the accumulator's last division, carried while `total_active` stays
    /// `acc_remainder_base` (see `math::sync`).
    pub acc_remainder: u64,
    pub acc_remainder_base: u64,
    /// Reward vault tokens already accounted for (owed to providers or set aside).
    pub reward_accounted: u64,
    /// Rewards that arrived while nobody was staked; only the admin can sweep them.
    pub unallocated_rewards: u64,
    pub paused: bool,
    pub bump: u8,
    pub stake_vault_bump: u8,
    pub reward_vault_bump: u8,
    /// Part of `total_active` still warming up: deposited, usable as collateral, not yet
    /// earning (see `ProviderStake::warming`).
    pub total_warming: u64,
    /// Emission vaults that pay the reward vault, registered by the admin: stake is activated
    /// only once every one of them has paid every hour due (see `activate_stake`).
    pub reward_source_count: u8,
    pub reward_sources: [Pubkey; MAX_REWARD_SOURCES],
}

/// Most emission vaults a pool tracks as reward sources.
pub const MAX_REWARD_SOURCES: usize = 8;

impl StakePool {
    pub const SEED: &'static [u8] = b"pool";
    pub const STAKE_VAULT_SEED: &'static [u8] = b"stake_vault";
    pub const REWARD_VAULT_SEED: &'static [u8] = b"reward_vault";
    /// Longest unbonding delay accepted: one year.
    pub const MAX_UNBONDING_SECS: u64 = 365 * 24 * 3600;
    /// Shortest unbonding delay accepted: one emission hour, so stake cannot enter and leave
    /// within the hour it would be paid for.
    pub const MIN_UNBONDING_SECS: u64 = 3600;
    /// How long new stake warms up before it can be activated: one emission hour, so the hour
    /// in which it arrived is over (and paid to the stake that was there) for every vault.
    pub const WARMUP_SECS: i64 = 3600;

    /// Signer seeds of the pool PDA (authority of both vaults).
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [Self::SEED, self.mint.as_ref(), core::slice::from_ref(&self.bump)]
    }

    /// Adds what arrived in the reward vault to the accumulator (see `math::sync`) and emits
    /// `RewardsSynced` when anything arrived. `pool` is this account's address.
    pub fn sync_rewards(&mut self, pool: Pubkey, reward_vault_balance: u64) -> Result<()> {
        let sync = math::sync(
            math::Accumulator {
                acc_reward_per_share: self.acc_reward_per_share,
                remainder: self.acc_remainder,
                remainder_base: self.acc_remainder_base,
            },
            self.reward_accounted,
            reward_vault_balance,
            self.reward_weight(),
        )
        .or_overflow()?;
        if sync.arrived == 0 {
            return Ok(());
        }
        self.acc_reward_per_share = sync.acc_reward_per_share;
        self.acc_remainder = sync.remainder;
        self.acc_remainder_base = self.reward_weight();
        self.unallocated_rewards = self.unallocated_rewards.safe_add(sync.unallocated)?;
        self.reward_accounted = reward_vault_balance;
        emit!(RewardsSynced {
            pool,
            amount: sync.arrived,
            unallocated: sync.unallocated,
            acc_reward_per_share: sync.acc_reward_per_share,
        });
        Ok(())
    }

    /// The stake that earns rewards: active stake that has finished warming up.
    pub fn reward_weight(&self) -> u64 {
        self.total_active.saturating_sub(self.total_warming)
    }

    /// The registered reward sources.
    pub fn reward_sources(&self) -> &[Pubkey] {
        &self.reward_sources[..usize::from(self.reward_source_count).min(MAX_REWARD_SOURCES)]
    }

    /// Pays `amount` out of the reward vault's accounting (a claim or a sweep).
    pub fn release_rewards(&mut self, amount: u64) -> Result<()> {
        self.reward_accounted = self.reward_accounted.safe_sub(amount)?;
        Ok(())
    }

    /// Whether `key` is one of the pool's own vaults (never a payout destination).
    pub fn is_own_vault(&self, key: &Pubkey) -> bool {
        *key == self.stake_vault || *key == self.reward_vault
    }

    /// Checks a payout destination (`withdraw`, `claim_rewards`, `sweep_unallocated`, `slash`):
    /// any token account of the pool's mint but the pool's own vaults.
    pub fn check_destination(&self, destination: &InterfaceAccount<TokenAccount>) -> Result<()> {
        require_keys_eq!(destination.mint, self.mint, StakingError::WrongMint);
        require!(!self.is_own_vault(&destination.key()), StakingError::DestinationIsPoolVault);
        Ok(())
    }

    /// Rules across fields that every mutating handler re-checks.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.unallocated_rewards <= self.reward_accounted,
            StakingError::InvariantViolated
        );
        require!(self.min_stake > 0, StakingError::InvariantViolated);
        require!(
            (Self::MIN_UNBONDING_SECS..=Self::MAX_UNBONDING_SECS).contains(&self.unbonding_secs),
            StakingError::InvariantViolated
        );
        require!(self.total_warming <= self.total_active, StakingError::InvariantViolated);
        require!(
            usize::from(self.reward_source_count) <= MAX_REWARD_SOURCES,
            StakingError::InvariantViolated
        );
        Ok(())
    }
}
