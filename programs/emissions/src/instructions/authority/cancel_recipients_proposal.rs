use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::EmissionsError, events::RecipientsProposalCancelled};

#[derive(Accounts)]
pub struct CancelRecipientsProposal<'info> {
    pub vault_authority: VaultAuthority<'info>,
}

impl CancelRecipientsProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(self.vault_authority.vault.has_proposal(), EmissionsError::NoRecipientsProposal);
        Ok(())
    }
}

/// Withdraws the pending recipients proposal (before it is executed, even after its delay).
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CancelRecipientsProposal>) -> Result<()> {
    let vault = &mut ctx.accounts.vault_authority.vault;
    let recipients = vault.proposed_recipients().to_vec();
    let executable_at = vault.proposal_executable_at;
    vault.clear_proposal();
    vault.invariant()?;
    emit!(RecipientsProposalCancelled {
        vault: vault.key(),
        authority: vault.authority,
        recipients,
        executable_at,
    });
    Ok(())
}
