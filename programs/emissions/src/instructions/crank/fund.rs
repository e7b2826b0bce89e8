use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, token::TokenAccountRef};

use crate::{error::EmissionsError, events::VaultFunded, state::EmissionVault};

#[derive(Accounts)]
pub struct Fund<'info> {
    /// Anyone: signs for `source`.
    pub funder: Signer<'info>,

    /// Read only: funding changes the token vault's balance, never the vault.
    #[account(
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,

    #[account(address = vault.mint @ EmissionsError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Receives the deposit.
    #[account(mut, address = vault.token_vault @ ErrorCode::ConstraintHasOne)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        constraint = source.mint == vault.mint @ EmissionsError::WrongMint,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(address = vault.token_program @ EmissionsError::WrongTokenProgram)]
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
    // The funder signs the transaction for its own token account.
    TokenAccountRef {
        token_program: &accounts.token_program.to_account_info(),
        mint: &accounts.mint.to_account_info(),
        decimals: accounts.mint.decimals,
        account: &accounts.source.to_account_info(),
        authority: &accounts.funder.to_account_info(),
        signer_seeds: &[],
    }
    .transfer(&accounts.token_vault.to_account_info(), amount)?;
    emit!(VaultFunded {
        vault: accounts.vault.key(),
        funder: accounts.funder.key(),
        amount,
        balance,
    });
    Ok(())
}
