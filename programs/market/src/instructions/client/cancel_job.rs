use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::MarketError,
    escrow::Escrow,
    events::JobCancelled,
    state::{Job, JobState, Market},
};

#[derive(Accounts)]
pub struct CancelJob<'info> {
    /// Receives the refund's rent (job and escrow accounts).
    #[account(mut)]
    pub client: Signer<'info>,

    #[account(has_one = mint @ MarketError::WrongMint, has_one = token_program @ MarketError::WrongTokenProgram)]
    pub market: Box<Account<'info, Market>>,

    #[account(
        mut,
        close = client,
        seeds = [Job::SEED, market.key().as_ref(), client.key().as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
        has_one = client @ MarketError::NotJobClient,
    )]
    pub job: Box<Account<'info, Job>>,

    #[account(mut, seeds = [Job::ESCROW_SEED, job.key().as_ref()], bump = job.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,

    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Where the refund goes: any account of the mint, chosen by the client.
    #[account(mut, constraint = client_token.mint == market.mint @ MarketError::WrongMint)]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
}

impl CancelJob<'_> {
    pub fn validate(&self) -> Result<()> {
        self.job.require_state(JobState::Open)
    }
}

/// Cancels an open job: the whole price back to the client, both accounts closed (the job by
/// Anchor, `close = client`).
pub fn handler(ctx: Context<CancelJob>) -> Result<()> {
    let a = &ctx.accounts;
    let refunded = a.escrow.amount;
    let escrow = Escrow::new(&a.job, &a.escrow, &a.mint, &a.token_program);
    escrow.transfer(&a.client_token.to_account_info(), refunded)?;
    escrow.close(&a.client.to_account_info())?;
    emit!(JobCancelled {
        job: a.job.key(),
        market: a.market.key(),
        client: a.client.key(),
        refunded,
    });
    Ok(())
}
