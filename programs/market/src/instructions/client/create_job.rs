use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, token::TokenAccountRef};

use crate::{
    error::MarketError,
    events::JobCreated,
    state::{Job, Market, NewJob, UsdQuote},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CreateJobArgs {
    /// Chosen by the client; part of the job's address (no global counter is written).
    pub nonce: u64,
    /// Deposited into the job's escrow now.
    pub price: u64,
    /// Time the provider has from acceptance to submit a result.
    pub duration_secs: u64,
    /// Content hash of the job's specification.
    pub spec_hash: [u8; 32],
    /// Only this provider may accept, if given.
    pub target_provider: Option<Pubkey>,
}

#[derive(Accounts)]
#[instruction(args: CreateJobArgs)]
pub struct CreateJob<'info> {
    /// Pays the price and the rent of the job and its escrow (all returned when it closes).
    #[account(mut)]
    pub client: Signer<'info>,

    #[account(
        seeds = [Market::SEED, &market.market_id.to_le_bytes()],
        bump = market.bump,
        has_one = mint @ MarketError::WrongMint,
        has_one = token_program @ MarketError::WrongTokenProgram,
    )]
    pub market: Box<Account<'info, Market>>,

    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Where the price comes from: any account of the mint the client can sign for.
    #[account(mut, constraint = client_token.mint == market.mint @ MarketError::WrongMint)]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        init,
        payer = client,
        space = 8 + Job::INIT_SPACE,
        seeds = [Job::SEED, market.key().as_ref(), client.key().as_ref(), &args.nonce.to_le_bytes()],
        bump,
    )]
    pub job: Box<Account<'info, Job>>,

    #[account(
        init,
        payer = client,
        seeds = [Job::ESCROW_SEED, job.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = job,
        token::token_program = token_program,
    )]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateJob<'_> {
    pub fn validate(&self, args: &CreateJobArgs) -> Result<()> {
        require!(self.market.usd_pricing.is_none(), MarketError::MarketPricedInUsd);
        validate_terms(&self.market, args.price, args.duration_secs)
    }
}

/// What every new job must satisfy, whichever way it is priced.
pub(crate) fn validate_terms(market: &Market, price: u64, duration_secs: u64) -> Result<()> {
    require!(!market.paused, MarketError::MarketPaused);
    require!(price > 0, MarketError::ZeroPrice);
    require!(
        duration_secs > 0 && duration_secs <= market.params.max_duration_secs,
        MarketError::InvalidDuration
    );
    Ok(())
}

pub fn handler(ctx: Context<CreateJob>, args: CreateJobArgs) -> Result<()> {
    let a = ctx.accounts;
    let terms = Terms {
        nonce: args.nonce,
        price: args.price,
        duration_secs: args.duration_secs,
        spec_hash: args.spec_hash,
        target_provider: args.target_provider,
        usd_quote: None,
    };
    let accounts = Parts {
        client: &a.client,
        market: &a.market,
        mint: &a.mint,
        client_token: &a.client_token,
        escrow: &a.escrow,
        token_program: &a.token_program,
    };
    open_job(accounts, &mut a.job, terms, ctx.bumps.job, ctx.bumps.escrow)
}

/// A new job's terms, in tokens (a USD job's already converted).
pub(crate) struct Terms {
    pub nonce: u64,
    pub price: u64,
    pub duration_secs: u64,
    pub spec_hash: [u8; 32],
    pub target_provider: Option<Pubkey>,
    pub usd_quote: Option<UsdQuote>,
}

/// The accounts both ways of creating a job read.
pub(crate) struct Parts<'a, 'info> {
    pub client: &'a Signer<'info>,
    pub market: &'a Account<'info, Market>,
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub client_token: &'a InterfaceAccount<'info, TokenAccount>,
    pub escrow: &'a InterfaceAccount<'info, TokenAccount>,
    pub token_program: &'a Interface<'info, TokenInterface>,
}

/// Opens the job and funds its escrow with `terms.price` from the client.
pub(crate) fn open_job<'info>(
    a: Parts<'_, 'info>,
    job: &mut Account<'info, Job>,
    terms: Terms,
    job_bump: u8,
    escrow_bump: u8,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let new = NewJob {
        market: a.market.key(),
        client: a.client.key(),
        nonce: terms.nonce,
        price: terms.price,
        duration_secs: terms.duration_secs,
        spec_hash: terms.spec_hash,
        target_provider: terms.target_provider.unwrap_or_default(),
        bump: job_bump,
        escrow_bump,
        usd_quote: terms.usd_quote,
    };
    job.set_inner(Job::open(new, &a.market.params, now)?);
    job.invariant()?;

    TokenAccountRef {
        token_program: &a.token_program.to_account_info(),
        mint: &a.mint.to_account_info(),
        decimals: a.mint.decimals,
        account: &a.client_token.to_account_info(),
        authority: &a.client.to_account_info(),
        signer_seeds: &[],
    }
    .transfer(&a.escrow.to_account_info(), terms.price)?;

    emit!(JobCreated {
        job: job.key(),
        market: job.market,
        client: job.client,
        nonce: job.nonce,
        price: job.price,
        collateral: job.collateral,
        duration_secs: job.duration_secs,
        target_provider: job.target_provider,
        spec_hash: job.spec_hash,
        lifetime_ends_at: job.lifetime_ends_at,
    });
    Ok(())
}
