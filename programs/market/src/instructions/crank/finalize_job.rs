use anchor_lang::{error::ErrorCode, prelude::*};
use crucible_staking::state::StakePool;

use crate::{
    error::MarketError,
    // The composite accounts, with what Anchor generates for them.
    instructions::settle::*,
    state::JobState,
};

#[derive(Accounts)]
pub struct FinalizeJob<'info> {
    /// Anyone: the crank that settles after the dispute window.
    pub cranker: Signer<'info>,

    /// CHECK: the job's client (the job's address names it: another is a seeds mismatch);
    /// receives the rent.
    #[account(mut, constraint = settle.is_client(&client.key(), ErrorCode::ConstraintSeeds)?)]
    pub client: UncheckedAccount<'info>,

    #[account(constraint = settle.is_provider_account(&payout.provider_token)?)]
    pub payout: Payout<'info>,

    pub settle: SettleJob<'info>,

    /// Read only, as in `complete_job`.
    #[account(address = settle.market.staking_pool @ MarketError::ForeignStakeAccount)]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// The market's work-pool records (all absent when the market has no work pool).
    pub work: RecordWork<'info>,
}

impl FinalizeJob<'_> {
    pub fn validate(&self) -> Result<()> {
        let job = &self.settle.job;
        job.require_state(JobState::Submitted)?;
        let now = Clock::get()?.unix_timestamp;
        require!(!job.dispute_window_open(now), MarketError::DisputeWindowOpen);
        Ok(())
    }
}

/// Settles a submitted result nobody disputed, once the dispute window has passed.
pub fn handler(ctx: Context<FinalizeJob>) -> Result<()> {
    let a = &ctx.accounts;
    a.settle.complete(&a.payout, &a.staking_pool, &a.work, &a.client.to_account_info(), true)
}
