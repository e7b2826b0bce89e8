use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};
use crucible_common::emit;

use crate::{
    error::MarketError,
    events::JobCreated,
    math,
    state::{Job, JobState, Market},
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
        require!(!self.market.paused, MarketError::MarketPaused);
        require!(args.price > 0, MarketError::ZeroPrice);
        require!(
            args.duration_secs > 0 && args.duration_secs <= self.market.params.max_duration_secs,
            MarketError::InvalidDuration
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<CreateJob>, args: CreateJobArgs) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let now = Clock::get()?.unix_timestamp;
    let params = ctx.accounts.market.params;
    let collateral = math::collateral(args.price, params.collateral_bps, params.min_collateral)
        .ok_or(MarketError::MathOverflow)?;
    let target_provider = args.target_provider.unwrap_or_default();
    let lifetime =
        i64::try_from(params.job_lifetime_secs).map_err(|_| MarketError::MathOverflow)?;
    let lifetime_ends_at = now.checked_add(lifetime).ok_or(MarketError::MathOverflow)?;
    ctx.accounts.job.set_inner(Job {
        market: ctx.accounts.market.key(),
        client: ctx.accounts.client.key(),
        provider: Pubkey::default(),
        state: JobState::Open,
        target_provider,
        nonce: args.nonce,
        price: args.price,
        collateral,
        burn_bps: params.burn_bps,
        fee_bps: params.fee_bps,
        dispute_window_secs: params.dispute_window_secs,
        arbitration_window_secs: params.arbitration_window_secs,
        default_dispute_split_bps: params.default_dispute_split_bps,
        expiry_slash_bps: params.expiry_slash_bps,
        duration_secs: args.duration_secs,
        spec_hash: args.spec_hash,
        result_hash: [0; 32],
        created_at: now,
        accepted_at: 0,
        deadline: 0,
        submitted_at: 0,
        dispute_deadline: 0,
        disputed_at: 0,
        bump: ctx.bumps.job,
        escrow_bump: ctx.bumps.escrow,
        lifetime_ends_at,
        // Half the duration at most: a quit in the second half of a job is never free.
        quit_grace_secs: params.quit_grace_secs.min(args.duration_secs / 2),
        quitters: [Pubkey::default(); Job::MAX_QUITTERS],
        quitter_count: 0,
        arbiter: Pubkey::default(),
    });

    token_interface::transfer_checked(
        CpiContext::new(
            ctx.accounts.token_program.to_account_info(),
            TransferChecked {
                from: ctx.accounts.client_token.to_account_info(),
                mint: ctx.accounts.mint.to_account_info(),
                to: ctx.accounts.escrow.to_account_info(),
                authority: ctx.accounts.client.to_account_info(),
            },
        ),
        args.price,
        ctx.accounts.mint.decimals,
    )?;

    emit!(JobCreated {
        job: ctx.accounts.job.key(),
        market: ctx.accounts.market.key(),
        client: ctx.accounts.client.key(),
        nonce: args.nonce,
        price: args.price,
        collateral,
        duration_secs: args.duration_secs,
        target_provider,
        spec_hash: args.spec_hash,
        lifetime_ends_at,
    });
    Ok(())
}
