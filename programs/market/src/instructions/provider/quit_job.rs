use anchor_lang::prelude::*;
use crucible_common::emit;
use crucible_staking::{
    program::CrucibleStaking,
    state::{JobOutcome, ProviderStake, StakePool},
};

use crate::{
    collateral::Collateral,
    error::MarketError,
    events::JobQuit,
    state::{Job, JobState, Market, MarketConfig},
};

#[derive(Accounts)]
pub struct QuitJob<'info> {
    pub provider: Signer<'info>,

    #[account(has_one = staking_pool @ MarketError::ForeignStakeAccount)]
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

    pub staking_pool: Box<Account<'info, StakePool>>,

    /// CHECK: the collateral PDA `["collateral"]` (seeds checked), the pool's locker.
    #[account(seeds = [MarketConfig::COLLATERAL_SEED], bump = market.collateral_bump)]
    pub collateral_authority: UncheckedAccount<'info>,

    pub staking_program: Program<'info, CrucibleStaking>,
}

/// Gives a running job back before its deadline: the collateral is unlocked and the job is
/// open again for another provider. After the deadline the job can only expire.
pub fn handler(ctx: Context<QuitJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &ctx.accounts;
    require!(a.job.state == JobState::Running, MarketError::JobNotRunning);
    require!(now <= a.job.deadline, MarketError::DeadlinePassed);
    Collateral {
        staking_program: a.staking_program.to_account_info(),
        authority: a.collateral_authority.to_account_info(),
        pool: a.staking_pool.to_account_info(),
        provider_stake: a.provider_stake.to_account_info(),
        bump: a.market.collateral_bump,
    }
    .unlock(a.job.collateral, JobOutcome::Released)?;

    let job = &mut ctx.accounts.job;
    let provider = job.provider;
    job.provider = Pubkey::default();
    job.accepted_at = 0;
    job.deadline = 0;
    job.state = JobState::Open;
    emit!(JobQuit {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider,
        collateral: job.collateral,
    });
    Ok(())
}
