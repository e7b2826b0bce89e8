use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{error::EmissionsError, events::RecipientsProposalCancelled, state::EmissionVault};

#[derive(Accounts)]
pub struct CancelRecipientsProposal<'info> {
    pub authority: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = authority @ EmissionsError::NotAuthority,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,
}

impl CancelRecipientsProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(self.vault.has_proposal(), EmissionsError::NoRecipientsProposal);
        Ok(())
    }
}

/// Withdraws the pending recipients proposal (before it is executed, even after its delay).
pub fn handler(ctx: Context<CancelRecipientsProposal>) -> Result<()> {
    ctx.accounts.validate()?;
    let vault = &mut ctx.accounts.vault;
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
