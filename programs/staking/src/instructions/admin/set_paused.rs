use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::events::PoolPausedSet;
use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub pool_admin: PoolAdmin<'info>,
}

/// A paused pool takes no new stake and locks no new collateral; exits (unstake, withdraw,
/// claim), unlocks and slashes go on.
pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let pool = &mut ctx.accounts.pool_admin.pool;
    let old_paused = pool.paused;
    pool.paused = paused;
    emit!(PoolPausedSet { pool: pool.key(), old_paused, new_paused: paused });
    Ok(())
}
