use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::RecipientsUpdated,
    payout::{check_new_recipients, RecipientArg, VaultTokens},
    state::EmissionVault,
};

/// The accounts an immediate or proposed change of recipients needs: the vault and what paying
/// its current recipients takes.
#[derive(Accounts)]
pub struct UpdateRecipients<'info> {
    pub authority: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = authority @ EmissionsError::NotAuthority,
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
    // the new recipients' token accounts (in the order of `recipients`).
}

impl UpdateRecipients<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(self.vault.revocable, EmissionsError::RecipientsChangeNeedsProposal);
        require!(!self.vault.revoked, EmissionsError::AlreadyRevoked);
        require!(!self.vault.ended(), EmissionsError::ScheduleEnded);
        Ok(())
    }
}

/// Replaces the recipients of a revocable vault at once (a non-revocable vault only through a
/// proposal and its delay: `RecipientsChangeNeedsProposal`). What is due is paid to the current
/// recipients first, with their rounding dust, paused or not, so they keep every hour up to
/// now; the new recipients share what is emitted from then on.
pub fn handler<'info>(
    ctx: Context<'_, '_, '_, 'info, UpdateRecipients<'info>>,
    recipients: Vec<RecipientArg>,
) -> Result<()> {
    ctx.accounts.validate()?;
    let accounts = ctx.accounts;
    let old_count = usize::from(accounts.vault.recipient_count);
    require!(ctx.remaining_accounts.len() >= old_count, EmissionsError::RecipientMismatch);
    let (old_accounts, new_accounts) = ctx.remaining_accounts.split_at(old_count);
    let new = check_new_recipients(
        &recipients,
        new_accounts,
        &accounts.vault.mint,
        &accounts.vault.token_program,
        &accounts.vault.token_vault,
    )?;

    VaultTokens {
        vault: &mut accounts.vault,
        token_vault: &accounts.token_vault,
        mint: &accounts.mint,
        token_program: &accounts.token_program,
    }
    .settle_due(old_accounts)?;

    let vault = &mut accounts.vault;
    let old_recipients = vault.recipients().to_vec();
    vault.set_recipients(&new.recipients, &new.owners);
    vault.invariant()?;
    emit!(RecipientsUpdated {
        vault: vault.key(),
        old_recipients,
        new_recipients: new.recipients,
        base_emitted: vault.total_emitted,
        paid_old: true,
    });
    Ok(())
}
