use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, math::bps_floor};
use crucible_staking::{
    program::CrucibleStaking,
    state::{JobOutcome, ProviderStake, StakePool},
};

use crate::{
    collateral::{Collateral, SlashAccounts},
    error::MarketError,
    escrow::Escrow,
    events::JobExpired,
    state::{Job, JobState, Market, MarketConfig},
};

#[derive(Accounts)]
pub struct ReclaimExpired<'info> {
    /// Anyone: usually the client, or a crank.
    pub cranker: Signer<'info>,

    /// CHECK: the job's client (checked by `has_one` on the job); receives the rent.
    #[account(mut)]
    pub client: UncheckedAccount<'info>,

    #[account(
        has_one = mint @ MarketError::WrongMint,
        has_one = token_program @ MarketError::WrongTokenProgram,
        has_one = staking_pool @ MarketError::ForeignStakeAccount,
    )]
    pub market: Box<Account<'info, Market>>,

    #[account(
        mut,
        close = client,
        seeds = [Job::SEED, market.key().as_ref(), job.client.as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
        has_one = client @ MarketError::WrongClientAccount,
    )]
    pub job: Box<Account<'info, Job>>,

    #[account(mut, seeds = [Job::ESCROW_SEED, job.key().as_ref()], bump = job.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Writable as the staking program's slash declares it.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Receives the refund and the expiry slash.
    #[account(
        mut,
        constraint = client_token.owner == job.client @ MarketError::WrongClientAccount,
        constraint = client_token.mint == market.mint @ MarketError::WrongMint,
    )]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, market.staking_pool.as_ref(), job.provider.as_ref()],
        bump = provider_stake.bump,
        seeds::program = staking_program.key(),
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    #[account(mut)]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// CHECK: the pool's stake vault (checked by the staking program's `has_one`).
    #[account(mut, address = staking_pool.stake_vault)]
    pub stake_vault: UncheckedAccount<'info>,

    /// CHECK: the pool's reward vault (checked by the staking program's `has_one`).
    #[account(address = staking_pool.reward_vault)]
    pub reward_vault: UncheckedAccount<'info>,

    /// CHECK: the collateral PDA `["collateral"]` (seeds checked), the pool's locker.
    #[account(seeds = [MarketConfig::COLLATERAL_SEED], bump = market.collateral_bump)]
    pub collateral_authority: UncheckedAccount<'info>,

    pub staking_program: Program<'info, CrucibleStaking>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// A running job past its deadline without a result: the whole price back to the client,
/// `expiry_slash_bps` of the collateral slashed to the client, the rest unlocked.
pub fn handler(ctx: Context<ReclaimExpired>) -> Result<()> {
    let a = &ctx.accounts;
    require!(a.job.state == JobState::Running, MarketError::JobNotRunning);
    require!(Clock::get()?.unix_timestamp > a.job.deadline, MarketError::NotExpired);
    let slashed =
        bps_floor(a.job.collateral, a.job.expiry_slash_bps).ok_or(MarketError::MathOverflow)?;
    let refunded = a.escrow.amount;
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
    escrow.transfer(&a.client_token.to_account_info(), refunded)?;
    collateral.slash(
        slashed,
        SlashAccounts {
            mint: a.mint.to_account_info(),
            stake_vault: a.stake_vault.to_account_info(),
            reward_vault: a.reward_vault.to_account_info(),
            token_program: a.token_program.to_account_info(),
            destination: Some(a.client_token.to_account_info()),
        },
    )?;
    collateral.unlock(a.job.collateral - slashed, JobOutcome::Failed)?;
    escrow.close(&a.client.to_account_info())?;
    emit!(JobExpired {
        job: a.job.key(),
        market: a.job.market,
        client: a.job.client,
        provider: a.job.provider,
        refunded,
        slashed,
    });
    Ok(())
}
