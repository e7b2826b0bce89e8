use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::state::StakePool;

#[derive(Accounts)]
pub struct SyncRewards<'info> {
    #[account(mut, seeds = [StakePool::SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(address = pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

/// Adds what arrived in the reward vault to the accumulator (permissionless; every
/// instruction that changes stake does this first, so it is never needed for correctness).
pub fn handler(ctx: Context<SyncRewards>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let key = pool.key();
    pool.sync_rewards(key, ctx.accounts.reward_vault.amount)?;
    pool.invariant()
}
