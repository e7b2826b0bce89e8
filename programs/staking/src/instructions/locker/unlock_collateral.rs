use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::CollateralUnlocked,
    state::{JobOutcome, ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct UnlockCollateral<'info> {
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

/// Releases `amount` of locked collateral and counts the job's outcome. Allowed while
/// paused. An `amount` of zero only records the outcome (a job whose collateral was slashed
/// in full).
pub fn handler(ctx: Context<UnlockCollateral>, amount: u64, outcome: JobOutcome) -> Result<()> {
    let pool = &ctx.accounts.pool;
    let stake = &mut ctx.accounts.provider_stake;
    require!(amount <= stake.locked, StakingError::UnlockExceedsLocked);
    stake.locked -= amount;
    match outcome {
        JobOutcome::Completed => {
            stake.jobs_completed =
                stake.jobs_completed.checked_add(1).ok_or(StakingError::MathOverflow)?
        }
        JobOutcome::Failed => {
            stake.jobs_failed =
                stake.jobs_failed.checked_add(1).ok_or(StakingError::MathOverflow)?
        }
        JobOutcome::Released => {}
    }
    stake.invariant(pool)?;
    emit!(CollateralUnlocked {
        pool: pool.key(),
        owner: stake.owner,
        amount,
        outcome,
        locked: stake.locked,
        jobs_completed: stake.jobs_completed,
        jobs_failed: stake.jobs_failed,
    });
    Ok(())
}
