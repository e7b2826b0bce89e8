use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::UnstakeCancelled, math::SafeMath};

#[derive(Accounts)]
pub struct CancelUnstake<'info> {
    pub stake: OwnerStake<'info>,

    /// Synced first: the returned stake's hours before now belong to the stake of their time.
    #[account(address = stake.pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl CancelUnstake<'_> {
    /// Returning to active stake is new business: refused while paused.
    pub fn validate(&self) -> Result<()> {
        require!(!self.stake.pool.paused, StakingError::PoolPaused);
        require!(self.stake.provider_stake.unbonding > 0, StakingError::NothingUnbonding);
        Ok(())
    }
}

/// Returns all unbonding stake to active stake, where it warms up again before it earns.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CancelUnstake>) -> Result<()> {
    let OwnerStake { pool, provider_stake: stake, .. } = &mut ctx.accounts.stake;
    let key = pool.key();
    let weight = stake.sync_and_settle(pool, ctx.accounts.reward_vault.amount)?;
    let amount = stake.unbonding;
    // Back to active stake, warming up like a deposit: unbonding stake earned nothing, and it
    // must not earn the hours it spent unbonding because a crank happens to run after it returns.
    stake.add_warming(pool, amount, Clock::get()?.unix_timestamp)?;
    require!(stake.active >= pool.min_stake, StakingError::BelowMinStake);
    stake.unbonding = 0;
    stake.unbonding_ready_at = 0;
    pool.total_unbonding = pool.total_unbonding.safe_sub(amount)?;
    stake.rebase(pool, weight)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    let (active, total_active, warming, warm_at) = stake.warming_figures(pool)?;
    let (pool, owner) = (key, stake.owner);
    emit!(UnstakeCancelled { pool, owner, amount, active, total_active, warming, warm_at });
    Ok(())
}
