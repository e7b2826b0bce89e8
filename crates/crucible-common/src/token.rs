//! The one way a Crucible program moves tokens: `transfer_checked`, `burn` and `close_account`
//! through the token interface (SPL Token or Token-2022, whichever owns the mint), signed by a
//! PDA's seeds or by a transaction signer. A zero amount moves nothing and makes no CPI.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Burn, CloseAccount, TransferChecked};

/// A token account (`from`), its mint and token program, and who may move out of it.
pub struct TokenAccountRef<'a, 'info> {
    pub token_program: &'a AccountInfo<'info>,
    pub mint: &'a AccountInfo<'info>,
    pub decimals: u8,
    pub account: &'a AccountInfo<'info>,
    /// The account's owner or delegate: a PDA (with `signer_seeds`) or a transaction signer.
    pub authority: &'a AccountInfo<'info>,
    /// The authority PDA's seeds, bump included; empty when the authority signed the transaction.
    pub signer_seeds: &'a [&'a [&'a [u8]]],
}

impl<'info> TokenAccountRef<'_, 'info> {
    /// Moves `amount` to `to` (`transfer_checked`; nothing for zero).
    pub fn transfer(&self, to: &AccountInfo<'info>, amount: u64) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        token_interface::transfer_checked(
            CpiContext::new_with_signer(
                self.token_program.clone(),
                TransferChecked {
                    from: self.account.clone(),
                    mint: self.mint.clone(),
                    to: to.clone(),
                    authority: self.authority.clone(),
                },
                self.signer_seeds,
            ),
            amount,
            self.decimals,
        )
    }

    /// Burns `amount` from the account (nothing for zero).
    pub fn burn(&self, amount: u64) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        token_interface::burn(
            CpiContext::new_with_signer(
                self.token_program.clone(),
                Burn {
                    mint: self.mint.clone(),
                    from: self.account.clone(),
                    authority: self.authority.clone(),
                },
                self.signer_seeds,
            ),
            amount,
        )
    }

    /// Closes the (empty) account, its rent to `rent_to`.
    pub fn close(&self, rent_to: &AccountInfo<'info>) -> Result<()> {
        token_interface::close_account(CpiContext::new_with_signer(
            self.token_program.clone(),
            CloseAccount {
                account: self.account.clone(),
                destination: rent_to.clone(),
                authority: self.authority.clone(),
            },
            self.signer_seeds,
        ))
    }
}
