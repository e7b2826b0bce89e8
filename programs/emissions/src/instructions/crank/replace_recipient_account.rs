use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::RecipientAccountReplaced,
    payout::{inspect, payable},
    state::EmissionVault,
};

#[derive(Accounts)]
pub struct ReplaceRecipientAccount<'info> {
    /// The recipient's owner at any time; anyone once the old account cannot receive.
    pub caller: Signer<'info>,

    #[account(
        mut,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,

    /// CHECK: must be the recipient's current token account (checked in `validate`); only
    /// inspected for whether it can still receive (it may be closed).
    pub old_token_account: UncheckedAccount<'info>,

    /// CHECK: checked in `validate`: a token account of the vault's mint under its token
    /// program that can receive, of the recipient's recorded owner, not yet a recipient.
    pub new_token_account: UncheckedAccount<'info>,
}

impl ReplaceRecipientAccount<'_> {
    /// Returns the recipient's owner and whether the old account could still receive.
    pub fn validate(&self, index: u8) -> Result<(Pubkey, bool)> {
        let vault = &self.vault;
        require!(!vault.revoked, EmissionsError::AlreadyRevoked);
        require!(!vault.ended(), EmissionsError::ScheduleEnded);
        let i = usize::from(index);
        require!(i < vault.recipients().len(), EmissionsError::RecipientIndexOutOfRange);
        let old = self.old_token_account.key();
        require_keys_eq!(
            old,
            vault.recipients()[i].token_account,
            EmissionsError::RecipientMismatch
        );

        let new = self.new_token_account.key();
        require_keys_neq!(new, vault.token_vault, EmissionsError::RecipientIsVault);
        require!(
            vault.recipients().iter().all(|r| r.token_account != new),
            EmissionsError::DuplicateRecipient
        );
        let new_owner = payable(&self.new_token_account, &vault.mint, &vault.token_program)
            .map_err(EmissionsError::from)?;
        // The recipient's owner: the old account's current owner while it is still a token
        // account of the mint (frozen or memo-required included), else the owner recorded when
        // it was installed or last paid (a closed account has none).
        let old = inspect(&self.old_token_account, &vault.mint, &vault.token_program).ok();
        let owner = old.map_or(vault.owners()[i], |(owner, _)| owner);
        require_keys_eq!(new_owner, owner, EmissionsError::RecipientOwnerMismatch);

        let old_could_receive = old.is_some_and(|(_, can)| can);
        require!(
            !old_could_receive || self.caller.key() == owner,
            EmissionsError::RecipientCanStillReceive
        );
        Ok((owner, old_could_receive))
    }
}

/// Replaces recipient `index`'s token account by another token account of the same owner and
/// mint, keeping its share: the remedy when the account can no longer receive (closed, frozen,
/// memo-required), which would otherwise make `emit`, and every instruction that pays first,
/// fail for every recipient. Immediate, paused or not, on any vault. Nothing is paid and
/// nothing is lost: a recipient's accrual is cumulative since `recipients_base_emitted`, so the
/// new account receives on the next `emit` everything the old one was owed and not paid.
///
/// The recipient's owner is the old account's current owner while it is still a token account
/// of the mint, else the owner recorded when it was installed or last paid (`recipient_owners`).
///
/// Who may call it: the recipient's owner at any time (moving its own stream between
/// its own accounts); anyone, the authority included, once the old account cannot receive, so
/// that neither a recipient who closes its account nor an absent authority can stop the
/// schedule. The new account can only be the recorded owner's, so no caller can send the
/// recipient's share anywhere else.
pub fn handler(ctx: Context<ReplaceRecipientAccount>, index: u8) -> Result<()> {
    let (owner, old_could_receive) = ctx.accounts.validate(index)?;
    let accounts = ctx.accounts;
    let vault = &mut accounts.vault;
    let i = usize::from(index);
    let old_token_account = vault.recipients[i].token_account;
    let new_token_account = accounts.new_token_account.key();
    vault.recipients[i].token_account = new_token_account;
    vault.recipient_owners[i] = owner;
    vault.invariant()?;
    emit!(RecipientAccountReplaced {
        vault: vault.key(),
        caller: accounts.caller.key(),
        index,
        old_token_account,
        new_token_account,
        owner,
        share_bps: vault.recipients[i].share_bps,
        old_could_receive,
    });
    Ok(())
}
