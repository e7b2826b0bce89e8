use anchor_lang::{error::ErrorCode, prelude::*};
use crucible_staking::state::StakePool;

use crate::{
    error::MarketError,
    // The composite accounts, with what Anchor generates for them.
    instructions::settle::*,
    state::JobState,
};

#[derive(Accounts)]
pub struct CompleteJob<'info> {
    /// Approves the result; receives the rent of the job and its escrow. The job's address
    /// names its client, so another signer is refused as a seeds mismatch.
    #[account(mut, constraint = settle.is_client(&client.key(), ErrorCode::ConstraintSeeds)?)]
    pub client: Signer<'info>,

    #[account(constraint = settle.is_provider_account(&payout.provider_token)?)]
    pub payout: Payout<'info>,

    pub settle: SettleJob<'info>,

    /// The market's pool, read only: an unlock does not write it.
    #[account(address = settle.market.staking_pool @ MarketError::ForeignStakeAccount)]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// The market's work-pool records (all absent when the market has no work pool).
    pub work: RecordWork<'info>,
}

impl CompleteJob<'_> {
    pub fn validate(&self) -> Result<()> {
        self.settle.job.require_state(JobState::Submitted)
    }
}

/// Approves a submitted result: the price is settled (burn, fee, provider) and the job closes.
pub fn handler(ctx: Context<CompleteJob>) -> Result<()> {
    let a = &ctx.accounts;
    a.settle.complete(&a.payout, &a.staking_pool, &a.work, &a.client.to_account_info(), false)
}
