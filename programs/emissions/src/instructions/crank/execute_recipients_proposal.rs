use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::{RecipientsProposalExecuted, RecipientsUpdated},
    payout::{as_args, check_new_recipients, VaultTokens},
    state::EmissionVault,
};

#[derive(Accounts)]
pub struct ExecuteRecipientsProposal<'info> {
    /// Anyone, once the proposal's delay has passed.
    pub executor: Signer<'info>,

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
    // Remaining accounts: the current recipients' token accounts (in order, writable), then
    // the proposed recipients' token accounts (in the proposal's order).
}

impl ExecuteRecipientsProposal<'_> {
    pub fn validate(&self, now: i64) -> Result<()> {
        require!(self.vault.has_proposal(), EmissionsError::NoRecipientsProposal);
        require!(!self.vault.revoked, EmissionsError::AlreadyRevoked);
        require!(!self.vault.ended(), EmissionsError::ScheduleEnded);
        require!(self.vault.proposal_ready(now), EmissionsError::RecipientsProposalNotReady);
        Ok(())
    }
}

/// Installs the pending proposal once its delay has passed (permissionless: the change is
/// public and was announced `recipients_delay_secs` ago; the authority can cancel it until it
/// runs). What is due is paid to the current recipients first, with their rounding dust,
/// paused or not; the proposed recipients share what is emitted from then on. Their token
/// accounts must still be of the mint, able to receive and of the owners recorded in the
/// proposal.
pub fn handler<'info>(
    ctx: Context<'_, '_, '_, 'info, ExecuteRecipientsProposal<'info>>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(now)?;
    let accounts = ctx.accounts;
    let old_count = usize::from(accounts.vault.recipient_count);
    require!(ctx.remaining_accounts.len() >= old_count, EmissionsError::RecipientMismatch);
    let (old_accounts, new_accounts) = ctx.remaining_accounts.split_at(old_count);
    let proposed = as_args(accounts.vault.proposed_recipients());
    let new = check_new_recipients(
        &proposed,
        new_accounts,
        &accounts.vault.mint,
        &accounts.vault.token_program,
        &accounts.vault.token_vault,
    )?;
    require!(
        new.owners.as_slice() == accounts.vault.proposed_owners(),
        EmissionsError::RecipientOwnerChanged
    );

    VaultTokens {
        vault: &mut accounts.vault,
        token_vault: &accounts.token_vault,
        mint: &accounts.mint,
        token_program: &accounts.token_program,
    }
    .settle_due(old_accounts)?;

    let vault = &mut accounts.vault;
    let old_recipients = vault.recipients().to_vec();
    let executable_at = vault.proposal_executable_at;
    vault.set_recipients(&new.recipients, &new.owners);
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
