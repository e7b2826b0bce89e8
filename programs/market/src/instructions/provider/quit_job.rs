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
    events::JobQuit,
    state::{Job, JobState, Market, MarketConfig},
};

#[derive(Accounts)]
pub struct QuitJob<'info> {
    pub provider: Signer<'info>,

    #[account(
        has_one = staking_pool @ MarketError::ForeignStakeAccount,
        has_one = mint @ MarketError::WrongMint,
        has_one = token_program @ MarketError::WrongTokenProgram,
    )]
    pub market: Box<Account<'info, Market>>,

    #[account(
        mut,
        seeds = [Job::SEED, market.key().as_ref(), job.client.as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
        has_one = provider @ MarketError::NotJobProvider,
    )]
    pub job: Box<Account<'info, Job>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, market.staking_pool.as_ref(), provider.key().as_ref()],
        bump = provider_stake.bump,
        seeds::program = staking_program.key(),
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    /// Writable: a late quit's slash changes the pool's totals.
    #[account(mut)]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// Writable as the staking program's slash declares it.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Receives a late quit's slash: any token account of the mint the client owns (anyone
    /// can create one for the client, so the client cannot keep a provider from quitting).
    #[account(
        mut,
        constraint = client_token.owner == job.client @ MarketError::WrongClientAccount,
        constraint = client_token.mint == market.mint @ MarketError::WrongMint,
    )]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

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

impl QuitJob<'_> {
    /// Returns whether the quit is late (after the grace window) and the slash it costs:
    /// nothing within the window, the expiry slash after it.
    pub fn validate(&self, now: i64) -> Result<(bool, u64)> {
        let job = &self.job;
        require!(job.state == JobState::Running, MarketError::JobNotRunning);
        require!(now <= job.deadline, MarketError::DeadlinePassed);
        require!(usize::from(job.quitter_count) < Job::MAX_QUITTERS, MarketError::QuitLimitReached);
        if job.quit_is_free(now)? {
            return Ok((false, 0));
        }
        let slash =
            bps_floor(job.collateral, job.expiry_slash_bps).ok_or(MarketError::MathOverflow)?;
        Ok((true, slash))
    }
}

/// Gives a running job back before its deadline: the job is open again for another provider
/// (never this one again). Within the grace window the collateral is unlocked whole; after it
/// the quit costs what an expiry would: `expiry_slash_bps` of the collateral slashed to the
/// client, the rest unlocked.
pub fn handler(ctx: Context<QuitJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (late, slashed) = ctx.accounts.validate(now)?;
    let a = &ctx.accounts;
    let collateral = Collateral {
        staking_program: a.staking_program.to_account_info(),
        authority: a.collateral_authority.to_account_info(),
        pool: a.staking_pool.to_account_info(),
        provider_stake: a.provider_stake.to_account_info(),
        bump: a.market.collateral_bump,
    };
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
    // A late quit counts as a failure, like the expiry it stands for.
    let outcome = if late { JobOutcome::Failed } else { JobOutcome::Released };
    let unlocked = a.job.collateral.checked_sub(slashed).ok_or(MarketError::MathOverflow)?;
    collateral.unlock(unlocked, outcome)?;

    let job = &mut ctx.accounts.job;
    let provider = job.provider;
    job.quit()?;
    emit!(JobQuit {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider,
        collateral: unlocked,
        slashed,
        quitter_count: job.quitter_count,
    });
    Ok(())
}
