use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{
    error::EmissionsError,
    events::RecipientsUpdated,
    payout::{check_vault_recipients, split_payees, RecipientArg, VaultTokens},
};

/// The vault, its authority and what paying its current recipients takes.
#[derive(Accounts)]
pub struct UpdateRecipients<'info> {
    pub vault_authority: VaultAuthority<'info>,

    #[account(address = vault_authority.vault.mint @ EmissionsError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Pays the current recipients what is due before they change.
    #[account(mut, address = vault_authority.vault.token_vault @ ErrorCode::ConstraintHasOne)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        address = vault_authority.vault.token_program @ EmissionsError::WrongTokenProgram,
    )]
    pub token_program: Interface<'info, TokenInterface>,
    // Remaining accounts: the current recipients' token accounts (in order, writable), then
    // the new recipients' token accounts (in the order of `recipients`).
}

impl UpdateRecipients<'_> {
    pub fn validate(&self) -> Result<()> {
        let vault = &self.vault_authority.vault;
        require!(vault.revocable, EmissionsError::RecipientsChangeNeedsProposal);
        require!(!vault.revoked, EmissionsError::AlreadyRevoked);
        require!(!vault.ended(), EmissionsError::ScheduleEnded);
        Ok(())
    }
}

/// Replaces the recipients of a revocable vault at once (a non-revocable vault only through a
/// proposal and its delay: `RecipientsChangeNeedsProposal`). What is due is paid to the current
/// recipients first, with their rounding dust, paused or not, so they keep every hour up to
/// now; the new recipients share what is emitted from then on.
#[access_control(ctx.accounts.validate())]
pub fn handler<'info>(
    ctx: Context<'_, '_, '_, 'info, UpdateRecipients<'info>>,
    recipients: Vec<RecipientArg>,
) -> Result<()> {
    let accounts = ctx.accounts;
    let vault = &mut accounts.vault_authority.vault;
    let (old_accounts, new_accounts) = split_payees(vault, ctx.remaining_accounts)?;
    let new = check_vault_recipients(vault, &recipients, new_accounts)?;
    VaultTokens::new(vault, &accounts.token_vault, &accounts.mint, &accounts.token_program)
        .settle_due(old_accounts)?;

    let old_recipients = vault.set_recipients(&new.recipients, &new.owners);
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
