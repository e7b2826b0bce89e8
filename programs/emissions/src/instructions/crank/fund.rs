use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};
use crucible_common::emit;

use crate::{error::EmissionsError, events::VaultFunded, state::EmissionVault};

#[derive(Accounts)]
pub struct Fund<'info> {
    /// Anyone: signs for `source`.
    pub funder: Signer<'info>,

    #[account(
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = mint @ EmissionsError::WrongMint,
        has_one = token_vault,
        has_one = token_program @ EmissionsError::WrongTokenProgram,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,

    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        constraint = source.mint == vault.mint @ EmissionsError::WrongMint,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
}

impl Fund<'_> {
    /// Returns the token vault's balance after the deposit.
    pub fn validate(&self, amount: u64) -> Result<u64> {
        require!(!self.vault.revoked, EmissionsError::AlreadyRevoked);
        require!(amount > 0, EmissionsError::ZeroAmount);
        let committed = self.vault.committed_balance()?;
        let balance =
            self.token_vault.amount.checked_add(amount).ok_or(EmissionsError::FundExceedsCap)?;
        require!(balance <= committed, EmissionsError::FundExceedsCap);
        Ok(balance)
    }
}

/// Restores the token vault's balance towards what the schedule still has to pay (the cap not
/// yet emitted plus undistributed dust), never above it. The program never takes the balance
/// below that itself; this is the way to make a vault whole again if it ever is.
pub fn handler(ctx: Context<Fund>, amount: u64) -> Result<()> {
    let balance = ctx.accounts.validate(amount)?;
    let accounts = ctx.accounts;
    token_interface::transfer_checked(
        CpiContext::new(
            accounts.token_program.to_account_info(),
            TransferChecked {
                from: accounts.source.to_account_info(),
                mint: accounts.mint.to_account_info(),
                to: accounts.token_vault.to_account_info(),
                authority: accounts.funder.to_account_info(),
            },
        ),
        amount,
        accounts.mint.decimals,
    )?;
    emit!(VaultFunded {
        vault: accounts.vault.key(),
        funder: accounts.funder.key(),
        amount,
        balance,
    });
    Ok(())
}
