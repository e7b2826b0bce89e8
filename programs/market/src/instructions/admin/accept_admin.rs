use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::MarketError, events::AdminTransferred, state::MarketConfig};

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,

    #[account(
        mut,
        seeds = [MarketConfig::SEED],
        bump = config.bump,
        constraint = config.pending_admin == new_admin.key() @ MarketError::NotPendingAdmin,
    )]
    pub config: Box<Account<'info, MarketConfig>>,
}

pub fn handler(ctx: Context<AcceptAdmin>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let old_admin = config.admin;
    config.admin = config.pending_admin;
    config.pending_admin = Pubkey::default();
    emit!(AdminTransferred { old_admin, new_admin: config.admin });
    Ok(())
}
