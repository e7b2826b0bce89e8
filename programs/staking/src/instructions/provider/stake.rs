use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, token::TokenAccountRef};

use crate::{
    error::StakingError,
    events::Staked,
    state::{ProviderStake, StakePool},
};

#[derive(Accounts)]
pub struct Stake<'info> {
    /// The provider; pays the stake account's rent the first time.
    #[account(mut)]
    pub owner: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = mint @ StakingError::WrongMint,
        has_one = stake_vault,
        has_one = reward_vault,
        has_one = token_program @ StakingError::WrongTokenProgram,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        init_if_needed,
        payer = owner,
        space = 8 + ProviderStake::INIT_SPACE,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Where the stake comes from: any account of the pool's mint the owner controls.
    #[account(
        mut,
        constraint = source.mint == pool.mint @ StakingError::WrongMint,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl Stake<'_> {
    pub fn validate(&self, amount: u64) -> Result<()> {
        require!(!self.pool.paused, StakingError::PoolPaused);
        require!(amount > 0, StakingError::ZeroAmount);
        Ok(())
    }
}

#[access_control(ctx.accounts.validate(amount))]
pub fn handler(ctx: Context<Stake>, amount: u64) -> Result<()> {
    let accounts = ctx.accounts;

    let stake = &mut accounts.provider_stake;
    if stake.owner == Pubkey::default() {
        stake.pool = accounts.pool.key();
        stake.owner = accounts.owner.key();
        stake.bump = ctx.bumps.provider_stake;
    }

    let pool = &mut accounts.pool;
    let weight = stake.sync_and_settle(pool, accounts.reward_vault.amount)?;
    // New stake backs jobs at once but earns only once activated, an hour from now: the
    // hours before it, paid whenever a crank runs, belong to the stake that was there.
    stake.add_warming(pool, amount, Clock::get()?.unix_timestamp)?;
    require!(stake.active >= pool.min_stake, StakingError::BelowMinStake);
    stake.rebase(pool, weight)?;

    // The owner signs the transaction for its own token account.
    TokenAccountRef {
        token_program: &accounts.token_program.to_account_info(),
        mint: &accounts.mint.to_account_info(),
        decimals: accounts.mint.decimals,
        account: &accounts.source.to_account_info(),
        authority: &accounts.owner.to_account_info(),
        signer_seeds: &[],
    }
    .transfer(&accounts.stake_vault.to_account_info(), amount)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    let (active, total_active, warming, warm_at) = stake.warming_figures(pool)?;
    let (pool, owner) = (pool.key(), stake.owner);
    emit!(Staked { pool, owner, amount, active, total_active, warming, warm_at });
    Ok(())
}
