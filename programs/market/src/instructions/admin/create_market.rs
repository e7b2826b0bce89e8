use anchor_lang::prelude::*;
use crucible_common::emit;
use crucible_emissions::state::WorkPool;
use crucible_staking::state::StakePool;

use crate::{
    error::MarketError,
    events::MarketCreated,
    state::{encode_name, Market, MarketConfig, MarketParams, UsdPricing},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CreateMarketArgs {
    /// Chosen by the admin; part of the market's address.
    pub market_id: u64,
    /// 1 to 32 bytes of UTF-8.
    pub name: String,
    pub arbiter: Pubkey,
    pub params: MarketParams,
    /// `None` for a token-priced market; `Some` prices its jobs in micro-USD against a pinned
    /// Pyth feed, for good.
    pub usd_pricing: Option<UsdPricing>,
}

#[derive(Accounts)]
#[instruction(args: CreateMarketArgs)]
pub struct CreateMarket<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,

    #[account(seeds = [MarketConfig::SEED], bump = config.bump, has_one = admin @ MarketError::NotAdmin)]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(
        init,
        payer = admin,
        space = 8 + Market::INIT_SPACE,
        seeds = [Market::SEED, &args.market_id.to_le_bytes()],
        bump,
    )]
    pub market: Box<Account<'info, Market>>,

    /// The staking pool of the network token, whose locker must be our collateral PDA.
    #[account(
        constraint = staking_pool.mint == config.mint @ MarketError::WrongMint,
    )]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// The work-rewards pool the market's settlements record their burns in (optional, fixed
    /// for the market's life): of the config's mint, its recorder our `["work_recorder"]` PDA.
    #[account(constraint = work_pool.mint == config.mint @ MarketError::InvalidWorkPool)]
    pub work_pool: Option<Box<Account<'info, WorkPool>>>,

    pub system_program: Program<'info, System>,
}

/// The `["work_recorder"]` PDA of `program_id` (this program) and its bump: the recorder of
/// its markets' work pools.
pub fn work_recorder(program_id: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[MarketConfig::WORK_RECORDER_SEED], program_id)
}

impl CreateMarket<'_> {
    pub fn validate(&self, program_id: &Pubkey, args: &CreateMarketArgs) -> Result<()> {
        let collateral = Pubkey::create_program_address(
            &[MarketConfig::COLLATERAL_SEED, &[self.config.collateral_bump]],
            program_id,
        )
        .map_err(|_| MarketError::PoolLockerMismatch)?;
        require_keys_eq!(self.staking_pool.locker, collateral, MarketError::PoolLockerMismatch);
        if let Some(usd) = &args.usd_pricing {
            usd.validate()?;
        }
        // A pool's recorder must be our work recorder, or its settlements' records would fail.
        if let Some(pool) = &self.work_pool {
            let (recorder, _) = work_recorder(program_id);
            require_keys_eq!(pool.recorder, recorder, MarketError::InvalidWorkPool);
        }
        args.params.validate()
    }
}

pub fn handler(ctx: Context<CreateMarket>, args: CreateMarketArgs) -> Result<()> {
    let name = encode_name(&args.name)?;
    let market = &mut ctx.accounts.market;
    market.set_inner(Market {
        market_id: args.market_id,
        mint: ctx.accounts.config.mint,
        token_program: ctx.accounts.staking_pool.token_program,
        staking_pool: ctx.accounts.staking_pool.key(),
        arbiter: args.arbiter,
        name,
        params: args.params,
        paused: false,
        bump: ctx.bumps.market,
        collateral_bump: ctx.accounts.config.collateral_bump,
        usd_pricing: args.usd_pricing,
        work_pool: ctx.accounts.work_pool.as_ref().map(|p| p.key()),
        work_recorder_bump: work_recorder(ctx.program_id).1,
    });
    emit!(MarketCreated {
        market: market.key(),
        market_id: args.market_id,
        name,
        staking_pool: market.staking_pool,
        arbiter: market.arbiter,
        params: market.params,
        work_pool: market.work_pool,
    });
    Ok(())
}
