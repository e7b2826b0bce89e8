use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::Slashed,
    state::{ProviderStake, StakePool},
    token::PoolVault,
};

#[derive(Accounts)]
pub struct Slash<'info> {
    /// The pool's registered locker: the market's `["collateral"]` PDA, signing through CPI.
    pub locker: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = locker @ StakingError::NotLocker,
        has_one = mint @ StakingError::WrongMint,
        has_one = stake_vault,
        has_one = reward_vault,
        has_one = token_program @ StakingError::WrongTokenProgram,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), provider_stake.owner.as_ref()],
        bump = provider_stake.bump,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    /// Writable: a burn lowers its supply.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Receives the slashed tokens (the harmed client); absent when they are burned.
    #[account(
        mut,
        constraint = destination.mint == pool.mint @ StakingError::WrongMint,
        constraint = destination.key() != pool.stake_vault
            && destination.key() != pool.reward_vault @ StakingError::DestinationIsPoolVault,
    )]
    pub destination: Option<Box<InterfaceAccount<'info, TokenAccount>>>,

    pub token_program: Interface<'info, TokenInterface>,
}

impl Slash<'_> {
    pub fn validate(&self, amount: u64, burn: bool) -> Result<()> {
        require!(amount > 0, StakingError::ZeroAmount);
        let stake = &self.provider_stake;
        let slashable =
            stake.locked.checked_add(stake.unbonding).ok_or(StakingError::MathOverflow)?;
        require!(amount <= slashable, StakingError::SlashExceedsSlashable);
        require!(burn || self.destination.is_some(), StakingError::MissingSlashDestination);
        Ok(())
    }
}

/// Takes `amount` from the provider: locked collateral first (which is part of active stake),
/// then unbonding stake; pays it to `destination` or burns it. Allowed while paused.
pub fn handler(ctx: Context<Slash>, amount: u64, burn: bool) -> Result<()> {
    ctx.accounts.validate(amount, burn)?;
    let accounts = ctx.accounts;
    let pool = &mut accounts.pool;
    let stake = &mut accounts.provider_stake;
    let key = pool.key();
    pool.sync_rewards(key, accounts.reward_vault.amount)?;
    stake.settle(pool)?;
    let weight = stake.weight();
    let from_locked = amount.min(stake.locked);
    let from_unbonding = amount - from_locked; // <= unbonding (validated)
    stake.locked -= from_locked;
    stake.remove_active(pool, from_locked)?; // locked <= active
    stake.unbonding -= from_unbonding;
    stake.slashed_total =
        stake.slashed_total.checked_add(amount).ok_or(StakingError::MathOverflow)?;

    pool.total_unbonding =
        pool.total_unbonding.checked_sub(from_unbonding).ok_or(StakingError::MathOverflow)?;
    stake.rebase(pool, weight)?;

    let vault = PoolVault {
        pool,
        vault: accounts.stake_vault.to_account_info(),
        mint: accounts.mint.to_account_info(),
        token_program: accounts.token_program.to_account_info(),
        decimals: accounts.mint.decimals,
    };
    let destination = match (&accounts.destination, burn) {
        (_, true) => {
            vault.burn(amount)?;
            Pubkey::default()
        }
        (Some(destination), false) => {
            vault.transfer(destination.to_account_info(), amount)?;
            destination.key()
        }
        (None, false) => return err!(StakingError::MissingSlashDestination),
    };

    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(Slashed {
        pool: key,
        owner: stake.owner,
        amount,
        from_locked,
        from_unbonding,
        burned: burn,
        destination,
        slashed_total: stake.slashed_total,
    });
    Ok(())
}
