use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::{
    error::EmissionsError,
    math::{self, OrOverflow, Progress, SafeMath, Schedule},
};

/// Most recipients a vault pays.
pub const MAX_RECIPIENTS: usize = 8;

/// One recipient: a token account of the vault's mint and its share of every emission.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Recipient {
    pub token_account: Pubkey,
    /// Share in basis points (> 0; the shares of a vault sum to exactly 10 000).
    pub share_bps: u16,
}

/// An emission vault: a token vault funded with the whole cap at creation that releases a
/// decaying amount every hour to its recipients. PDA `["vault", mint, vault_id (u64 LE)]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct EmissionVault {
    pub authority: Pubkey,
    /// Proposed next authority (two-step transfer); `Pubkey::default()` when none.
    pub pending_authority: Pubkey,
    pub mint: Pubkey,
    /// SPL Token or Token-2022: the owner of `mint`.
    pub token_program: Pubkey,
    /// Token account PDA `["vault_tokens", vault]` owned by this vault: the cap not yet paid.
    pub token_vault: Pubkey,
    pub vault_id: u64,
    /// Unix time at which hour 0 starts.
    pub start_ts: i64,
    pub initial_per_hour: u64,
    /// Decay of the hourly rate at the end of each period, in basis points (≤ 10 000).
    pub decay_bps: u16,
    /// Length of a decay period in hours (> 0).
    pub period_hours: u32,
    /// Most the vault will ever emit (> 0); funded in full at creation.
    pub cap: u64,
    /// Hours `0..emitted_hours` are paid.
    pub emitted_hours: u64,
    /// What those hours emitted: Σ rate(h) for h < emitted_hours, at most `cap`.
    pub total_emitted: u64,
    /// Cursor: the decay period of hour `emitted_hours` ...
    pub cursor_period: u64,
    /// ... and its hourly rate, so `emit` never recomputes from period 0.
    pub cursor_rate: u64,
    /// `total_emitted` when the current recipients were installed (or last settled): they are
    /// owed `floor((total_emitted − base) · share / 10 000)` each since then.
    pub recipients_base_emitted: u64,
    pub recipient_count: u8,
    pub recipients: [Recipient; MAX_RECIPIENTS],
    /// Whether the authority may revoke the vault; fixed at creation.
    pub revocable: bool,
    pub revoked: bool,
    pub paused: bool,
    pub bump: u8,
    pub token_vault_bump: u8,
    // --- appended fields (the layout above is unchanged) ---
    /// Seconds between `propose_recipients` and the earliest `execute_recipients_proposal`;
    /// fixed at creation: at least 48 hours for a non-revocable vault, at most 30 days.
    pub recipients_delay_secs: u32,
    /// The owner of each current recipient's token account when it was installed or last paid
    /// (an account's owner can hand it to another key): `replace_recipient_account` only ever
    /// installs another account of the recipient's owner.
    pub recipient_owners: [Pubkey; MAX_RECIPIENTS],
    /// The pending recipients proposal: 0 when there is none.
    pub proposed_recipient_count: u8,
    pub proposed_recipients: [Recipient; MAX_RECIPIENTS],
    /// The owners of the proposed token accounts when proposed; they must be unchanged at
    /// execution.
    pub proposed_recipient_owners: [Pubkey; MAX_RECIPIENTS],
    /// Earliest unix time at which the pending proposal can be executed.
    pub proposal_executable_at: i64,
}

impl EmissionVault {
    pub const SEED: &'static [u8] = b"vault";
    pub const TOKEN_VAULT_SEED: &'static [u8] = b"vault_tokens";
    /// Earliest accepted start: one day before creation.
    pub const MAX_START_IN_PAST_SECS: i64 = 24 * 3_600;
    /// Latest accepted start: ten years after creation.
    pub const MAX_START_IN_FUTURE_SECS: i64 = 10 * 365 * 24 * 3_600;
    /// Shortest recipients delay of a non-revocable vault: 48 hours.
    pub const MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS: u32 = 48 * 3_600;
    /// Longest recipients delay of any vault: 30 days.
    pub const MAX_RECIPIENTS_DELAY_SECS: u32 = 30 * 24 * 3_600;

    /// Signer seeds of the vault PDA (authority of the token vault).
    pub fn signer_seeds<'a>(&'a self, vault_id: &'a [u8; 8]) -> [&'a [u8]; 4] {
        [Self::SEED, self.mint.as_ref(), vault_id, core::slice::from_ref(&self.bump)]
    }

    pub fn schedule(&self) -> Schedule {
        Schedule {
            initial_per_hour: self.initial_per_hour,
            decay_bps: self.decay_bps,
            period_hours: self.period_hours,
            cap: self.cap,
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            hours: self.emitted_hours,
            total: self.total_emitted,
            period: self.cursor_period,
            rate: self.cursor_rate,
        }
    }

    pub fn set_progress(&mut self, p: Progress) {
        self.emitted_hours = p.hours;
        self.total_emitted = p.total;
        self.cursor_period = p.period;
        self.cursor_rate = p.rate;
    }

    /// The current recipients.
    pub fn recipients(&self) -> &[Recipient] {
        &self.recipients[..usize::from(self.recipient_count).min(MAX_RECIPIENTS)]
    }

    /// Their shares, in order.
    pub fn shares(&self) -> ([u16; MAX_RECIPIENTS], usize) {
        let mut shares = [0u16; MAX_RECIPIENTS];
        let recipients = self.recipients();
        // Bounded: at most MAX_RECIPIENTS (8).
        for (share, r) in shares.iter_mut().zip(recipients) {
            *share = r.share_bps;
        }
        (shares, recipients.len())
    }

    /// The owners of the current recipients' token accounts, in order.
    pub fn owners(&self) -> &[Pubkey] {
        &self.recipient_owners[..usize::from(self.recipient_count).min(MAX_RECIPIENTS)]
    }

    /// Installs a checked list of recipients and their owners (see
    /// `payout::check_new_recipients`); they share what is emitted from `total_emitted` on.
    /// Returns the recipients replaced.
    pub fn set_recipients(
        &mut self,
        recipients: &[Recipient],
        owners: &[Pubkey],
    ) -> Vec<Recipient> {
        let old = self.recipients().to_vec();
        self.recipients = [Recipient::default(); MAX_RECIPIENTS];
        self.recipients[..recipients.len()].copy_from_slice(recipients);
        self.recipient_owners = [Pubkey::default(); MAX_RECIPIENTS];
        self.recipient_owners[..owners.len()].copy_from_slice(owners);
        self.recipient_count = recipients.len() as u8;
        self.recipients_base_emitted = self.total_emitted;
        old
    }

    /// The pending recipients proposal (empty when there is none).
    pub fn proposed_recipients(&self) -> &[Recipient] {
        &self.proposed_recipients[..usize::from(self.proposed_recipient_count).min(MAX_RECIPIENTS)]
    }

    /// The owners recorded with the pending proposal, in order.
    pub fn proposed_owners(&self) -> &[Pubkey] {
        &self.proposed_recipient_owners
            [..usize::from(self.proposed_recipient_count).min(MAX_RECIPIENTS)]
    }

    /// Whether a recipients proposal is pending.
    pub fn has_proposal(&self) -> bool {
        self.proposed_recipient_count > 0
    }

    /// Records a checked proposal, executable `recipients_delay_secs` from `now`.
    pub fn set_proposal(
        &mut self,
        recipients: &[Recipient],
        owners: &[Pubkey],
        now: i64,
    ) -> Result<i64> {
        let executable_at = now.safe_add(i64::from(self.recipients_delay_secs))?;
        self.proposed_recipients = [Recipient::default(); MAX_RECIPIENTS];
        self.proposed_recipients[..recipients.len()].copy_from_slice(recipients);
        self.proposed_recipient_owners = [Pubkey::default(); MAX_RECIPIENTS];
        self.proposed_recipient_owners[..owners.len()].copy_from_slice(owners);
        self.proposed_recipient_count = recipients.len() as u8;
        self.proposal_executable_at = executable_at;
        Ok(executable_at)
    }

    /// Forgets the pending proposal.
    pub fn clear_proposal(&mut self) {
        self.proposed_recipients = [Recipient::default(); MAX_RECIPIENTS];
        self.proposed_recipient_owners = [Pubkey::default(); MAX_RECIPIENTS];
        self.proposed_recipient_count = 0;
        self.proposal_executable_at = 0;
    }

    /// Whether the pending proposal can be executed at `now`.
    pub fn proposal_ready(&self, now: i64) -> bool {
        self.has_proposal() && now >= self.proposal_executable_at
    }

    /// Emitted to the current recipients since they were installed (or last settled).
    pub fn distributed(&self) -> Result<u64> {
        self.total_emitted.safe_sub(self.recipients_base_emitted)
    }

    /// Whether nothing more can ever be emitted: revoked, cap reached or rate decayed to 0.
    pub fn ended(&self) -> bool {
        self.revoked || math::ended(&self.schedule(), &self.progress())
    }

    /// What the token vault must hold for the vault to honour its schedule: the cap not yet
    /// emitted plus the current recipients' undistributed rounding dust.
    pub fn committed_balance(&self) -> Result<u64> {
        if self.revoked {
            return Ok(0);
        }
        let (shares, n) = self.shares();
        let dust = math::dust(&shares[..n], self.distributed()?).or_overflow()?;
        self.cap.safe_sub(self.total_emitted)?.safe_add(dust)
    }

    /// Checks a destination of the vault's tokens (`revoke`, `close_vault`): any token account
    /// of the mint but the vault's own.
    pub fn check_destination(&self, destination: &InterfaceAccount<TokenAccount>) -> Result<()> {
        require_keys_eq!(destination.mint, self.mint, EmissionsError::WrongMint);
        require_keys_neq!(destination.key(), self.token_vault, EmissionsError::RecipientIsVault);
        Ok(())
    }

    /// Rules across fields that every mutating handler re-checks.
    pub fn invariant(&self) -> Result<()> {
        require!(self.total_emitted <= self.cap, EmissionsError::InvariantViolated);
        require!(
            self.recipients_base_emitted <= self.total_emitted,
            EmissionsError::InvariantViolated
        );
        require!(self.period_hours > 0, EmissionsError::InvariantViolated);
        require!(
            self.cursor_period == self.emitted_hours / u64::from(self.period_hours),
            EmissionsError::InvariantViolated
        );
        let n = usize::from(self.recipient_count);
        require!((1..=MAX_RECIPIENTS).contains(&n), EmissionsError::InvariantViolated);
        let sum: u64 = self.recipients().iter().map(|r| u64::from(r.share_bps)).sum();
        require!(sum == math::BPS, EmissionsError::InvariantViolated);
        let proposed = usize::from(self.proposed_recipient_count);
        require!(proposed <= MAX_RECIPIENTS, EmissionsError::InvariantViolated);
        if proposed > 0 {
            let sum: u64 = self.proposed_recipients().iter().map(|r| u64::from(r.share_bps)).sum();
            require!(sum == math::BPS, EmissionsError::InvariantViolated);
        }
        require!(
            self.recipients_delay_secs <= Self::MAX_RECIPIENTS_DELAY_SECS,
            EmissionsError::InvariantViolated
        );
        require!(
            self.revocable
                || self.recipients_delay_secs >= Self::MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS,
            EmissionsError::InvariantViolated
        );
        Ok(())
    }
}
