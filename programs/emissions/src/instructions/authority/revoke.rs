use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::EmissionsError, events::VaultRevoked, payout::VaultTokens};

#[derive(Accounts)]
pub struct Revoke<'info> {
    pub vault_authority: VaultAuthority<'info>,

    #[account(address = vault_authority.vault.mint @ EmissionsError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Pays the recipients what is due, then returns the rest to `destination`.
    #[account(mut, address = vault_authority.vault.token_vault @ ErrorCode::ConstraintHasOne)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any token account of the mint but the vault's own, chosen by the authority (checked in
    /// `validate`): receives what is not yet paid.
    #[account(mut)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        address = vault_authority.vault.token_program @ EmissionsError::WrongTokenProgram,
    )]
    pub token_program: Interface<'info, TokenInterface>,
    // Remaining accounts: the recipients' token accounts, in order, writable.
}

impl Revoke<'_> {
    pub fn validate(&self) -> Result<()> {
        let vault = &self.vault_authority.vault;
        vault.check_destination(&self.destination)?;
        require!(vault.revocable, EmissionsError::NotRevocable);
        require!(!vault.revoked, EmissionsError::AlreadyRevoked);
        Ok(())
    }
}

/// Ends a revocable vault: pays the recipients every hour due (and their rounding dust), paused
/// or not, then returns the token vault's whole remaining balance to `destination`. A pause
/// delays payment, never reassigns it: the hours due before the revoke are the recipients'.
#[access_control(ctx.accounts.validate())]
pub fn handler<'info>(ctx: Context<'_, '_, '_, 'info, Revoke<'info>>) -> Result<()> {
    let accounts = ctx.accounts;
    let vault = &mut accounts.vault_authority.vault;
    let paid =
        VaultTokens::new(vault, &accounts.token_vault, &accounts.mint, &accounts.token_program)
            .settle_due(ctx.remaining_accounts)?;
    accounts.token_vault.reload()?;
    let returned = accounts.token_vault.amount;
    VaultTokens::new(vault, &accounts.token_vault, &accounts.mint, &accounts.token_program)
        .transfer(accounts.destination.to_account_info(), returned)?; // nothing for zero
    vault.revoked = true;
    vault.invariant()?;
    emit!(VaultRevoked {
        vault: vault.key(),
        paid,
        returned,
        destination: accounts.destination.key(),
        total_emitted: vault.total_emitted,
        emitted_hours: vault.emitted_hours,
    });
    Ok(())
}
