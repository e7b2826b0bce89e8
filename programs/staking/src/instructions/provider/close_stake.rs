use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::StakeClosed,
    state::{ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct CloseStake<'info> {
    /// Receives the stake account's rent.
    #[account(mut)]
    pub owner: Signer<'info>,

    #[account(mut, seeds = [StakePool::SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        mut,
        close = owner,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = provider_stake.bump,
        has_one = owner @ StakingError::NotStakeOwner,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    /// Synced first: rewards that arrived before the close are settled to the stake.
    #[account(address = pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl CloseStake<'_> {
    /// Empty: no stake, nothing unbonding, no unclaimed rewards. With no active stake the
    /// stake earns nothing, so the settlement in the handler cannot add any.
    pub fn validate(&self) -> Result<()> {
        let stake = &self.provider_stake;
        require!(
            stake.active == 0
                && stake.locked == 0
                && stake.unbonding == 0
                && stake.rewards_pending == 0,
            StakingError::StakeNotEmpty
        );
        Ok(())
    }
}

/// Closes an empty stake account, returning its rent to the owner.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CloseStake>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let stake = &mut ctx.accounts.provider_stake;
    let key = pool.key();
    stake.sync_and_settle(pool, ctx.accounts.reward_vault.amount)?;
    pool.invariant()?;
    emit!(StakeClosed {
        pool: key,
        owner: stake.owner,
        rewards_claimed: stake.rewards_claimed,
        slashed_total: stake.slashed_total,
    });
    Ok(())
}
