use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError, events::VaultRevoked, payout::VaultTokens, state::EmissionVault,
};

#[derive(Accounts)]
pub struct Revoke<'info> {
    pub authority: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = authority @ EmissionsError::NotAuthority,
        has_one = mint @ EmissionsError::WrongMint,
        has_one = token_vault,
        has_one = token_program @ EmissionsError::WrongTokenProgram,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,

    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any token account of the mint, chosen by the authority: receives what is not yet paid.
    #[account(
        mut,
        constraint = destination.mint == vault.mint @ EmissionsError::WrongMint,
        constraint = destination.key() != vault.token_vault @ EmissionsError::RecipientIsVault,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    // Remaining accounts: the recipients' token accounts, in order, writable.
}

impl Revoke<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(self.vault.revocable, EmissionsError::NotRevocable);
        require!(!self.vault.revoked, EmissionsError::AlreadyRevoked);
        Ok(())
    }
}

/// Ends a revocable vault: pays the recipients every hour due (and their rounding dust), paused
/// or not, then returns the token vault's whole remaining balance to `destination`. A pause
/// delays payment, never reassigns it: the hours due before the revoke are the recipients'.
pub fn handler<'info>(ctx: Context<'_, '_, '_, 'info, Revoke<'info>>) -> Result<()> {
    ctx.accounts.validate()?;
    let accounts = ctx.accounts;
    let paid = VaultTokens {
        vault: &mut accounts.vault,
        token_vault: &accounts.token_vault,
        mint: &accounts.mint,
        token_program: &accounts.token_program,
    }
    .settle_due(ctx.remaining_accounts)?;
    accounts.token_vault.reload()?;
    let returned = accounts.token_vault.amount;
    if returned > 0 {
        VaultTokens {
            vault: &mut accounts.vault,
            token_vault: &accounts.token_vault,
            mint: &accounts.mint,
            token_program: &accounts.token_program,
        }
        .transfer(accounts.destination.to_account_info(), returned)?;
    }
    let vault = &mut accounts.vault;
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
