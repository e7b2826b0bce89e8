use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::UnstakeRequested,
    state::{ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct RequestUnstake<'info> {
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

impl RequestUnstake<'_> {
    /// Allowed while the pool is paused: a pause stops new business, never exits.
    pub fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, StakingError::ZeroAmount);
        require!(amount <= self.provider_stake.free(), StakingError::InsufficientFreeStake);
        let remaining = self.provider_stake.active - amount;
        require!(remaining == 0 || remaining >= self.pool.min_stake, StakingError::BelowMinStake);
        Ok(())
    }
}

pub fn handler(ctx: Context<RequestUnstake>, amount: u64) -> Result<()> {
    ctx.accounts.validate(amount)?;
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    let stake = &mut ctx.accounts.provider_stake;

    let key = pool.key();
    pool.sync_rewards(key, ctx.accounts.reward_vault.amount)?;
    stake.settle(pool)?;
    let weight = stake.weight();
    stake.remove_active(pool, amount)?; // amount <= free <= active (validated)
    stake.unbonding = stake.unbonding.checked_add(amount).ok_or(StakingError::MathOverflow)?;
    let delay = i64::try_from(pool.unbonding_secs).map_err(|_| StakingError::MathOverflow)?;
    stake.unbonding_ready_at = now.checked_add(delay).ok_or(StakingError::MathOverflow)?;
    pool.total_unbonding =
        pool.total_unbonding.checked_add(amount).ok_or(StakingError::MathOverflow)?;
    stake.rebase(pool, weight)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(UnstakeRequested {
        pool: pool.key(),
        owner: stake.owner,
        amount,
        active: stake.active,
        unbonding: stake.unbonding,
        ready_at: stake.unbonding_ready_at,
    });
    Ok(())
}
