use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::StakingError, events::PoolPausedSet, state::StakePool};

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub admin: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = admin @ StakingError::NotAdmin,
    )]
    pub pool: Box<Account<'info, StakePool>>,
}

/// A paused pool takes no new stake and locks no new collateral; exits (unstake, withdraw,
/// claim), unlocks and slashes go on.
pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let old_paused = pool.paused;
    pool.paused = paused;
    emit!(PoolPausedSet { pool: pool.key(), old_paused, new_paused: paused });
    Ok(())
}
