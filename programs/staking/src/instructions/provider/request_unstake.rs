use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{
    error::StakingError,
    events::UnstakeRequested,
    math::{OrOverflow, SafeMath},
};

#[derive(Accounts)]
pub struct RequestUnstake<'info> {
    pub stake: OwnerStake<'info>,

    #[account(address = stake.pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl RequestUnstake<'_> {
    /// Allowed while the pool is paused: a pause stops new business, never exits.
    pub fn validate(&self, amount: u64) -> Result<()> {
        let stake = &self.stake.provider_stake;
        require!(amount > 0, StakingError::ZeroAmount);
        require!(amount <= stake.free(), StakingError::InsufficientFreeStake);
        let remaining = stake.active - amount;
        require!(
            remaining == 0 || remaining >= self.stake.pool.min_stake,
            StakingError::BelowMinStake
        );
        Ok(())
    }
}

#[access_control(ctx.accounts.validate(amount))]
pub fn handler(ctx: Context<RequestUnstake>, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let OwnerStake { pool, provider_stake: stake, .. } = &mut ctx.accounts.stake;

    let key = pool.key();
    let weight = stake.sync_and_settle(pool, ctx.accounts.reward_vault.amount)?;
    stake.remove_active(pool, amount)?; // amount <= free <= active (validated)
    stake.unbonding = stake.unbonding.safe_add(amount)?;
    let delay = i64::try_from(pool.unbonding_secs).ok().or_overflow()?;
    stake.unbonding_ready_at = now.safe_add(delay)?;
    pool.total_unbonding = pool.total_unbonding.safe_add(amount)?;
    stake.rebase(pool, weight)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(UnstakeRequested {
        pool: key,
        owner: stake.owner,
        amount,
        active: stake.active,
        unbonding: stake.unbonding,
        ready_at: stake.unbonding_ready_at,
    });
    Ok(())
}
