use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{error::StakingError, events::UnallocatedSwept, state::StakePool, token::PoolVault};

#[derive(Accounts)]
pub struct SweepUnallocated<'info> {
    pub admin: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = admin @ StakingError::NotAdmin,
        has_one = mint @ StakingError::WrongMint,
        has_one = reward_vault,
        has_one = token_program @ StakingError::WrongTokenProgram,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        constraint = destination.mint == pool.mint @ StakingError::WrongMint,
        constraint = destination.key() != pool.stake_vault
            && destination.key() != pool.reward_vault @ StakingError::DestinationIsPoolVault,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
}

/// Pays the rewards that arrived while nobody was staked to `destination`. What providers
/// are owed is never touched.
pub fn handler(ctx: Context<SweepUnallocated>) -> Result<()> {
    let accounts = ctx.accounts;
    let pool = &mut accounts.pool;
    let key = pool.key();
    pool.sync_rewards(key, accounts.reward_vault.amount)?;
    let amount = pool.unallocated_rewards;
    require!(amount > 0, StakingError::NothingToSweep);
    pool.unallocated_rewards = 0;
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
    emit!(UnallocatedSwept { pool: key, amount, destination: accounts.destination.key() });
    Ok(())
}
