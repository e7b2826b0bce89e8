use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::UnstakeCancelled,
    state::{ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct CancelUnstake<'info> {
    pub owner: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = reward_vault,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = provider_stake.bump,
        has_one = owner @ StakingError::NotStakeOwner,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl CancelUnstake<'_> {
    /// Returning to active stake is new business: refused while paused.
    pub fn validate(&self) -> Result<()> {
        require!(!self.pool.paused, StakingError::PoolPaused);
        require!(self.provider_stake.unbonding > 0, StakingError::NothingUnbonding);
        Ok(())
    }
}

/// Returns all unbonding stake to active stake, where it warms up again before it earns.
pub fn handler(ctx: Context<CancelUnstake>) -> Result<()> {
    ctx.accounts.validate()?;
    let pool = &mut ctx.accounts.pool;
    let stake = &mut ctx.accounts.provider_stake;
    let key = pool.key();
    pool.sync_rewards(key, ctx.accounts.reward_vault.amount)?;
    stake.settle(pool)?;
    let weight = stake.weight();
    let amount = stake.unbonding;
    // Back to active stake, warming up like a deposit: unbonding stake earned nothing, and it
    // must not earn the hours it spent unbonding because a crank happens to run after it returns.
    stake.add_warming(pool, amount, Clock::get()?.unix_timestamp)?;
    require!(stake.active >= pool.min_stake, StakingError::BelowMinStake);
    stake.unbonding = 0;
    stake.unbonding_ready_at = 0;
    pool.total_unbonding =
        pool.total_unbonding.checked_sub(amount).ok_or(StakingError::MathOverflow)?;
    stake.rebase(pool, weight)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(UnstakeCancelled {
        pool: key,
        owner: stake.owner,
        amount,
        active: stake.active,
        total_active: pool.total_active,
        warming: stake.warming,
        warm_at: stake.warm_at()?,
    });
    Ok(())
}
