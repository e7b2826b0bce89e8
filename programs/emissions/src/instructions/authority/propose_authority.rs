use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::EmissionsError, events::AuthorityProposed};

#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    pub vault_authority: VaultAuthority<'info>,
}

impl ProposeAuthority<'_> {
    pub fn validate(&self, new_authority: Pubkey) -> Result<()> {
        require_keys_neq!(new_authority, Pubkey::default(), EmissionsError::InvalidAuthority);
        Ok(())
    }
}

/// First step of an authority transfer: the proposed key must accept. Proposing again
/// replaces the proposal.
#[access_control(ctx.accounts.validate(new_authority))]
pub fn handler(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
    let vault = &mut ctx.accounts.vault_authority.vault;
    let old_pending_authority = vault.pending_authority;
    vault.pending_authority = new_authority;
    emit!(AuthorityProposed {
        vault: vault.key(),
        authority: vault.authority,
        old_pending_authority,
        new_pending_authority: new_authority,
    });
    Ok(())
}
