use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::EmissionsError, events::VaultPausedSet};

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub vault_authority: VaultAuthority<'info>,
}

impl SetPaused<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(!self.vault_authority.vault.revoked, EmissionsError::AlreadyRevoked);
        Ok(())
    }
}

/// A paused vault pays nothing (`emit` fails with `VaultPaused`), but its hours keep
/// accruing: on resume the next `emit` pays them, so what hour `h` emits never depends on
/// pauses.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let vault = &mut ctx.accounts.vault_authority.vault;
    let old_paused = vault.paused;
    vault.paused = paused;
    emit!(VaultPausedSet { vault: vault.key(), old_paused, new_paused: paused });
    Ok(())
}
