//! Token movements out of a job's escrow, signed by the job PDA, and its closing.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Burn, CloseAccount, TransferChecked};

use crate::{math::Settlement, state::Job};

/// The accounts of a movement out of a job's escrow.
pub struct Escrow<'a, 'info> {
    pub job: &'a Account<'info, Job>,
    pub escrow: AccountInfo<'info>,
    pub mint: AccountInfo<'info>,
    pub token_program: AccountInfo<'info>,
    pub decimals: u8,
}

impl<'info> Escrow<'_, 'info> {
    /// Moves `amount` to `to` (nothing for zero).
    pub fn transfer(&self, to: &AccountInfo<'info>, amount: u64) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        self.job.with_signer(|signer| {
            token_interface::transfer_checked(
                CpiContext::new_with_signer(
                    self.token_program.clone(),
                    TransferChecked {
                        from: self.escrow.clone(),
                        mint: self.mint.clone(),
                        to: to.clone(),
                        authority: self.job.to_account_info(),
                    },
                    signer,
                ),
                amount,
                self.decimals,
            )
        })
    }

    /// Burns `amount` (nothing for zero): the burn on completion.
    pub fn burn(&self, amount: u64) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        self.job.with_signer(|signer| {
            token_interface::burn(
                CpiContext::new_with_signer(
                    self.token_program.clone(),
                    Burn {
                        mint: self.mint.clone(),
                        from: self.escrow.clone(),
                        authority: self.job.to_account_info(),
                    },
                    signer,
                ),
                amount,
            )
        })
    }

    /// Settles an amount paid for work: burn, fee to the fee vault, the rest to the provider.
    pub fn settle(
        &self,
        s: &Settlement,
        fee_vault: &AccountInfo<'info>,
        provider: &AccountInfo<'info>,
    ) -> Result<()> {
        self.burn(s.burned)?;
        self.transfer(fee_vault, s.fee)?;
        self.transfer(provider, s.paid)
    }

    /// Closes the (empty) escrow, its rent to `rent_to` (the client).
    pub fn close(&self, rent_to: &AccountInfo<'info>) -> Result<()> {
        self.job.with_signer(|signer| {
            token_interface::close_account(CpiContext::new_with_signer(
                self.token_program.clone(),
                CloseAccount {
                    account: self.escrow.clone(),
                    destination: rent_to.clone(),
                    authority: self.job.to_account_info(),
                },
                signer,
            ))
        })
    }
}
