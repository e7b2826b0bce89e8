use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::EmissionEnded,
    math,
    payout::{end_reason, VaultTokens},
    state::EmissionVault,
};

#[derive(Accounts)]
pub struct Emit<'info> {
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
    // Remaining accounts: the recipients' token accounts, in order, writable.
}

impl Emit<'_> {
    /// Returns the hour up to which hours are due, or an error when nothing can be paid.
    pub fn validate(&self, now: i64) -> Result<u64> {
        require!(!self.vault.paused, EmissionsError::VaultPaused);
        require!(now >= self.vault.start_ts, EmissionsError::NotStarted);
        let to_hour = math::hours_due(self.vault.start_ts, now);
        require!(to_hour > self.vault.emitted_hours, EmissionsError::NothingDue);
        Ok(to_hour)
    }
}

/// Pays every whole hour due since the last emission (permissionless). Once the schedule has
/// ended (cap reached, rate decayed to zero, revoked) it is a no-op that logs `EmissionEnded`.
pub fn handler<'info>(ctx: Context<'_, '_, '_, 'info, Emit<'info>>) -> Result<()> {
    let accounts = ctx.accounts;
    if accounts.vault.ended() {
        let vault = &accounts.vault;
        emit!(EmissionEnded {
            vault: vault.key(),
            reason: end_reason(vault),
            total_emitted: vault.total_emitted,
            emitted_hours: vault.emitted_hours,
        });
        return Ok(());
    }
    let to_hour = accounts.validate(Clock::get()?.unix_timestamp)?;
    VaultTokens {
        vault: &mut accounts.vault,
        token_vault: &accounts.token_vault,
        mint: &accounts.mint,
        token_program: &accounts.token_program,
    }
    .pay_due(ctx.remaining_accounts, to_hour, false)?;
    accounts.vault.invariant()
}
