//! Token movements out of the pool's vaults, signed by the pool PDA, through the workspace's
//! one token helper (`crucible_common::token::TokenAccountRef`).
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::token::TokenAccountRef;

use crate::state::StakePool;

/// The accounts of a movement out of one of the pool's vaults.
pub struct PoolVault<'a, 'info> {
    pub pool: &'a Account<'info, StakePool>,
    pub vault: AccountInfo<'info>,
    pub mint: AccountInfo<'info>,
    pub token_program: AccountInfo<'info>,
    pub decimals: u8,
}

impl<'a, 'info> PoolVault<'a, 'info> {
    /// `vault` (the stake or the reward vault) of `pool`, with its mint and token program.
    pub fn new(
        pool: &'a Account<'info, StakePool>,
        vault: &InterfaceAccount<'info, TokenAccount>,
        mint: &InterfaceAccount<'info, Mint>,
        token_program: &Interface<'info, TokenInterface>,
    ) -> Self {
        PoolVault {
            pool,
            vault: vault.to_account_info(),
            mint: mint.to_account_info(),
            token_program: token_program.to_account_info(),
            decimals: mint.decimals,
        }
    }

    /// Runs `f` with the vault as a token account the pool PDA signs for.
    fn signed<R>(&self, f: impl FnOnce(&TokenAccountRef<'_, 'info>) -> R) -> R {
        let seeds = self.pool.signer_seeds();
        let pool = self.pool.to_account_info();
        f(&TokenAccountRef {
            token_program: &self.token_program,
            mint: &self.mint,
            decimals: self.decimals,
            account: &self.vault,
            authority: &pool,
            signer_seeds: &[&seeds],
        })
    }

    /// Moves `amount` from the vault to `to` (`transfer_checked`).
    pub fn transfer(&self, to: AccountInfo<'info>, amount: u64) -> Result<()> {
        self.signed(|vault| vault.transfer(&to, amount))
    }

    /// Burns `amount` from the vault.
    pub fn burn(&self, amount: u64) -> Result<()> {
        self.signed(|vault| vault.burn(amount))
    }
}
