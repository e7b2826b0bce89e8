use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::StakingError, events::AdminProposed, state::StakePool};

#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    pub admin: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = admin @ StakingError::NotAdmin,
    )]
    pub pool: Box<Account<'info, StakePool>>,
}

/// First step of an admin transfer: the proposed key must accept. Proposing again replaces
/// the proposal; proposing the current admin cancels it in effect.
pub fn handler(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
    require_keys_neq!(new_admin, Pubkey::default(), StakingError::InvalidAdmin);
    let pool = &mut ctx.accounts.pool;
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
