use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::UnallocatedSwept, token::PoolVault};

#[derive(Accounts)]
pub struct SweepUnallocated<'info> {
    pub pool_admin: PoolAdmin<'info>,

    #[account(address = pool_admin.pool.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, address = pool_admin.pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any token account of the pool's mint but its vaults (checked in `validate`): receives
    /// what nobody was staked to earn.
    #[account(mut)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(address = pool_admin.pool.token_program @ StakingError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl SweepUnallocated<'_> {
    pub fn validate(&self) -> Result<()> {
        self.pool_admin.pool.check_destination(&self.destination)
    }
}

/// Pays the rewards that arrived while nobody was staked to `destination`. What providers
/// are owed is never touched.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<SweepUnallocated>) -> Result<()> {
    let accounts = ctx.accounts;
    let pool = &mut accounts.pool_admin.pool;
    let key = pool.key();
    pool.sync_rewards(key, accounts.reward_vault.amount)?;
    let amount = pool.unallocated_rewards;
    require!(amount > 0, StakingError::NothingToSweep);
    pool.unallocated_rewards = 0;
    pool.release_rewards(amount)?;
    PoolVault::new(pool, &accounts.reward_vault, &accounts.mint, &accounts.token_program)
        .transfer(accounts.destination.to_account_info(), amount)?;
    pool.invariant()?;
    emit!(UnallocatedSwept { pool: key, amount, destination: accounts.destination.key() });
    Ok(())
}
