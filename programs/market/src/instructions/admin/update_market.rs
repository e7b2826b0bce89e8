use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::MarketError,
    events::MarketUpdated,
    state::{Market, MarketConfig, MarketParams},
};

#[derive(Accounts)]
pub struct UpdateMarket<'info> {
    pub admin: Signer<'info>,

    #[account(seeds = [MarketConfig::SEED], bump = config.bump, has_one = admin @ MarketError::NotAdmin)]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(mut, seeds = [Market::SEED, &market.market_id.to_le_bytes()], bump = market.bump)]
    pub market: Box<Account<'info, Market>>,
}

impl UpdateMarket<'_> {
    pub fn validate(&self, params: &MarketParams) -> Result<()> {
        params.validate()
    }
}

/// Replaces the market's terms and arbiter, within bounds. Existing jobs keep the terms they
/// were created with (and a dispute already open keeps the arbiter it has when decided).
pub fn handler(ctx: Context<UpdateMarket>, params: MarketParams, arbiter: Pubkey) -> Result<()> {
    let market = &mut ctx.accounts.market;
    let (old_params, old_arbiter) = (market.params, market.arbiter);
    market.params = params;
    market.arbiter = arbiter;
    emit!(MarketUpdated {
        market: market.key(),
        old_arbiter,
        new_arbiter: arbiter,
        old_params,
        new_params: params,
    });
    Ok(())
}
