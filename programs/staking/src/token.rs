//! Token movements out of the pool's vaults, signed by the pool PDA.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Burn, TransferChecked};

use crate::state::StakePool;

/// The accounts of a movement out of one of the pool's vaults.
pub struct PoolVault<'a, 'info> {
    pub pool: &'a Account<'info, StakePool>,
    pub vault: AccountInfo<'info>,
    pub mint: AccountInfo<'info>,
    pub token_program: AccountInfo<'info>,
    pub decimals: u8,
}

impl<'info> PoolVault<'_, 'info> {
    /// Moves `amount` from the vault to `to` (`transfer_checked`).
    pub fn transfer(&self, to: AccountInfo<'info>, amount: u64) -> Result<()> {
        let seeds = self.pool.signer_seeds();
        token_interface::transfer_checked(
            CpiContext::new_with_signer(
                self.token_program.clone(),
                TransferChecked {
                    from: self.vault.clone(),
                    mint: self.mint.clone(),
                    to,
                    authority: self.pool.to_account_info(),
                },
                &[&seeds],
            ),
            amount,
            self.decimals,
        )
    }

    /// Burns `amount` from the vault.
    pub fn burn(&self, amount: u64) -> Result<()> {
        let seeds = self.pool.signer_seeds();
        token_interface::burn(
            CpiContext::new_with_signer(
                self.token_program.clone(),
                Burn {
                    mint: self.mint.clone(),
                    from: self.vault.clone(),
                    authority: self.pool.to_account_info(),
                },
                &[&seeds],
            ),
            amount,
        )
    }
}
