use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::MarketError,
    events::ResultSubmitted,
    state::{Job, JobState},
};

#[derive(Accounts)]
pub struct SubmitResult<'info> {
    pub provider: Signer<'info>,

    #[account(
        mut,
        seeds = [Job::SEED, job.market.as_ref(), job.client.as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = provider @ MarketError::NotJobProvider,
    )]
    pub job: Box<Account<'info, Job>>,
}

impl SubmitResult<'_> {
    pub fn validate(&self) -> Result<()> {
        self.job.require_state(JobState::Running)?;
        let now = Clock::get()?.unix_timestamp;
        require!(!self.job.deadline_passed(now), MarketError::DeadlinePassed);
        Ok(())
    }
}

/// Submits the result's hash before the deadline; the dispute window starts.
pub fn handler(ctx: Context<SubmitResult>, result_hash: [u8; 32]) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let job = &mut ctx.accounts.job;
    job.submit(result_hash, now)?;
    job.invariant()?;
    emit!(ResultSubmitted {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider: job.provider,
        result_hash,
        dispute_deadline: job.dispute_deadline,
    });
    Ok(())
}
