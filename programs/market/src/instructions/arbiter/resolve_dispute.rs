use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::{
    error::MarketError,
    // The composite accounts, with what Anchor generates for them.
    instructions::settle::*,
    state::JobState,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ResolveDisputeArgs {
    /// The provider's share of the price; the client's part (the rest) is refunded.
    pub provider_share_bps: u16,
    /// Collateral to slash, at most the job's collateral.
    pub slash_amount: u64,
    /// Pay the slash to the client (true) or burn it (false).
    pub slash_to_client: bool,
}

#[derive(Accounts)]
pub struct ResolveDispute<'info> {
    /// The arbiter recorded on the job when the dispute opened (checked in `validate`).
    pub arbiter: Signer<'info>,

    /// CHECK: the job's client (checked against the job); receives the rent of the job and
    /// its escrow once the dispute is decided.
    #[account(mut, constraint = settle.is_client(&client.key(), MarketError::WrongClientAccount)?)]
    pub client: UncheckedAccount<'info>,

    #[account(constraint = settle.is_provider_account(&payout.provider_token)?)]
    pub payout: Payout<'info>,

    pub settle: SettleJob<'info>,

    /// Receives the client's part and a slash paid to the client.
    #[account(mut, constraint = settle.is_client_account(&client_token)?)]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// The market's pool and its vaults: a slash changes the pool's totals.
    #[account(constraint = vaults.staking_pool.key() == settle.market.staking_pool @ MarketError::ForeignStakeAccount)]
    pub vaults: SlashVaults<'info>,

    /// The market's work-pool records (all absent when the market has no work pool).
    pub work: RecordWork<'info>,
}

impl ResolveDispute<'_> {
    pub fn validate(&self, args: &ResolveDisputeArgs) -> Result<()> {
        let job = &self.settle.job;
        job.require_state(JobState::Disputed)?;
        // The arbiter recorded when the dispute opened, not the market's current one.
        require_keys_eq!(job.arbiter, self.arbiter.key(), MarketError::NotArbiter);
        verdict(args).validate(job)
    }
}

fn verdict(args: &ResolveDisputeArgs) -> Verdict {
    Verdict {
        provider_share_bps: args.provider_share_bps,
        slash: args.slash_amount,
        slash_burned: !args.slash_to_client,
        by_default: false,
    }
}

/// The arbiter's decision on a disputed job: split the price, optionally slash collateral to
/// the client or burn it; the rest of the collateral is unlocked and the job closes.
pub fn handler(ctx: Context<ResolveDispute>, args: ResolveDisputeArgs) -> Result<()> {
    let a = &ctx.accounts;
    let s = &a.settle;
    let destination = args.slash_to_client.then_some(&*a.client_token);
    let slash = a.vaults.slash_to(&s.mint, &s.token_program, destination);
    let client = a.client.to_account_info();
    s.resolve(
        &a.payout,
        &a.client_token,
        &a.vaults.staking_pool,
        Some(slash),
        &a.work,
        &client,
        verdict(&args),
    )
}
