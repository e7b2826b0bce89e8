//! Crucible market: markets and jobs with a per-job escrow, the job state machine, settlement
//! that burns a share of every completed job's payment, disputes, and slashing of the
//! provider's locked collateral through the staking program. See DESIGN.md ("Program:
//! market") and this crate's README.
#![allow(unexpected_cfgs)]

pub mod collateral;
pub mod error;
pub mod escrow;
pub mod events;
pub mod instructions;
pub mod math;
pub mod state;

use anchor_lang::prelude::*;

pub use instructions::*;
pub use state::MarketParams;

declare_id!("GzGSfqwM9Mo35HxwfTwhk5c2ABv729Jh3mkhSw2yebwh");

/// Each instruction's checks that are not account constraints run first, in its accounts
/// struct's `validate()` (`#[access_control]`); the handler then transitions the job (the
/// state machine is on `Job`), moves tokens and emits the event.
#[program]
pub mod crucible_market {
    use super::*;

    // --- admin ---

    /// Creates the global config (admin, network token, treasury) and the fee vault. Signed by
    /// the network token's mint authority, who becomes the admin.
    #[access_control(ctx.accounts.validate())]
    pub fn init_config(ctx: Context<InitConfig>) -> Result<()> {
        instructions::admin::init_config::handler(ctx)
    }

    /// Proposes a new admin; the transfer completes when that key calls `accept_admin`.
    #[access_control(ctx.accounts.validate(&new_admin))]
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        instructions::admin::propose_admin::handler(ctx, new_admin)
    }

    /// Completes an admin transfer, signed by the proposed admin.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::admin::accept_admin::handler(ctx)
    }

    /// Points the fee sweeps at another token account of the network token.
    pub fn set_treasury(ctx: Context<SetTreasury>) -> Result<()> {
        instructions::admin::set_treasury::handler(ctx)
    }

    /// Creates a market with bounded terms, served by a staking pool whose locker is this
    /// program's collateral PDA.
    #[access_control(ctx.accounts.validate(ctx.program_id, &args))]
    pub fn create_market(ctx: Context<CreateMarket>, args: CreateMarketArgs) -> Result<()> {
        instructions::admin::create_market::handler(ctx, args)
    }

    /// Replaces a market's terms and arbiter; existing jobs keep theirs.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn update_market(
        ctx: Context<UpdateMarket>,
        params: MarketParams,
        arbiter: Pubkey,
    ) -> Result<()> {
        instructions::admin::update_market::handler(ctx, params, arbiter)
    }

    /// Pauses or resumes new jobs and acceptances in a market; exits always work.
    pub fn set_market_paused(ctx: Context<SetMarketPaused>, paused: bool) -> Result<()> {
        instructions::admin::set_market_paused::handler(ctx, paused)
    }

    // --- clients ---

    /// Posts a job and deposits its price into the job's own escrow.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn create_job(ctx: Context<CreateJob>, args: CreateJobArgs) -> Result<()> {
        instructions::client::create_job::handler(ctx, args)
    }

    /// Posts a job on a USD-priced market: its price in micro-USD is converted into tokens at
    /// the market's Pyth price (the lower end of its confidence interval, rounded up), refused
    /// above `max_tokens`, and that amount is deposited as for `create_job`.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn create_job_usd(ctx: Context<CreateJobUsd>, args: CreateJobUsdArgs) -> Result<()> {
        instructions::client::create_job_usd::handler(ctx, args)
    }

    /// Cancels an open job: full refund, accounts closed.
    #[access_control(ctx.accounts.validate())]
    pub fn cancel_job(ctx: Context<CancelJob>) -> Result<()> {
        instructions::client::cancel_job::handler(ctx)
    }

    /// Approves a submitted result: burn, fee and provider payment; the job closes.
    #[access_control(ctx.accounts.validate())]
    pub fn complete_job(ctx: Context<CompleteJob>) -> Result<()> {
        instructions::client::complete_job::handler(ctx)
    }

    /// Disputes a submitted result before the dispute deadline; the market's arbiter now is
    /// recorded on the job and decides it.
    #[access_control(ctx.accounts.validate())]
    pub fn dispute_job(ctx: Context<DisputeJob>) -> Result<()> {
        instructions::client::dispute_job::handler(ctx)
    }

    // --- providers ---

    /// Takes an open job, locking its collateral from the provider's free stake.
    #[access_control(ctx.accounts.validate())]
    pub fn accept_job(ctx: Context<AcceptJob>) -> Result<()> {
        instructions::provider::accept_job::handler(ctx)
    }

    /// Gives a running job back before its deadline: free within the grace window, later it
    /// costs the expiry slash; the quitter may not take the job again.
    #[access_control(ctx.accounts.validate())]
    pub fn quit_job(ctx: Context<QuitJob>) -> Result<()> {
        instructions::provider::quit_job::handler(ctx)
    }

    /// Submits the result's hash before the deadline; the dispute window starts.
    #[access_control(ctx.accounts.validate())]
    pub fn submit_result(ctx: Context<SubmitResult>, result_hash: [u8; 32]) -> Result<()> {
        instructions::provider::submit_result::handler(ctx, result_hash)
    }

    // --- the arbiter ---

    /// Decides a dispute: split of the price, optional slash to the client or burned.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn resolve_dispute(ctx: Context<ResolveDispute>, args: ResolveDisputeArgs) -> Result<()> {
        instructions::arbiter::resolve_dispute::handler(ctx, args)
    }

    // --- anyone, once a window has passed ---

    /// Settles a submitted result nobody disputed, after the dispute window.
    #[access_control(ctx.accounts.validate())]
    pub fn finalize_job(ctx: Context<FinalizeJob>) -> Result<()> {
        instructions::crank::finalize_job::handler(ctx)
    }

    /// Applies the default split of a dispute the arbiter left undecided.
    #[access_control(ctx.accounts.validate())]
    pub fn finalize_dispute(ctx: Context<FinalizeDispute>) -> Result<()> {
        instructions::crank::finalize_dispute::handler(ctx)
    }

    /// Refunds the client of a job past its deadline and slashes part of the collateral.
    #[access_control(ctx.accounts.validate())]
    pub fn reclaim_expired(ctx: Context<ReclaimExpired>) -> Result<()> {
        instructions::crank::reclaim_expired::handler(ctx)
    }

    /// Moves the fee vault's balance to the configured treasury (anyone may call it).
    pub fn sweep_fees(ctx: Context<SweepFees>) -> Result<()> {
        instructions::crank::sweep_fees::handler(ctx)
    }
}
