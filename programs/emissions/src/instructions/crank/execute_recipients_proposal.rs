use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{
    error::EmissionsError,
    events::{RecipientsProposalExecuted, RecipientsUpdated},
    payout::{as_args, check_vault_recipients, split_payees},
};

#[derive(Accounts)]
pub struct ExecuteRecipientsProposal<'info> {
    /// Anyone, once the proposal's delay has passed.
    pub executor: Signer<'info>,

    pub paying_vault: PayingVault<'info>,
    // Remaining accounts: the current recipients' token accounts (in order, writable), then
    // the proposed recipients' token accounts (in the proposal's order).
}

impl ExecuteRecipientsProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let vault = &self.paying_vault.vault;
        require!(vault.has_proposal(), EmissionsError::NoRecipientsProposal);
        require!(!vault.revoked, EmissionsError::AlreadyRevoked);
        require!(!vault.ended(), EmissionsError::ScheduleEnded);
        require!(vault.proposal_ready(now), EmissionsError::RecipientsProposalNotReady);
        Ok(())
    }
}

/// Installs the pending proposal once its delay has passed (permissionless: the change is
/// public and was announced `recipients_delay_secs` ago; the authority can cancel it until it
/// runs). What is due is paid to the current recipients first, with their rounding dust,
/// paused or not; the proposed recipients share what is emitted from then on. Their token
/// accounts must still be of the mint, able to receive and of the owners recorded in the
/// proposal.
#[access_control(ctx.accounts.validate())]
pub fn handler<'info>(
    ctx: Context<'_, '_, '_, 'info, ExecuteRecipientsProposal<'info>>,
) -> Result<()> {
    let accounts = ctx.accounts;
    let vault = &accounts.paying_vault.vault;
    let (old_accounts, new_accounts) = split_payees(vault, ctx.remaining_accounts)?;
    let new = check_vault_recipients(vault, &as_args(vault.proposed_recipients()), new_accounts)?;
    require!(
        new.owners.as_slice() == vault.proposed_owners(),
        EmissionsError::RecipientOwnerChanged
    );
    accounts.paying_vault.tokens().settle_due(old_accounts)?;

    let vault = &mut accounts.paying_vault.vault;
    let executable_at = vault.proposal_executable_at;
    let old_recipients = vault.set_recipients(&new.recipients, &new.owners);
    vault.clear_proposal();
    vault.invariant()?;
    let key = vault.key();
    emit!(RecipientsUpdated {
        vault: key,
        old_recipients: old_recipients.clone(),
        new_recipients: new.recipients.clone(),
        base_emitted: vault.total_emitted,
        paid_old: true,
    });
    emit!(RecipientsProposalExecuted {
        vault: key,
        executor: accounts.executor.key(),
        old_recipients,
        new_recipients: new.recipients,
        executable_at,
        base_emitted: vault.total_emitted,
    });
    Ok(())
}
