use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::CollateralLocked};

#[derive(Accounts)]
pub struct LockCollateral<'info> {
    pub collateral: LockerStake<'info>,
}

impl LockCollateral<'_> {
    pub fn validate(&self, amount: u64) -> Result<()> {
        require!(!self.collateral.pool.paused, StakingError::PoolPaused);
        require!(amount > 0, StakingError::ZeroAmount);
        require!(
            amount <= self.collateral.provider_stake.free(),
            StakingError::InsufficientFreeStake
        );
        Ok(())
    }
}

/// Locks `amount` of the provider's free stake as collateral for a job.
#[access_control(ctx.accounts.validate(amount))]
pub fn handler(ctx: Context<LockCollateral>, amount: u64) -> Result<()> {
    let LockerStake { pool, provider_stake: stake, .. } = &mut ctx.accounts.collateral;
    stake.locked += amount; // amount <= active - locked (validated)
    stake.invariant(pool)?;
    emit!(CollateralLocked { pool: pool.key(), owner: stake.owner, amount, locked: stake.locked });
    Ok(())
}
