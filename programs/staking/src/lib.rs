//! Crucible staking: provider collateral, unbonding, locks held by the market, slashing and
//! stake-weighted rewards. See DESIGN.md ("Program: staking") and this crate's README.
#![allow(unexpected_cfgs)]

pub mod error;
pub mod events;
pub mod instructions;
pub mod math;
pub mod sources;
pub mod state;
pub mod token;
pub mod types;

use anchor_lang::prelude::*;

pub use instructions::*;
pub use state::JobOutcome;

declare_id!("HuFhSgaUJyRVziJJwn9zHEmDib5rZWwfvEGyA6febnTn");

#[program]
pub mod crucible_staking {
    use super::*;

    // --- admin ---

    /// Creates the staking pool of a mint, with its stake and reward vaults. Signed by the
    /// mint authority, who becomes the pool admin.
    pub fn init_pool(ctx: Context<InitPool>, args: InitPoolArgs) -> Result<()> {
        instructions::admin::init_pool::handler(ctx, args)
    }

    /// Changes the minimum stake and/or the unbonding delay, within their bounds.
    pub fn update_pool(ctx: Context<UpdatePool>, args: UpdatePoolArgs) -> Result<()> {
        instructions::admin::update_pool::handler(ctx, args)
    }

    /// Proposes a new admin; the transfer completes when that key calls `accept_admin`.
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        instructions::admin::propose_admin::handler(ctx, new_admin)
    }

    /// Completes an admin transfer, signed by the proposed admin.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::admin::accept_admin::handler(ctx)
    }

    /// Pauses or resumes new business (stake, cancel_unstake, lock); exits always work.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::admin::set_paused::handler(ctx, paused)
    }

    /// Pays the rewards that arrived while nobody was staked to a token account.
    pub fn sweep_unallocated(ctx: Context<SweepUnallocated>) -> Result<()> {
        instructions::admin::sweep_unallocated::handler(ctx)
    }

    /// Registers an emission vault that pays the reward vault as a reward source: stake is
    /// activated only once every source has paid every hour due.
    pub fn add_reward_source(ctx: Context<AddRewardSource>) -> Result<()> {
        instructions::admin::add_reward_source::handler(ctx)
    }

    /// Unregisters a reward source that has ended or no longer pays the pool, every hour due
    /// paid.
    pub fn remove_reward_source(ctx: Context<RemoveRewardSource>) -> Result<()> {
        instructions::admin::remove_reward_source::handler(ctx)
    }

    // --- providers ---

    /// Stakes `amount` tokens as a provider's collateral (opening the stake account if needed).
    pub fn stake(ctx: Context<Stake>, amount: u64) -> Result<()> {
        instructions::provider::stake::handler(ctx, amount)
    }

    /// Moves `amount` of free (unlocked) stake to unbonding and restarts the unbonding timer.
    pub fn request_unstake(ctx: Context<RequestUnstake>, amount: u64) -> Result<()> {
        instructions::provider::request_unstake::handler(ctx, amount)
    }

    /// Returns all unbonding stake to active stake.
    pub fn cancel_unstake(ctx: Context<CancelUnstake>) -> Result<()> {
        instructions::provider::cancel_unstake::handler(ctx)
    }

    /// Pays out all unbonding stake once the unbonding delay has passed.
    pub fn withdraw(ctx: Context<Withdraw>) -> Result<()> {
        instructions::provider::withdraw::handler(ctx)
    }

    /// Pays the provider's settled rewards to a token account.
    pub fn claim_rewards(ctx: Context<ClaimRewards>) -> Result<()> {
        instructions::provider::claim_rewards::handler(ctx)
    }

    /// Closes an empty stake account, returning its rent to the owner.
    pub fn close_stake(ctx: Context<CloseStake>) -> Result<()> {
        instructions::provider::close_stake::handler(ctx)
    }

    // --- anyone ---

    /// Adds tokens that arrived in the reward vault to the reward accumulator.
    pub fn sync_rewards(ctx: Context<SyncRewards>) -> Result<()> {
        instructions::crank::sync_rewards::handler(ctx)
    }

    /// Makes a provider's stake that finished warming up (one hour) earn from now on, once
    /// every reward source has paid every hour due. Remaining accounts: the reward sources.
    pub fn activate_stake<'info>(
        ctx: Context<'_, '_, '_, 'info, ActivateStake<'info>>,
    ) -> Result<()> {
        instructions::crank::activate_stake::handler(ctx)
    }

    // --- the registered locker only (the market, through CPI) ---

    /// Locks `amount` of a provider's free stake as job collateral.
    pub fn lock_collateral(ctx: Context<LockCollateral>, amount: u64) -> Result<()> {
        instructions::locker::lock_collateral::handler(ctx, amount)
    }

    /// Unlocks `amount` of collateral and records the job's outcome on the provider.
    pub fn unlock_collateral(
        ctx: Context<UnlockCollateral>,
        amount: u64,
        outcome: JobOutcome,
    ) -> Result<()> {
        instructions::locker::unlock_collateral::handler(ctx, amount, outcome)
    }

    /// Slashes `amount` (locked first, then unbonding) to a token account or burns it.
    pub fn slash(ctx: Context<Slash>, amount: u64, burn: bool) -> Result<()> {
        instructions::locker::slash::handler(ctx, amount, burn)
    }
}
