use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::{error::MarketError, events::TreasuryChanged, state::MarketConfig};

#[derive(Accounts)]
pub struct SetTreasury<'info> {
    pub admin: Signer<'info>,

    /// Records the new treasury.
    #[account(mut, seeds = [MarketConfig::SEED], bump = config.bump, has_one = admin @ MarketError::NotAdmin)]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(constraint = new_treasury.mint == config.mint @ MarketError::WrongMint)]
    pub new_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
}

/// Points fee payments at another token account of the network token.
pub fn handler(ctx: Context<SetTreasury>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let old_treasury = config.treasury;
    config.treasury = ctx.accounts.new_treasury.key();
    emit!(TreasuryChanged { old_treasury, new_treasury: config.treasury });
    Ok(())
}
