use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::MarketError,
    events::JobDisputed,
    state::{Job, JobState},
};

#[derive(Accounts)]
pub struct DisputeJob<'info> {
    pub client: Signer<'info>,

    #[account(
        mut,
        seeds = [Job::SEED, job.market.as_ref(), client.key().as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = client @ MarketError::NotJobClient,
    )]
    pub job: Box<Account<'info, Job>>,
}

/// Contests a submitted result before the dispute deadline; the market's arbiter decides.
pub fn handler(ctx: Context<DisputeJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let job = &mut ctx.accounts.job;
    require!(job.state == JobState::Submitted, MarketError::JobNotSubmitted);
    require!(now <= job.dispute_deadline, MarketError::DisputeWindowClosed);
    job.state = JobState::Disputed;
    job.disputed_at = now;
    emit!(JobDisputed {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider: job.provider,
        disputed_at: now,
    });
    Ok(())
}
