use anchor_lang::prelude::*;

use crate::{
    error::EmissionsError,
    math::{Progress, SafeMath},
};

/// A work-rewards pool: a recipient of an emission vault that hands what it receives for each
/// emission hour to the providers whose settlements burned tokens in that hour, pro rata to
/// their burn and never more than `cap_bps` of it; the rest goes to `destination`.
/// PDA `["work_pool", mint, pool_id (u64 LE)]`. Nothing here is written by a settlement.
///
/// What it received for an hour: every receipt of the token vault (between two cranks) is
/// attributed to the hours the emission vault paid since the last range, in proportion to what
/// the schedule emitted in each of them (see [`crate::work`]), so the split is exact to the
/// unit however the cranks are timed.
#[account]
#[derive(InitSpace, Debug)]
pub struct WorkPool {
    pub pool_id: u64,
    /// Who created it (no powers: a pool has no authority, nothing in it can change).
    pub creator: Pubkey,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    /// Token account PDA `["work_tokens", pool]` owned by the pool: the emission vault pays it.
    pub token_vault: Pubkey,
    /// The emission vault whose hours this pool follows (PDA `["vault", mint, vault_id]`).
    pub emission_vault: Pubkey,
    /// Where what is not distributed goes (by default the staking pool's reward vault).
    pub destination: Pubkey,
    /// The only signer that may record burns: the market program's `["work_recorder"]` PDA.
    pub recorder: Pubkey,
    /// Most of an hour's burn paid back as work rewards, in basis points (1 to 10 000).
    pub cap_bps: u16,
    /// Whether `cursor` follows the emission vault yet (it may be created after the pool).
    pub started: bool,
    /// The emission vault's `start_ts`, once started.
    pub vault_start_ts: i64,
    /// The next hour to finalize and the schedule's position there.
    pub cursor_hours: u64,
    pub cursor_total: u64,
    pub cursor_period: u64,
    pub cursor_rate: u64,
    /// The current range: hours up to `range_end` share `range_amount`, in proportion to
    /// their schedule weight; `range_start_total` is the schedule's total at the range's start,
    /// `range_weight` what the schedule emits over the range.
    pub range_end: u64,
    pub range_start_total: u64,
    pub range_weight: u64,
    pub range_amount: u64,
    /// Distributable amounts of finalized hours not yet claimed.
    pub reserved: u64,
    /// Owed to `destination`, paid by the next crank it can receive.
    pub owed_to_destination: u64,
    pub total_received: u64,
    pub total_claimed: u64,
    pub total_to_destination: u64,
    pub bump: u8,
    pub token_vault_bump: u8,
}

impl WorkPool {
    pub const SEED: &'static [u8] = b"work_pool";
    pub const TOKEN_VAULT_SEED: &'static [u8] = b"work_tokens";
    /// Most hours one crank finalizes (each names its hour's `WorkHour` address).
    pub const MAX_HOURS_PER_CRANK: usize = 24;

    pub fn signer_seeds<'a>(&'a self, pool_id: &'a [u8; 8]) -> [&'a [u8]; 4] {
        [Self::SEED, self.mint.as_ref(), pool_id, core::slice::from_ref(&self.bump)]
    }

    pub fn cursor(&self) -> Progress {
        Progress {
            hours: self.cursor_hours,
            total: self.cursor_total,
            period: self.cursor_period,
            rate: self.cursor_rate,
        }
    }

    pub fn set_cursor(&mut self, p: Progress) {
        self.cursor_hours = p.hours;
        self.cursor_total = p.total;
        self.cursor_period = p.period;
        self.cursor_rate = p.rate;
    }

    /// What the token vault must hold at least: the reserved claims and the destination's due.
    pub fn committed(&self) -> Result<u64> {
        self.reserved.safe_add(self.owed_to_destination)
    }

    /// Rules across fields that every mutating handler re-checks.
    pub fn invariant(&self) -> Result<()> {
        require!(
            (1..=crate::math::BPS).contains(&u64::from(self.cap_bps)),
            EmissionsError::InvariantViolated
        );
        require!(self.cursor_hours <= self.range_end, EmissionsError::InvariantViolated);
        require!(
            self.range_start_total <= self.cursor_total || self.cursor_hours == self.range_end,
            EmissionsError::InvariantViolated
        );
        let out = self.total_claimed.safe_add(self.total_to_destination)?;
        let held = self.committed()?;
        require!(out.safe_add(held)? <= self.total_received, EmissionsError::InvariantViolated);
        Ok(())
    }
}

/// One emission hour of a pool with burns in it: their total and, once the hour is
/// finalized, what the pool received for it and what of that the providers share.
/// PDA `["work_hour", pool, hour (u64 LE)]`, created by the hour's first recorded burn. This
/// is the per-hour total every settlement of the hour writes, next to the mint it burns.
#[account]
#[derive(InitSpace, Debug)]
pub struct WorkHour {
    pub pool: Pubkey,
    pub hour: u64,
    /// Burned in this hour by settlements recorded for the pool.
    pub burned: u64,
    pub finalized: bool,
    /// What the pool received for this hour (set when finalized).
    pub emission: u64,
    /// `min(emission, floor(burned × cap_bps / 10 000))`: what the providers share.
    pub distributable: u64,
    /// Burn and tokens of the claims made so far.
    pub claimed_burn: u64,
    pub claimed_amount: u64,
    /// Paid the rent; receives it back when the hour is closed.
    pub rent_payer: Pubkey,
    pub bump: u8,
}

impl WorkHour {
    pub const SEED: &'static [u8] = b"work_hour";
}

/// One provider's burn in one hour of a pool: the provider's own record, created by its first
/// settlement of the hour and closed by its claim (rent back to whoever paid it).
/// PDA `["work", pool, provider, hour (u64 LE)]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct ProviderWork {
    pub pool: Pubkey,
    pub provider: Pubkey,
    pub hour: u64,
    pub burned: u64,
    pub rent_payer: Pubkey,
    pub bump: u8,
}

impl ProviderWork {
    pub const SEED: &'static [u8] = b"work";
}

/// The address of a pool's hour record (`program_id`: the emissions program's).
pub fn work_hour_address(pool: &Pubkey, hour: u64, program_id: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[WorkHour::SEED, pool.as_ref(), &hour.to_le_bytes()], program_id)
}

/// The address of a provider's record for a pool's hour (`program_id`: the emissions
/// program's).
pub fn provider_work_address(
    pool: &Pubkey,
    provider: &Pubkey,
    hour: u64,
    program_id: &Pubkey,
) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[ProviderWork::SEED, pool.as_ref(), provider.as_ref(), &hour.to_le_bytes()],
        program_id,
    )
}
