use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::StakeActivated,
    sources,
    state::{ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct ActivateStake<'info> {
    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = reward_vault,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), provider_stake.owner.as_ref()],
        bump = provider_stake.bump,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    // Remaining accounts: the pool's reward sources (emission vaults), in order, read-only.
}

impl ActivateStake<'_> {
    pub fn validate(&self, now: i64) -> Result<()> {
        let stake = &self.provider_stake;
        require!(stake.warming > 0, StakingError::NothingWarming);
        require!(now >= stake.warm_at()?, StakingError::StillWarming);
        Ok(())
    }
}

/// Makes a provider's warmed-up stake earn (permissionless: the provider, a crank, anyone).
/// The hours before now are first brought into the accumulator: every reward source must have
/// paid every hour due (bundle their `emit` first), and what they paid is synced. Allowed
/// while paused: it only changes who shares the rewards of the hours to come.
pub fn handler<'info>(ctx: Context<'_, '_, '_, 'info, ActivateStake<'info>>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(now)?;
    let accounts = ctx.accounts;
    let pool = &mut accounts.pool;
    sources::require_caught_up(pool, ctx.remaining_accounts, now)?;
    let stake = &mut accounts.provider_stake;
    let key = pool.key();
    pool.sync_rewards(key, accounts.reward_vault.amount)?;
    stake.settle(pool)?;
    let weight = stake.weight();
    let amount = stake.activate(pool)?;
    stake.rebase(pool, weight)?;
    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(StakeActivated {
        pool: key,
        owner: stake.owner,
        amount,
        weight: stake.weight(),
        total_weight: pool.reward_weight(),
    });
    Ok(())
}
