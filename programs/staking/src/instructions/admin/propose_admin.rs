use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::AdminProposed};

#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    pub pool_admin: PoolAdmin<'info>,
}

impl ProposeAdmin<'_> {
    pub fn validate(&self, new_admin: Pubkey) -> Result<()> {
        require_keys_neq!(new_admin, Pubkey::default(), StakingError::InvalidAdmin);
        Ok(())
    }
}

/// First step of an admin transfer: the proposed key must accept. Proposing again replaces
/// the proposal; proposing the current admin cancels it in effect.
#[access_control(ctx.accounts.validate(new_admin))]
pub fn handler(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
    let pool = &mut ctx.accounts.pool_admin.pool;
    let old_pending_admin = pool.pending_admin;
    pool.pending_admin = new_admin;
    emit!(AdminProposed {
        pool: pool.key(),
        admin: pool.admin,
        old_pending_admin,
        new_pending_admin: new_admin,
    });
    Ok(())
}
