use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::StakingError, events::AdminTransferred, state::StakePool};

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        constraint = pool.pending_admin == new_admin.key() @ StakingError::NotPendingAdmin,
    )]
    pub pool: Box<Account<'info, StakePool>>,
}

pub fn handler(ctx: Context<AcceptAdmin>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let old_admin = pool.admin;
    pool.admin = pool.pending_admin;
    pool.pending_admin = Pubkey::default();
    emit!(AdminTransferred { pool: pool.key(), old_admin, new_admin: pool.admin });
    Ok(())
}
