use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{
    error::EmissionsError,
    events::RecipientsProposed,
    payout::{check_vault_recipients, RecipientArg},
};

#[derive(Accounts)]
pub struct ProposeRecipients<'info> {
    pub vault_authority: VaultAuthority<'info>,
    // Remaining accounts: the proposed recipients' token accounts, in the order of
    // `recipients`.
}

impl ProposeRecipients<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(!self.vault_authority.vault.revoked, EmissionsError::AlreadyRevoked);
        require!(!self.vault_authority.vault.ended(), EmissionsError::ScheduleEnded);
        Ok(())
    }
}

/// Proposes a new list of recipients (any vault; the only way for a non-revocable one). It is
/// stored on the vault, public, and can be executed `recipients_delay_secs` from now (fixed at
/// creation, ≥ 48 h for a non-revocable vault). Proposing again replaces the pending proposal
/// and restarts the delay. Nothing is paid and nothing changes for the current recipients until
/// the proposal is executed.
#[access_control(ctx.accounts.validate())]
pub fn handler<'info>(
    ctx: Context<'_, '_, '_, 'info, ProposeRecipients<'info>>,
    recipients: Vec<RecipientArg>,
) -> Result<()> {
    let vault = &mut ctx.accounts.vault_authority.vault;
    let new = check_vault_recipients(vault, &recipients, ctx.remaining_accounts)?;
    let now = Clock::get()?.unix_timestamp;
    let old_proposal = vault.proposed_recipients().to_vec();
    let executable_at = vault.set_proposal(&new.recipients, &new.owners, now)?;
    vault.invariant()?;
    emit!(RecipientsProposed {
        vault: vault.key(),
        authority: vault.authority,
        old_proposal,
        recipients: new.recipients,
        owners: new.owners,
        executable_at,
    });
    Ok(())
}
