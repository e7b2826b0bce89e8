use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::EmissionsError, events::VaultPausedSet, state::EmissionVault};

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = authority @ EmissionsError::NotAuthority,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,
}

impl SetPaused<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(!self.vault.revoked, EmissionsError::AlreadyRevoked);
        Ok(())
    }
}

/// A paused vault pays nothing (`emit` fails with `VaultPaused`), but its hours keep
/// accruing: on resume the next `emit` pays them, so what hour `h` emits never depends on
/// pauses.
pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    ctx.accounts.validate()?;
    let vault = &mut ctx.accounts.vault;
    let old_paused = vault.paused;
    vault.paused = paused;
    emit!(VaultPausedSet { vault: vault.key(), old_paused, new_paused: paused });
    Ok(())
}
