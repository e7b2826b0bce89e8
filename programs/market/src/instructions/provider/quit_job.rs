use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;
use crucible_staking::{
    program::CrucibleStaking,
    state::{JobOutcome, ProviderStake},
};

use crate::{
    collateral::Collateral,
    error::MarketError,
    events::JobQuit,
    // The composite accounts, with what Anchor generates for them.
    instructions::settle::*,
    math::SafeMath,
    state::{Job, JobState, Market, MarketConfig},
};

#[derive(Accounts)]
pub struct QuitJob<'info> {
    pub provider: Signer<'info>,

    #[account(has_one = mint @ MarketError::WrongMint, has_one = token_program @ MarketError::WrongTokenProgram)]
    pub market: Box<Account<'info, Market>>,

    /// A job of this market whose provider signs.
    #[account(
        mut,
        seeds = [Job::SEED, market.key().as_ref(), job.client.as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
        has_one = provider @ MarketError::NotJobProvider,
    )]
    pub job: Box<Account<'info, Job>>,

    /// The signer's stake in the market's pool: its collateral is unlocked (a late quit's
    /// slash first).
    #[account(
        mut,
        seeds = [ProviderStake::SEED, market.staking_pool.as_ref(), provider.key().as_ref()],
        bump = provider_stake.bump,
        seeds::program = staking_program.key(),
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    /// The market's pool (writable: a late quit's slash changes its totals) and its vaults.
    #[account(constraint = vaults.staking_pool.key() == market.staking_pool @ MarketError::ForeignStakeAccount)]
    pub vaults: SlashVaults<'info>,

    /// Writable as the staking program's slash declares it.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Receives a late quit's slash: any token account of the mint the client owns (anyone
    /// can create one for the client, so the client cannot keep a provider from quitting).
    #[account(
        mut,
        constraint = is_party_account(&client_token, &job.client, &market.mint, MarketError::WrongClientAccount)?,
    )]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: the collateral PDA `["collateral"]` (seeds checked), the pool's locker.
    #[account(seeds = [MarketConfig::COLLATERAL_SEED], bump = market.collateral_bump)]
    pub collateral_authority: UncheckedAccount<'info>,

    pub staking_program: Program<'info, CrucibleStaking>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl QuitJob<'_> {
    pub fn validate(&self) -> Result<()> {
        let job = &self.job;
        job.require_state(JobState::Running)?;
        let now = Clock::get()?.unix_timestamp;
        require!(!job.deadline_passed(now), MarketError::DeadlinePassed);
        require!(job.can_quit_again(), MarketError::QuitLimitReached);
        Ok(())
    }
}

/// Gives a running job back before its deadline: the job is open again for another provider
/// (never this one again). Within the grace window the collateral is unlocked whole; after it
/// the quit costs what an expiry would: `expiry_slash_bps` of the collateral slashed to the
/// client, the rest unlocked.
pub fn handler(ctx: Context<QuitJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let late = !ctx.accounts.job.quit_is_free(now)?;
    let slashed = if late { ctx.accounts.job.expiry_slash()? } else { 0 };
    let provider = ctx.accounts.job.provider;
    ctx.accounts.job.reopen()?;
    ctx.accounts.job.invariant()?;

    let a = &ctx.accounts;
    let collateral = Collateral::new(
        &a.staking_program,
        &a.collateral_authority,
        &a.vaults.staking_pool,
        &a.provider_stake,
        a.market.collateral_bump,
    );
    collateral
        .slash(slashed, a.vaults.slash_to(&a.mint, &a.token_program, Some(&a.client_token)))?;
    // A late quit counts as a failure, like the expiry it stands for.
    let outcome = if late { JobOutcome::Failed } else { JobOutcome::Released };
    let unlocked = a.job.collateral.safe_sub(slashed)?;
    collateral.unlock(unlocked, outcome)?;
    emit!(JobQuit {
        job: a.job.key(),
        market: a.job.market,
        client: a.job.client,
        provider,
        collateral: unlocked,
        slashed,
        quitter_count: a.job.quitter_count,
    });
    Ok(())
}
