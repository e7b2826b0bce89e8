use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::CollateralLocked,
    state::{ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct LockCollateral<'info> {
    /// The pool's registered locker: the market's `["collateral"]` PDA, signing through CPI.
    pub locker: Signer<'info>,

    /// Read only: locks never write the pool, so independent jobs share no hot account.
    #[account(
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = locker @ StakingError::NotLocker,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), provider_stake.owner.as_ref()],
        bump = provider_stake.bump,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,
}

impl LockCollateral<'_> {
    pub fn validate(&self, amount: u64) -> Result<()> {
        require!(!self.pool.paused, StakingError::PoolPaused);
        require!(amount > 0, StakingError::ZeroAmount);
        require!(amount <= self.provider_stake.free(), StakingError::InsufficientFreeStake);
        Ok(())
    }
}

/// Locks `amount` of the provider's free stake as collateral for a job.
pub fn handler(ctx: Context<LockCollateral>, amount: u64) -> Result<()> {
    ctx.accounts.validate(amount)?;
    let pool = &ctx.accounts.pool;
    let stake = &mut ctx.accounts.provider_stake;
    stake.locked += amount; // amount <= active - locked (validated)
    stake.invariant(pool)?;
    emit!(CollateralLocked { pool: pool.key(), owner: stake.owner, amount, locked: stake.locked });
    Ok(())
}
