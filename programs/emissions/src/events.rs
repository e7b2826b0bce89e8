//! One event per state change, named in the past tense, carrying what is needed to recompute
//! derived figures off-chain.
use anchor_lang::prelude::*;

use crate::state::Recipient;

#[event]
pub struct VaultCreated {
    pub vault: Pubkey,
    pub mint: Pubkey,
    pub authority: Pubkey,
    pub token_vault: Pubkey,
    pub vault_id: u64,
    pub start_ts: i64,
    pub initial_per_hour: u64,
    pub decay_bps: u16,
    pub period_hours: u32,
    pub cap: u64,
    pub revocable: bool,
    pub recipients: Vec<Recipient>,
    /// Transferred into the token vault from the authority's account: the whole cap.
    pub funded: u64,
    /// Delay between a recipients proposal and its earliest execution, fixed for the vault.
    pub recipients_delay_secs: u32,
    /// The owners of the recipients' token accounts, in order.
    pub recipient_owners: Vec<Pubkey>,
}

/// A token transfer from the vault to one recipient.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payment {
    pub token_account: Pubkey,
    pub amount: u64,
}

#[event]
pub struct Emitted {
    pub vault: Pubkey,
    /// Hours `from_hour..to_hour` were paid by this call.
    pub from_hour: u64,
    pub to_hour: u64,
    /// What those hours emitted (the last one clipped at the cap).
    pub amount: u64,
    /// What each current recipient received, in order (the settled dust included).
    pub payments: Vec<Payment>,
    /// Rounding dust paid to the last recipient because its set was settled by this call
    /// (recipients replaced, schedule ended, vault revoked); included in `payments`.
    pub settled_dust: u64,
    /// Rounding dust still held for the current recipients after the call.
    pub undistributed: u64,
    pub total_emitted: u64,
    pub emitted_hours: u64,
    /// The cursor after the call: the decay period of hour `emitted_hours` and its rate.
    pub period: u64,
    pub rate: u64,
    /// Decay periods crossed by this call.
    pub periods_crossed: u64,
    /// `false` when the per-call period bound stopped the call before every due hour was paid:
    /// call `emit` again.
    pub caught_up: bool,
}

#[event]
pub struct EmissionCapReached {
    pub vault: Pubkey,
    pub cap: u64,
    /// The hour that reached the cap (clipped) is `emitted_hours − 1`.
    pub emitted_hours: u64,
}

/// Why a vault emits nothing more.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// `total_emitted` reached `cap`.
    CapReached,
    /// The hourly rate decayed to zero before the cap.
    RateDecayedToZero,
    /// The authority revoked the vault.
    Revoked,
}

/// Logged by an `emit` that pays nothing because the schedule is over (a no-op), and by the
/// call in which the rate decays to zero.
#[event]
pub struct EmissionEnded {
    pub vault: Pubkey,
    pub reason: EndReason,
    pub total_emitted: u64,
    pub emitted_hours: u64,
}

#[event]
pub struct VaultFunded {
    pub vault: Pubkey,
    pub funder: Pubkey,
    pub amount: u64,
    /// The token vault's balance after the deposit.
    pub balance: u64,
}

#[event]
pub struct RecipientsUpdated {
    pub vault: Pubkey,
    pub old_recipients: Vec<Recipient>,
    pub new_recipients: Vec<Recipient>,
    /// `total_emitted` at the change: the new recipients share what is emitted from here.
    pub base_emitted: u64,
    /// Whether what was due was paid to the old recipients first: always, paused or not
    /// (kept for the event's layout).
    pub paid_old: bool,
}

#[event]
pub struct VaultPausedSet {
    pub vault: Pubkey,
    pub old_paused: bool,
    pub new_paused: bool,
}

#[event]
pub struct VaultRevoked {
    pub vault: Pubkey,
    /// Paid to the recipients for the hours due (and their settled dust) before revoking.
    pub paid: u64,
    /// The token vault's remaining balance, returned to `destination`.
    pub returned: u64,
    pub destination: Pubkey,
    pub total_emitted: u64,
    pub emitted_hours: u64,
}

#[event]
pub struct VaultClosed {
    pub vault: Pubkey,
    pub authority: Pubkey,
    pub reason: EndReason,
    pub total_emitted: u64,
    /// Tokens left in the token vault (sent to it directly, or never emittable after the rate
    /// decayed to zero), paid to `destination` before closing.
    pub swept: u64,
    pub destination: Pubkey,
}

#[event]
pub struct AuthorityProposed {
    pub vault: Pubkey,
    pub authority: Pubkey,
    pub old_pending_authority: Pubkey,
    pub new_pending_authority: Pubkey,
}

#[event]
pub struct AuthorityTransferred {
    pub vault: Pubkey,
    pub old_authority: Pubkey,
    pub new_authority: Pubkey,
}

/// A change of recipients proposed (publicly visible until executed or cancelled).
#[event]
pub struct RecipientsProposed {
    pub vault: Pubkey,
    pub authority: Pubkey,
    /// The proposal this one replaces (empty when none was pending).
    pub old_proposal: Vec<Recipient>,
    pub recipients: Vec<Recipient>,
    /// The owners of the proposed token accounts, in order: they must be unchanged at execution.
    pub owners: Vec<Pubkey>,
    /// Earliest unix time at which `execute_recipients_proposal` installs it.
    pub executable_at: i64,
}

#[event]
pub struct RecipientsProposalCancelled {
    pub vault: Pubkey,
    pub authority: Pubkey,
    pub recipients: Vec<Recipient>,
    pub executable_at: i64,
}

/// A proposal installed: the old recipients were paid every hour before it (see the `Emitted`
/// and `RecipientsUpdated` events of the same call).
#[event]
pub struct RecipientsProposalExecuted {
    pub vault: Pubkey,
    /// Whoever executed it (anyone may, once `executable_at` has passed).
    pub executor: Pubkey,
    pub old_recipients: Vec<Recipient>,
    pub new_recipients: Vec<Recipient>,
    pub executable_at: i64,
    /// `total_emitted` at the change: the new recipients share what is emitted from here.
    pub base_emitted: u64,
}

/// One recipient's token account replaced by another of the same owner and mint, same share.
#[event]
pub struct RecipientAccountReplaced {
    pub vault: Pubkey,
    /// Who signed: the recipient's owner, or anyone once the old account could not receive.
    pub caller: Pubkey,
    pub index: u8,
    pub old_token_account: Pubkey,
    pub new_token_account: Pubkey,
    pub owner: Pubkey,
    pub share_bps: u16,
    /// Whether the old account could still receive (only its owner may replace it then).
    pub old_could_receive: bool,
}

/// A work-rewards pool created.
#[event]
pub struct WorkPoolCreated {
    pub pool: Pubkey,
    pub pool_id: u64,
    pub creator: Pubkey,
    pub mint: Pubkey,
    pub token_vault: Pubkey,
    pub emission_vault: Pubkey,
    pub destination: Pubkey,
    pub recorder: Pubkey,
    pub cap_bps: u16,
    /// The hour from which the pool follows the vault (its `emitted_hours` then; 0 when the
    /// vault does not exist yet).
    pub from_hour: u64,
}

/// A settlement's burn recorded for its provider and hour.
#[event]
pub struct WorkRecorded {
    pub pool: Pubkey,
    pub provider: Pubkey,
    pub hour: u64,
    pub burned: u64,
    /// The provider's and the hour's burn after this one.
    pub provider_burned: u64,
    pub hour_burned: u64,
}

/// A settlement's burn not recorded: the pool's vault has not started, has ended or is gone.
#[event]
pub struct WorkNotRecorded {
    pub pool: Pubkey,
    pub provider: Pubkey,
    pub burned: u64,
}

/// One hour with burns finalized by a crank.
#[event]
pub struct WorkHourFinalized {
    pub pool: Pubkey,
    pub hour: u64,
    pub burned: u64,
    pub emission: u64,
    pub distributable: u64,
    /// `emission − distributable`: owed to the destination.
    pub undistributed: u64,
    /// Whether the cap (not the emission) limited what the providers share.
    pub cap_binding: bool,
}

/// A crank of a work pool: hours `from_hour..to_hour` finalized.
#[event]
pub struct WorkPoolCranked {
    pub pool: Pubkey,
    pub from_hour: u64,
    pub to_hour: u64,
    /// Received since the last range (0 when no range opened in this call).
    pub received: u64,
    /// What these hours and the claims' dust left for the destination ...
    pub undistributed: u64,
    /// ... and what was paid to it now (all that is owed, when it can receive).
    pub paid_to_destination: u64,
    pub owed_to_destination: u64,
    pub reserved: u64,
}

/// A provider's work reward for one hour, paid to its token account.
#[event]
pub struct WorkRewardClaimed {
    pub pool: Pubkey,
    pub provider: Pubkey,
    pub hour: u64,
    pub amount: u64,
    pub provider_burned: u64,
    pub hour_burned: u64,
    /// Whoever sent the claim (anyone may) and who got the record's rent back.
    pub claimer: Pubkey,
    pub rent_payer: Pubkey,
    /// The hour's rounding dust, left for the destination by its last claim (else 0).
    pub dust: u64,
}

/// A fully claimed hour's record closed, its rent back to its payer.
#[event]
pub struct WorkHourClosed {
    pub pool: Pubkey,
    pub hour: u64,
    pub rent_payer: Pubkey,
}
