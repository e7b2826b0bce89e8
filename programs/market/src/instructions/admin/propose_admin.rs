use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::MarketError, events::AdminProposed, state::MarketConfig};

#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    pub admin: Signer<'info>,

    /// Records the proposal.
    #[account(mut, seeds = [MarketConfig::SEED], bump = config.bump, has_one = admin @ MarketError::NotAdmin)]
    pub config: Box<Account<'info, MarketConfig>>,
}

impl ProposeAdmin<'_> {
    pub fn validate(&self, new_admin: &Pubkey) -> Result<()> {
        require_keys_neq!(*new_admin, Pubkey::default(), MarketError::InvalidAdmin);
        Ok(())
    }
}

/// First step of an admin transfer; the proposed key completes it with `accept_admin`.
pub fn handler(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let old_pending_admin = config.pending_admin;
    config.pending_admin = new_admin;
    emit!(AdminProposed { admin: config.admin, old_pending_admin, new_pending_admin: new_admin });
    Ok(())
}
