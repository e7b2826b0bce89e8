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

/// Submits the result's hash before the deadline; the dispute window starts.
pub fn handler(ctx: Context<SubmitResult>, result_hash: [u8; 32]) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let job = &mut ctx.accounts.job;
    require!(job.state == JobState::Running, MarketError::JobNotRunning);
    require!(now <= job.deadline, MarketError::DeadlinePassed);
    let window = i64::try_from(job.dispute_window_secs).map_err(|_| MarketError::MathOverflow)?;
    job.result_hash = result_hash;
    job.submitted_at = now;
    job.dispute_deadline = now.checked_add(window).ok_or(MarketError::MathOverflow)?;
    job.state = JobState::Submitted;
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
