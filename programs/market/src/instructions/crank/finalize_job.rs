use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_staking::{
    program::CrucibleStaking,
    state::{ProviderStake, StakePool},
};

use crate::{
    collateral::Collateral,
    error::MarketError,
    escrow::Escrow,
    settlement,
    state::{Job, JobState, Market, MarketConfig},
};

#[derive(Accounts)]
pub struct FinalizeJob<'info> {
    /// Anyone: the crank that settles after the dispute window.
    pub cranker: Signer<'info>,

    /// CHECK: the job's client (checked by `has_one` on the job); receives the rent.
    #[account(mut)]
    pub client: UncheckedAccount<'info>,

    #[account(seeds = [MarketConfig::SEED], bump = config.bump, has_one = fee_vault @ MarketError::WrongFeeVault)]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(
        has_one = mint @ MarketError::WrongMint,
        has_one = token_program @ MarketError::WrongTokenProgram,
        has_one = staking_pool @ MarketError::ForeignStakeAccount,
    )]
    pub market: Box<Account<'info, Market>>,

    #[account(
        mut,
        close = client,
        seeds = [Job::SEED, market.key().as_ref(), client.key().as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
        has_one = client @ MarketError::NotJobClient,
    )]
    pub job: Box<Account<'info, Job>>,

    #[account(mut, seeds = [Job::ESCROW_SEED, job.key().as_ref()], bump = job.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Writable: the burn lowers its supply.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// The config's fee vault (a PDA of this program): receives the fee.
    #[account(mut)]
    pub fee_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        constraint = provider_token.owner == job.provider @ MarketError::WrongProviderAccount,
        constraint = provider_token.mint == market.mint @ MarketError::WrongMint,
    )]
    pub provider_token: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, market.staking_pool.as_ref(), job.provider.as_ref()],
        bump = provider_stake.bump,
        seeds::program = staking_program.key(),
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    pub staking_pool: Box<Account<'info, StakePool>>,

    /// CHECK: the collateral PDA `["collateral"]` (seeds checked), the pool's locker.
    #[account(seeds = [MarketConfig::COLLATERAL_SEED], bump = market.collateral_bump)]
    pub collateral_authority: UncheckedAccount<'info>,

    pub staking_program: Program<'info, CrucibleStaking>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Settles a submitted result nobody disputed, once the dispute window has passed.
pub fn handler(ctx: Context<FinalizeJob>) -> Result<()> {
    let a = &ctx.accounts;
    require!(a.job.state == JobState::Submitted, MarketError::JobNotSubmitted);
    require!(Clock::get()?.unix_timestamp > a.job.dispute_deadline, MarketError::DisputeWindowOpen);
    let escrow = Escrow {
        job: &a.job,
        escrow: a.escrow.to_account_info(),
        mint: a.mint.to_account_info(),
        token_program: a.token_program.to_account_info(),
        decimals: a.mint.decimals,
    };
    let collateral = Collateral {
        staking_program: a.staking_program.to_account_info(),
        authority: a.collateral_authority.to_account_info(),
        pool: a.staking_pool.to_account_info(),
        provider_stake: a.provider_stake.to_account_info(),
        bump: a.market.collateral_bump,
    };
    settlement::complete(
        &a.job,
        &escrow,
        a.escrow.amount,
        &a.fee_vault.to_account_info(),
        &a.provider_token.to_account_info(),
        &a.client.to_account_info(),
        &collateral,
        true,
    )
}
