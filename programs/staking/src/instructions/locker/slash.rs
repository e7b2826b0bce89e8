use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::Slashed, math::SafeMath, token::PoolVault};

#[derive(Accounts)]
pub struct Slash<'info> {
    /// The pool's registered locker: the market's `["collateral"]` PDA, signing through CPI.
    #[account(address = stake.pool.locker @ StakingError::NotLocker)]
    pub locker: Signer<'info>,

    pub stake: PoolStake<'info>,

    /// Writable: a burn lowers its supply.
    #[account(mut, address = stake.pool.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, address = stake.pool.stake_vault @ ErrorCode::ConstraintHasOne)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Synced first: rewards that arrived before the slash are settled to the stake.
    #[account(address = stake.pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Receives the slashed tokens (the harmed client): any token account of the pool's mint
    /// but its vaults (checked in `validate`); absent when they are burned.
    #[account(mut)]
    pub destination: Option<Box<InterfaceAccount<'info, TokenAccount>>>,

    #[account(address = stake.pool.token_program @ StakingError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl Slash<'_> {
    pub fn validate(&self, amount: u64, burn: bool) -> Result<()> {
        if let Some(destination) = &self.destination {
            self.stake.pool.check_destination(destination)?;
        }
        require!(amount > 0, StakingError::ZeroAmount);
        let stake = &self.stake.provider_stake;
        require!(
            amount <= stake.locked.safe_add(stake.unbonding)?,
            StakingError::SlashExceedsSlashable
        );
        require!(burn || self.destination.is_some(), StakingError::MissingSlashDestination);
        Ok(())
    }
}

/// Takes `amount` from the provider: locked collateral first (which is part of active stake),
/// then unbonding stake; pays it to `destination` or burns it. Allowed while paused.
#[access_control(ctx.accounts.validate(amount, burn))]
pub fn handler(ctx: Context<Slash>, amount: u64, burn: bool) -> Result<()> {
    let accounts = ctx.accounts;
    let PoolStake { pool, provider_stake: stake } = &mut accounts.stake;
    let key = pool.key();
    let weight = stake.sync_and_settle(pool, accounts.reward_vault.amount)?;
    let from_locked = amount.min(stake.locked);
    let from_unbonding = amount - from_locked; // <= unbonding (validated)
    stake.locked -= from_locked;
    stake.remove_active(pool, from_locked)?; // locked <= active
    stake.unbonding -= from_unbonding;
    stake.slashed_total = stake.slashed_total.safe_add(amount)?;

    pool.total_unbonding = pool.total_unbonding.safe_sub(from_unbonding)?;
    stake.rebase(pool, weight)?;

    let vault =
        PoolVault::new(pool, &accounts.stake_vault, &accounts.mint, &accounts.token_program);
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
