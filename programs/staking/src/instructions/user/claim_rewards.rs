use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::RewardsClaimed,
    state::{ProviderStake, StakePool},
    token::PoolVault,
};

#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    pub owner: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = mint @ StakingError::WrongMint,
        has_one = reward_vault,
        has_one = token_program @ StakingError::WrongTokenProgram,
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

    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any account of the pool's mint, chosen by the owner.
    #[account(
        mut,
        constraint = destination.mint == pool.mint @ StakingError::WrongMint,
        constraint = destination.key() != pool.stake_vault
            && destination.key() != pool.reward_vault @ StakingError::DestinationIsPoolVault,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
}

/// Pays all settled rewards. Allowed while paused (an exit).
pub fn handler(ctx: Context<ClaimRewards>) -> Result<()> {
    let accounts = ctx.accounts;
    let pool = &mut accounts.pool;
    let stake = &mut accounts.provider_stake;
    let key = pool.key();
    pool.sync_rewards(key, accounts.reward_vault.amount)?;
    stake.settle(pool)?;

    let amount = stake.rewards_pending;
    require!(amount > 0, StakingError::NothingToClaim);
    stake.rewards_pending = 0;
    stake.rewards_claimed =
        stake.rewards_claimed.checked_add(amount).ok_or(StakingError::MathOverflow)?;
    pool.release_rewards(amount)?;
    PoolVault {
        pool,
        vault: accounts.reward_vault.to_account_info(),
        mint: accounts.mint.to_account_info(),
        token_program: accounts.token_program.to_account_info(),
        decimals: accounts.mint.decimals,
    }
    .transfer(accounts.destination.to_account_info(), amount)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(RewardsClaimed {
        pool: key,
        owner: stake.owner,
        amount,
        destination: accounts.destination.key(),
        rewards_claimed: stake.rewards_claimed,
    });
    Ok(())
}
