use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::EmissionsError, events::AuthorityTransferred, state::EmissionVault};

#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    pub new_authority: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        constraint = vault.pending_authority == new_authority.key()
            @ EmissionsError::NotPendingAuthority,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,
}

pub fn handler(ctx: Context<AcceptAuthority>) -> Result<()> {
    let vault = &mut ctx.accounts.vault;
    let old_authority = vault.authority;
    vault.authority = vault.pending_authority;
    vault.pending_authority = Pubkey::default();
    emit!(AuthorityTransferred {
        vault: vault.key(),
        old_authority,
        new_authority: vault.authority,
    });
    Ok(())
}
