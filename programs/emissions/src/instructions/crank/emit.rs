use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::EmissionsError, events::EmissionEnded, math, payout::end_reason};

#[derive(Accounts)]
pub struct Emit<'info> {
    pub paying_vault: PayingVault<'info>,
    // Remaining accounts: the recipients' token accounts, in order, writable.
}

impl Emit<'_> {
    /// Returns the hour up to which hours are due, or an error when nothing can be paid.
    pub fn validate(&self, now: i64) -> Result<u64> {
        let vault = &self.paying_vault.vault;
        require!(!vault.paused, EmissionsError::VaultPaused);
        require!(now >= vault.start_ts, EmissionsError::NotStarted);
        let to_hour = math::hours_due(vault.start_ts, now);
        require!(to_hour > vault.emitted_hours, EmissionsError::NothingDue);
        Ok(to_hour)
    }
}

/// Pays every whole hour due since the last emission (permissionless). Once the schedule has
/// ended (cap reached, rate decayed to zero, revoked) it is a no-op that logs `EmissionEnded`.
/// `validate` runs after that test: an ended vault is not an error, paused or not.
pub fn handler<'info>(ctx: Context<'_, '_, '_, 'info, Emit<'info>>) -> Result<()> {
    let accounts = ctx.accounts;
    if accounts.paying_vault.vault.ended() {
        let vault = &accounts.paying_vault.vault;
        emit!(EmissionEnded {
            vault: vault.key(),
            reason: end_reason(vault),
            total_emitted: vault.total_emitted,
            emitted_hours: vault.emitted_hours,
        });
        return Ok(());
    }
    let to_hour = accounts.validate(Clock::get()?.unix_timestamp)?;
    accounts.paying_vault.tokens().pay_due(ctx.remaining_accounts, to_hour, false)?;
    accounts.paying_vault.vault.invariant()
}
