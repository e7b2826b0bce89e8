use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::EmissionsError, events::AuthorityProposed, state::EmissionVault};

#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    pub authority: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = authority @ EmissionsError::NotAuthority,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,
}

/// First step of an authority transfer: the proposed key must accept. Proposing again
/// replaces the proposal.
pub fn handler(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
    require_keys_neq!(new_authority, Pubkey::default(), EmissionsError::InvalidAuthority);
    let vault = &mut ctx.accounts.vault;
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
