use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::Withdrawn, math::SafeMath, token::PoolVault};

#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub stake: OwnerStake<'info>,

    #[account(address = stake.pool.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, address = stake.pool.stake_vault @ ErrorCode::ConstraintHasOne)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any token account of the pool's mint but its vaults, chosen by the owner (checked in
    /// `validate`): receives the unbonded stake.
    #[account(mut)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(address = stake.pool.token_program @ StakingError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl Withdraw<'_> {
    /// Allowed while the pool is paused: a pause stops new business, never exits.
    pub fn validate(&self) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        self.stake.pool.check_destination(&self.destination)?;
        let stake = &self.stake.provider_stake;
        require!(stake.unbonding > 0, StakingError::NothingUnbonding);
        require!(now >= stake.unbonding_ready_at, StakingError::UnbondingNotElapsed);
        Ok(())
    }
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<Withdraw>) -> Result<()> {
    let accounts = ctx.accounts;
    let OwnerStake { pool, provider_stake: stake, .. } = &mut accounts.stake;

    let amount = stake.unbonding;
    stake.unbonding = 0;
    pool.total_unbonding = pool.total_unbonding.safe_sub(amount)?;

    PoolVault::new(pool, &accounts.stake_vault, &accounts.mint, &accounts.token_program)
        .transfer(accounts.destination.to_account_info(), amount)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(Withdrawn {
        pool: pool.key(),
        owner: stake.owner,
        amount,
        destination: accounts.destination.key(),
    });
    Ok(())
}
