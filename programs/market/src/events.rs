//! One event per transition, in the past tense, with the amounts that moved, so that each
//! job's conservation (deposited = paid + burned + fee + refunded + escrowed) can be checked
//! from events alone.
use anchor_lang::prelude::*;

use crate::state::MarketParams;

#[event]
pub struct ConfigInitialized {
    pub admin: Pubkey,
    pub mint: Pubkey,
    pub treasury: Pubkey,
    pub collateral_authority: Pubkey,
    pub fee_vault: Pubkey,
}

#[event]
pub struct AdminProposed {
    pub admin: Pubkey,
    pub old_pending_admin: Pubkey,
    pub new_pending_admin: Pubkey,
}

#[event]
pub struct AdminTransferred {
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
}

#[event]
pub struct TreasuryChanged {
    pub old_treasury: Pubkey,
    pub new_treasury: Pubkey,
}

#[event]
pub struct MarketCreated {
    pub market: Pubkey,
    pub market_id: u64,
    pub name: [u8; 32],
    pub staking_pool: Pubkey,
    pub arbiter: Pubkey,
    pub params: MarketParams,
    /// The work-rewards pool its settlements record their burns in.
    pub work_pool: Option<Pubkey>,
}

#[event]
pub struct MarketUpdated {
    pub market: Pubkey,
    pub old_arbiter: Pubkey,
    pub new_arbiter: Pubkey,
    pub old_params: MarketParams,
    pub new_params: MarketParams,
}

#[event]
pub struct MarketPausedSet {
    pub market: Pubkey,
    pub old_paused: bool,
    pub new_paused: bool,
}

#[event]
pub struct JobCreated {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub nonce: u64,
    /// Deposited into the job's escrow.
    pub price: u64,
    pub collateral: u64,
    pub duration_secs: u64,
    pub target_provider: Pubkey,
    pub spec_hash: [u8; 32],
    /// No deadline falls after it; from then on the client can always take the payment back.
    pub lifetime_ends_at: i64,
}

/// A job of a USD-priced market, with the rate its token amount was fixed at (emitted after its
/// `JobCreated`).
#[event]
pub struct JobPricedInUsd {
    pub job: Pubkey,
    pub micro_usd: u64,
    /// Deposited into the escrow: `micro_usd` at `price − conf`, rounded up.
    pub tokens: u64,
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
}

#[event]
pub struct JobCancelled {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub refunded: u64,
}

#[event]
pub struct JobAccepted {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub collateral: u64,
    pub deadline: i64,
}

#[event]
pub struct JobQuit {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    /// Collateral unlocked (the job's collateral less `slashed`).
    pub collateral: u64,
    /// Collateral slashed to the client: the expiry slash for a quit after the grace window,
    /// zero within it.
    pub slashed: u64,
    /// Quits of this job so far, this one included (at most `Job::MAX_QUITTERS`).
    pub quitter_count: u8,
}

#[event]
pub struct ResultSubmitted {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub result_hash: [u8; 32],
    pub dispute_deadline: i64,
}

#[event]
pub struct JobCompleted {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    /// The job's price; burned + fee + paid is the escrow's whole balance (the price, unless
    /// someone else sent tokens to the escrow).
    pub price: u64,
    pub burned: u64,
    pub fee: u64,
    /// Paid to the provider.
    pub paid: u64,
    /// True when settled by `finalize_job` after the dispute window, false by the client.
    pub finalized: bool,
}

#[event]
pub struct JobDisputed {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub disputed_at: i64,
    /// The market's arbiter now, recorded on the job: the only key that may resolve it.
    pub arbiter: Pubkey,
}

#[event]
pub struct DisputeResolved {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub price: u64,
    pub provider_share_bps: u16,
    /// The client's part, refunded first (with anything beyond the price in the escrow).
    pub refunded: u64,
    pub burned: u64,
    pub fee: u64,
    pub paid: u64,
    /// Collateral slashed, to the client or burned.
    pub slashed: u64,
    pub slash_burned: bool,
    /// True when the default split applied after the arbitration window (`finalize_dispute`).
    pub by_default: bool,
}

#[event]
pub struct JobExpired {
    pub job: Pubkey,
    pub market: Pubkey,
    pub client: Pubkey,
    pub provider: Pubkey,
    pub refunded: u64,
    /// Collateral slashed to the client (`expiry_slash_bps` of it).
    pub slashed: u64,
}

#[event]
pub struct FeesSwept {
    pub fee_vault: Pubkey,
    pub treasury: Pubkey,
    pub amount: u64,
}
