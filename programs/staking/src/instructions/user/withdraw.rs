use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::Withdrawn,
    state::{ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub owner: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = mint @ StakingError::WrongMint,
        has_one = stake_vault,
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
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

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

impl Withdraw<'_> {
    /// Allowed while the pool is paused: a pause stops new business, never exits.
    pub fn validate(&self, now: i64) -> Result<()> {
        require!(self.provider_stake.unbonding > 0, StakingError::NothingUnbonding);
        require!(now >= self.provider_stake.unbonding_ready_at, StakingError::UnbondingNotElapsed);
        Ok(())
    }
}

pub fn handler(ctx: Context<Withdraw>) -> Result<()> {
    ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
    let accounts = ctx.accounts;
    let pool = &mut accounts.pool;
    let stake = &mut accounts.provider_stake;

    let amount = stake.unbonding;
    stake.unbonding = 0;
    pool.total_unbonding =
        pool.total_unbonding.checked_sub(amount).ok_or(StakingError::MathOverflow)?;

    crate::token::PoolVault {
        pool,
        vault: accounts.stake_vault.to_account_info(),
        mint: accounts.mint.to_account_info(),
        token_program: accounts.token_program.to_account_info(),
        decimals: accounts.mint.decimals,
    }
    .transfer(accounts.destination.to_account_info(), amount)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(Withdrawn {
        pool: pool.key(),
        owner: stake.owner,
        amount,
        destination: accounts.destination.key(),
    });
    Ok(())
}
