use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, CloseAccount, Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::VaultClosed,
    payout::{end_reason, VaultTokens},
    state::EmissionVault,
};

#[derive(Accounts)]
pub struct CloseVault<'info> {
    /// Receives the rent of the vault and of its token account.
    #[account(mut)]
    pub authority: Signer<'info>,

    #[account(
        mut,
        close = authority,
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

    /// Receives whatever the token vault still holds (tokens sent to it directly, or the part
    /// of the cap a rate decayed to zero never emitted).
    #[account(
        mut,
        constraint = destination.mint == vault.mint @ EmissionsError::WrongMint,
        constraint = destination.key() != vault.token_vault @ EmissionsError::RecipientIsVault,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
}

impl CloseVault<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(self.vault.ended(), EmissionsError::VaultNotEmpty);
        Ok(())
    }
}

/// Closes a vault whose schedule is over (cap reached, rate decayed to zero, or revoked):
/// sweeps what its token account still holds to `destination`, closes the token account and
/// the vault, and returns both rents to the authority.
pub fn handler(ctx: Context<CloseVault>) -> Result<()> {
    ctx.accounts.validate()?;
    let accounts = ctx.accounts;
    let swept = accounts.token_vault.amount;
    let tokens = VaultTokens {
        vault: &mut accounts.vault,
        token_vault: &accounts.token_vault,
        mint: &accounts.mint,
        token_program: &accounts.token_program,
    };
    if swept > 0 {
        tokens.transfer(accounts.destination.to_account_info(), swept)?;
    }
    let id = tokens.vault.vault_id.to_le_bytes();
    let seeds = tokens.vault.signer_seeds(&id);
    token_interface::close_account(CpiContext::new_with_signer(
        accounts.token_program.to_account_info(),
        CloseAccount {
            account: accounts.token_vault.to_account_info(),
            destination: accounts.authority.to_account_info(),
            authority: tokens.vault.to_account_info(),
        },
        &[&seeds],
    ))?;
    let vault = &accounts.vault;
    emit!(VaultClosed {
        vault: vault.key(),
        authority: vault.authority,
        reason: end_reason(vault),
        total_emitted: vault.total_emitted,
        swept,
        destination: accounts.destination.key(),
    });
    Ok(())
}
