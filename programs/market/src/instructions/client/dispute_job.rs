use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::MarketError,
    events::JobDisputed,
    state::{Job, JobState, Market},
};

#[derive(Accounts)]
pub struct DisputeJob<'info> {
    pub client: Signer<'info>,

    /// The job's market, whose arbiter now is recorded on the job.
    pub market: Box<Account<'info, Market>>,

    #[account(
        mut,
        seeds = [Job::SEED, market.key().as_ref(), client.key().as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
        has_one = client @ MarketError::NotJobClient,
    )]
    pub job: Box<Account<'info, Job>>,
}

impl DisputeJob<'_> {
    pub fn validate(&self) -> Result<()> {
        self.job.require_state(JobState::Submitted)?;
        let now = Clock::get()?.unix_timestamp;
        require!(self.job.dispute_window_open(now), MarketError::DisputeWindowClosed);
        Ok(())
    }
}

/// Contests a submitted result before the dispute deadline. The market's arbiter at this
/// moment is recorded on the job and decides it; a later change of the market's arbiter does
/// not touch an open dispute.
pub fn handler(ctx: Context<DisputeJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let arbiter = ctx.accounts.market.arbiter;
    let job = &mut ctx.accounts.job;
    job.dispute(arbiter, now)?;
    job.invariant()?;
    emit!(JobDisputed {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider: job.provider,
        disputed_at: now,
        arbiter,
    });
    Ok(())
}
