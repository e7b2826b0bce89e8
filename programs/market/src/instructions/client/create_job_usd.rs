use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, pyth};

use super::create_job::{open_job, validate_terms, Parts, Terms};
use crate::{
    error::MarketError,
    events::JobPricedInUsd,
    state::{Job, Market, UsdQuote},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CreateJobUsdArgs {
    /// Chosen by the client; part of the job's address.
    pub nonce: u64,
    /// The job's price in millionths of a US dollar.
    pub price_micro_usd: u64,
    /// The most tokens (base units) the client will deposit for it; a price that costs more
    /// at the moment of creation is refused (`PriceAboveMaximum`).
    pub max_tokens: u64,
    pub duration_secs: u64,
    pub spec_hash: [u8; 32],
    pub target_provider: Option<Pubkey>,
}

/// `create_job` on a USD-priced market: the same accounts and the market's Pyth price update.
#[derive(Accounts)]
#[instruction(args: CreateJobUsdArgs)]
pub struct CreateJobUsd<'info> {
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

    /// CHECK: a Pyth `PriceUpdateV2` of the market's feed; its owner, layout, verification,
    /// feed, age, price and confidence are checked by `crucible_common::pyth::validated_price`.
    pub price_update: UncheckedAccount<'info>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateJobUsd<'_> {
    pub fn validate(&self, args: &CreateJobUsdArgs) -> Result<()> {
        require!(self.market.usd_pricing.is_some(), MarketError::MarketPricedInTokens);
        // The token amount is checked once converted (the handler); a USD price of 0 is 0.
        validate_terms(&self.market, args.price_micro_usd, args.duration_secs)
    }
}

pub fn handler(ctx: Context<CreateJobUsd>, args: CreateJobUsdArgs) -> Result<()> {
    let a = ctx.accounts;
    let usd = a.market.usd_pricing.ok_or(MarketError::MarketPricedInTokens)?;
    let now = Clock::get()?.unix_timestamp;
    let data = a.price_update.try_borrow_data()?;
    let price = pyth::validated_price(
        a.price_update.owner,
        &data,
        &usd.feed_id,
        u64::from(usd.max_age_secs),
        usd.max_conf_bps,
        now,
    )
    .map_err(MarketError::from)?;
    drop(data);
    // At the lower end of the interval, rounded up: the provider is paid at least the USD
    // price at the lowest rate Pyth gives.
    let tokens =
        pyth::tokens_within_maximum(args.price_micro_usd, &price, a.mint.decimals, args.max_tokens)
            .map_err(MarketError::from)?;
    require!(tokens > 0, MarketError::ZeroPrice);
    let quote = UsdQuote {
        micro_usd: args.price_micro_usd,
        price: price.price,
        conf: price.conf,
        exponent: price.exponent,
        publish_time: price.publish_time,
    };
    let terms = Terms {
        nonce: args.nonce,
        price: tokens,
        duration_secs: args.duration_secs,
        spec_hash: args.spec_hash,
        target_provider: args.target_provider,
        usd_quote: Some(quote),
    };
    let parts = Parts {
        client: &a.client,
        market: &a.market,
        mint: &a.mint,
        client_token: &a.client_token,
        escrow: &a.escrow,
        token_program: &a.token_program,
    };
    open_job(parts, &mut a.job, terms, ctx.bumps.job, ctx.bumps.escrow)?;
    emit!(JobPricedInUsd {
        job: a.job.key(),
        micro_usd: quote.micro_usd,
        tokens,
        price: quote.price,
        conf: quote.conf,
        exponent: quote.exponent,
        publish_time: quote.publish_time,
    });
    Ok(())
}
