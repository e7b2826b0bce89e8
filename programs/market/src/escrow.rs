//! A job's escrow: token movements out of it, signed by the job PDA, and its closing, through
//! the workspace's one token helper (`crucible_common::token::TokenAccountRef`).
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::token::TokenAccountRef;

use crate::{math::Settlement, state::Job};

/// The accounts of a movement out of a job's escrow. Built only by [`Escrow::new`].
pub struct Escrow<'a, 'info> {
    job: &'a Account<'info, Job>,
    job_info: AccountInfo<'info>,
    escrow: AccountInfo<'info>,
    mint: AccountInfo<'info>,
    token_program: AccountInfo<'info>,
    decimals: u8,
}

impl<'a, 'info> Escrow<'a, 'info> {
    pub fn new(
        job: &'a Account<'info, Job>,
        escrow: &InterfaceAccount<'info, TokenAccount>,
        mint: &InterfaceAccount<'info, Mint>,
        token_program: &Interface<'info, TokenInterface>,
    ) -> Self {
        Escrow {
            job,
            job_info: job.to_account_info(),
            escrow: escrow.to_account_info(),
            mint: mint.to_account_info(),
            token_program: token_program.to_account_info(),
            decimals: mint.decimals,
        }
    }

    /// Runs `f` on the escrow as a token account whose authority, the job PDA, signs.
    fn with_account<R>(&self, f: impl FnOnce(&TokenAccountRef<'_, 'info>) -> R) -> R {
        self.job.with_signer(|signer_seeds| {
            f(&TokenAccountRef {
                token_program: &self.token_program,
                mint: &self.mint,
                decimals: self.decimals,
                account: &self.escrow,
                authority: &self.job_info,
                signer_seeds,
            })
        })
    }

    /// Moves `amount` to `to` (nothing for zero).
    pub fn transfer(&self, to: &AccountInfo<'info>, amount: u64) -> Result<()> {
        self.with_account(|escrow| escrow.transfer(to, amount))
    }

    /// Settles an amount paid for work: burn, fee to the fee vault, the rest to the provider.
    pub fn settle(
        &self,
        s: &Settlement,
        fee_vault: &AccountInfo<'info>,
        provider: &AccountInfo<'info>,
    ) -> Result<()> {
        self.with_account(|escrow| {
            escrow.burn(s.burned)?;
            escrow.transfer(fee_vault, s.fee)?;
            escrow.transfer(provider, s.paid)
        })
    }

    /// Closes the (empty) escrow, its rent to `rent_to` (the client).
    pub fn close(&self, rent_to: &AccountInfo<'info>) -> Result<()> {
        self.with_account(|escrow| escrow.close(rent_to))
    }
}
