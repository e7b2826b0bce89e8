use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::RewardsClaimed, math::SafeMath, token::PoolVault};

#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    pub stake: OwnerStake<'info>,

    #[account(address = stake.pool.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, address = stake.pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any token account of the pool's mint but its vaults, chosen by the owner (checked in
    /// `validate`): receives the rewards.
    #[account(mut)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(address = stake.pool.token_program @ StakingError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClaimRewards<'_> {
    pub fn validate(&self) -> Result<()> {
        self.stake.pool.check_destination(&self.destination)
    }
}

/// Pays all settled rewards. Allowed while paused (an exit).
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<ClaimRewards>) -> Result<()> {
    let accounts = ctx.accounts;
    let OwnerStake { pool, provider_stake: stake, .. } = &mut accounts.stake;
    let key = pool.key();
    stake.sync_and_settle(pool, accounts.reward_vault.amount)?;

    let amount = stake.rewards_pending;
    require!(amount > 0, StakingError::NothingToClaim);
    stake.rewards_pending = 0;
    stake.rewards_claimed = stake.rewards_claimed.safe_add(amount)?;
    pool.release_rewards(amount)?;
    PoolVault::new(pool, &accounts.reward_vault, &accounts.mint, &accounts.token_program)
        .transfer(accounts.destination.to_account_info(), amount)?;

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(RewardsClaimed {
        pool: key,
        owner: stake.owner,
        amount,
        destination: accounts.destination.key(),
        rewards_claimed: stake.rewards_claimed,
    });
    Ok(())
}
