//! Accounts that several instructions share, nested in their accounts structs (Helium's
//! `*CommonV0` pattern). Each account keeps its name, so a flat list of names still describes
//! every instruction; Anchor lays a nested struct's accounts out in place, so the order of each
//! instruction's accounts is what it was.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::{error::EmissionsError, payout::VaultTokens, state::EmissionVault};

/// A vault and its authority, signing: the authority's instructions on an existing vault
/// (`set_paused`, `propose_recipients`, `cancel_recipients_proposal`, `propose_authority`,
/// `update_recipients`, `revoke`).
#[derive(Accounts)]
pub struct VaultAuthority<'info> {
    pub authority: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = authority @ EmissionsError::NotAuthority,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,
}

/// A vault with what paying out of its token account takes (its mint, token account and token
/// program): the permissionless payers `emit` and `execute_recipients_proposal`.
#[derive(Accounts)]
pub struct PayingVault<'info> {
    #[account(
        mut,
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

    pub token_program: Interface<'info, TokenInterface>,
}

impl<'info> PayingVault<'info> {
    /// The vault's token movements.
    pub fn tokens(&mut self) -> VaultTokens<'_, 'info> {
        VaultTokens::new(&mut self.vault, &self.token_vault, &self.mint, &self.token_program)
    }
}

/// Refuses a mint a vault or a work pool cannot hold safely (see DESIGN.md: freeze and close
/// authorities, and the Token-2022 extensions that tax, hook or claw back transfers).
pub fn check_mint(mint: &AccountInfo) -> Result<()> {
    use crucible_common::mint::MintRejection;
    crucible_common::mint::check_mint(mint).map_err(|r| {
        match r {
            MintRejection::NotAMint => EmissionsError::InvalidMint,
            MintRejection::Extension(_) => EmissionsError::UnsupportedMintExtension,
            MintRejection::FreezeAuthority => EmissionsError::MintHasFreezeAuthority,
            MintRejection::CloseAuthority => EmissionsError::MintHasCloseAuthority,
        }
        .into()
    })
}
