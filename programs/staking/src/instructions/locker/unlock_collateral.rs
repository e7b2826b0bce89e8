use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::CollateralUnlocked, math::SafeMath, state::JobOutcome};

#[derive(Accounts)]
pub struct UnlockCollateral<'info> {
    pub collateral: LockerStake<'info>,
}

impl UnlockCollateral<'_> {
    pub fn validate(&self, amount: u64) -> Result<()> {
        require!(
            amount <= self.collateral.provider_stake.locked,
            StakingError::UnlockExceedsLocked
        );
        Ok(())
    }
}

/// Releases `amount` of locked collateral and counts the job's outcome. Allowed while
/// paused. An `amount` of zero only records the outcome (a job whose collateral was slashed
/// in full).
#[access_control(ctx.accounts.validate(amount))]
pub fn handler(ctx: Context<UnlockCollateral>, amount: u64, outcome: JobOutcome) -> Result<()> {
    let LockerStake { pool, provider_stake: stake, .. } = &mut ctx.accounts.collateral;
    stake.locked -= amount; // amount <= locked (validated)
    match outcome {
        JobOutcome::Completed => stake.jobs_completed = stake.jobs_completed.safe_add(1)?,
        JobOutcome::Failed => stake.jobs_failed = stake.jobs_failed.safe_add(1)?,
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
