use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::MarketError,
    events::MarketPausedSet,
    state::{Market, MarketConfig},
};

#[derive(Accounts)]
pub struct SetMarketPaused<'info> {
    pub admin: Signer<'info>,

    #[account(seeds = [MarketConfig::SEED], bump = config.bump, has_one = admin @ MarketError::NotAdmin)]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(mut, seeds = [Market::SEED, &market.market_id.to_le_bytes()], bump = market.bump)]
    pub market: Box<Account<'info, Market>>,
}

/// A paused market takes no new jobs and lets no job be accepted; every other transition (the
/// exits: cancel, complete, dispute, expiry) goes on.
pub fn handler(ctx: Context<SetMarketPaused>, paused: bool) -> Result<()> {
    let market = &mut ctx.accounts.market;
    let old_paused = market.paused;
    market.paused = paused;
    emit!(MarketPausedSet { market: market.key(), old_paused, new_paused: paused });
    Ok(())
}
