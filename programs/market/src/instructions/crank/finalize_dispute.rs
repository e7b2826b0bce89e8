use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_staking::state::StakePool;

use crate::{
    error::MarketError,
    // The composite accounts, with what Anchor generates for them.
    instructions::settle::*,
    state::JobState,
};

#[derive(Accounts)]
pub struct FinalizeDispute<'info> {
    /// Anyone: the crank that applies the default split after the arbitration window.
    pub cranker: Signer<'info>,

    /// CHECK: the job's client (checked against the job); receives the rent.
    #[account(mut, constraint = settle.is_client(&client.key(), MarketError::WrongClientAccount)?)]
    pub client: UncheckedAccount<'info>,

    #[account(constraint = settle.is_provider_account(&payout.provider_token)?)]
    pub payout: Payout<'info>,

    pub settle: SettleJob<'info>,

    /// Receives the client's part of the default split.
    #[account(mut, constraint = settle.is_client_account(&client_token)?)]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// No slash here: the pool stays read only.
    #[account(address = settle.market.staking_pool @ MarketError::ForeignStakeAccount)]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// The market's work-pool records (all absent when the market has no work pool).
    pub work: RecordWork<'info>,
}

impl FinalizeDispute<'_> {
    /// The job's default split: no slash, the collateral unlocked without a verdict.
    fn verdict(&self) -> Verdict {
        Verdict {
            provider_share_bps: self.settle.job.default_dispute_split_bps,
            slash: 0,
            slash_burned: false,
            by_default: true,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let job = &self.settle.job;
        job.require_state(JobState::Disputed)?;
        let now = Clock::get()?.unix_timestamp;
        require!(!job.arbitration_window_open(now)?, MarketError::ArbitrationWindowOpen);
        self.verdict().validate(job)
    }
}

/// Applies the job's default split once the arbiter let the arbitration window pass.
pub fn handler(ctx: Context<FinalizeDispute>) -> Result<()> {
    let a = &ctx.accounts;
    let client = a.client.to_account_info();
    a.settle.resolve(
        &a.payout,
        &a.client_token,
        &a.staking_pool,
        None,
        &a.work,
        &client,
        a.verdict(),
    )
}
