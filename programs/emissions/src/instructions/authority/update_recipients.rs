use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::RecipientsUpdated,
    math,
    payout::{check_new_recipients, RecipientArg, VaultTokens},
    state::EmissionVault,
};

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
        require!(!self.vault.revoked, EmissionsError::AlreadyRevoked);
        require!(!self.vault.ended(), EmissionsError::ScheduleEnded);
        Ok(())
    }
}

/// Replaces the recipients. Unless the vault is paused, what is due is paid to the current
/// recipients first (with their rounding dust), so they keep every hour up to now; the new
/// recipients share what is emitted from then on. While paused nothing is paid: the hours not
/// yet paid go to the new recipients on resume (the way to replace a recipient account that
/// can no longer receive, e.g. closed or frozen).
pub fn handler<'info>(
    ctx: Context<'_, '_, '_, 'info, UpdateRecipients<'info>>,
    recipients: Vec<RecipientArg>,
) -> Result<()> {
    ctx.accounts.validate()?;
    let accounts = ctx.accounts;
    let old_count = usize::from(accounts.vault.recipient_count);
    require!(ctx.remaining_accounts.len() >= old_count, EmissionsError::RecipientMismatch);
    let (old_accounts, new_accounts) = ctx.remaining_accounts.split_at(old_count);
    let new_recipients = check_new_recipients(
        &recipients,
        new_accounts,
        &accounts.vault.mint,
        &accounts.vault.token_program,
        &accounts.vault.token_vault,
    )?;

    let paid_old = !accounts.vault.paused;
    if paid_old {
        let now = Clock::get()?.unix_timestamp;
        let to_hour = math::hours_due(accounts.vault.start_ts, now);
        let paid = VaultTokens {
            vault: &mut accounts.vault,
            token_vault: &accounts.token_vault,
            mint: &accounts.mint,
            token_program: &accounts.token_program,
        }
        .pay_due(old_accounts, to_hour, true)?;
        require!(paid.caught_up, EmissionsError::CatchUpFirst);
    } else {
        // Only the keys: an account that can no longer receive is what this path is for.
        let current = accounts.vault.recipients();
        require!(
            old_accounts.iter().zip(current).all(|(info, r)| info.key() == r.token_account),
            EmissionsError::RecipientMismatch
        );
    }

    let vault = &mut accounts.vault;
    let old_recipients = vault.recipients().to_vec();
    vault.set_recipients(&new_recipients);
    vault.recipients_base_emitted = vault.total_emitted;
    vault.invariant()?;
    emit!(RecipientsUpdated {
        vault: vault.key(),
        old_recipients,
        new_recipients,
        base_emitted: vault.total_emitted,
        paid_old,
    });
    Ok(())
}
