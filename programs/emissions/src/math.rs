//! The emission schedule and the recipients' split, in checked integer arithmetic only.
//!
//! Hour `h` (counted from the vault's `start_ts`) emits `rate(k)` with
//! `k = floor(h / period_hours)`, `rate(0) = initial_per_hour` and
//! `rate(k + 1) = floor(rate(k) · (10 000 − decay_bps) / 10 000)`, until the running total
//! reaches `cap`: the hour that reaches it is clipped, and nothing is emitted after it.
//!
//! [`advance`] pays a stretch of hours in closed form per decay period (`hours × rate(k)`),
//! moving a cursor (period index and its rate) that the vault stores, so a call never
//! recomputes from period 0 and its work is proportional to the periods it crosses, never to
//! the hours. [`cumulative`] and [`emitted_between`] are the pure reference the SDK mirrors.
//!
//! Rounding: every floor is in the vault's favour (a rate never rounds up; a recipient is
//! never paid more than its exact share).

use crucible_common::math::{mul_div_floor, BPS_DENOMINATOR};

// `SafeMath` (`a.safe_add(b)?` ...) and `OrOverflow` (`option.or_overflow()?`), failing with
// `EmissionsError::MathOverflow` and logging where.
crucible_common::safe_math!(crate::error::EmissionsError::MathOverflow);

/// Basis points in one whole (the workspace's `BPS_DENOMINATOR`), as a `u64`.
pub const BPS: u64 = BPS_DENOMINATOR as u64;
/// Seconds in one schedule hour.
pub const SECS_PER_HOUR: i64 = 3_600;
/// At most this many decay periods are crossed by one call; the rest waits for the next call.
/// It is the hours of a leap year (366 × 24), so a year of missed hours is one call whatever
/// the schedule: a period is at least an hour. A period costs a fixed handful of checked
/// operations (its compute cost is in the README); the default monthly schedule crosses 12 a
/// year, so one call catches up more than its whole 20 years.
pub const MAX_PERIODS_PER_CALL: u64 = 8_784;

/// The parameters that fix a vault's emission for every hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub initial_per_hour: u64,
    pub decay_bps: u16,
    pub period_hours: u32,
    pub cap: u64,
}

/// How far a vault has emitted: `hours` paid (hours `0..hours`), their `total`, and the
/// cursor: `period = hours / period_hours` and `rate = rate(period)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub hours: u64,
    pub total: u64,
    pub period: u64,
    pub rate: u64,
}

impl Progress {
    /// Nothing emitted yet.
    pub fn start(s: &Schedule) -> Self {
        Progress { hours: 0, total: 0, period: 0, rate: s.initial_per_hour }
    }
}

/// The result of paying a stretch of hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advance {
    pub progress: Progress,
    /// Emitted by the hours paid in this stretch (`progress.total − from.total`).
    pub amount: u64,
    /// Decay-period boundaries crossed (at most the `max_periods` given).
    pub periods_crossed: u64,
    /// Whether every hour up to `to_hour` is paid (or the schedule has ended); `false` when the
    /// period bound stopped the call early.
    pub caught_up: bool,
}

/// `rate(k + 1)` from `rate(k)`: `floor(rate · (10 000 − decay_bps) / 10 000)`.
pub fn next_rate(rate: u64, decay_bps: u16) -> Option<u64> {
    let keep = BPS.checked_sub(u64::from(decay_bps))?;
    match rate.checked_mul(keep) {
        Some(product) => Some(product / BPS),
        None => mul_div_floor(rate, keep, BPS),
    }
}

/// `rate(k)` from the start (O(k); for tests and off-chain tools, the program uses the cursor).
pub fn rate_of_period(s: &Schedule, k: u64) -> Option<u64> {
    let mut rate = s.initial_per_hour;
    // O(k): not called by the program (which keeps a cursor); tests and off-chain tools only.
    for _ in 0..k {
        if rate == 0 {
            break;
        }
        rate = next_rate(rate, s.decay_bps)?;
    }
    Some(rate)
}

/// Whether nothing more can ever be emitted: the cap is reached or the rate has decayed to 0.
pub fn ended(s: &Schedule, p: &Progress) -> bool {
    p.total >= s.cap || p.rate == 0
}

/// Pays the hours `from.hours..to_hour`, crossing at most `max_periods` decay periods.
///
/// Per stretch of hours inside one period, `hours × rate` (u128, compared with what is left
/// of the cap): when it reaches the cap, the hours paid end at the one that reaches it
/// (`ceil(room / rate)` hours) and that hour is clipped to `room`. When the rate is 0 (decayed
/// out) every later hour emits nothing and the cursor stays at the first such hour, however
/// the hours were cranked. Without decay the
/// rate never changes, so the whole stretch is one product whatever periods it spans.
/// Returns `None` on overflow (impossible for a vault that passed `create_vault`'s bounds).
pub fn advance(s: &Schedule, from: Progress, to_hour: u64, max_periods: u64) -> Option<Advance> {
    let period_hours = u64::from(s.period_hours);
    if period_hours == 0 {
        return None;
    }
    let constant = s.decay_bps == 0;
    let mut p = from;
    let mut periods_crossed = 0u64;
    // Bounded: every pass either ends the loop (caught up, cap reached, rate 0, or no decay:
    // one pass covers all hours) or crosses one decay period, so at most `max_periods + 1`
    // passes; the program passes MAX_PERIODS_PER_CALL (8 784).
    while p.hours < to_hour && p.total < s.cap {
        if p.rate == 0 {
            // Decayed out: every later hour emits nothing; the cursor stays where it is.
            break;
        }
        if periods_crossed >= max_periods {
            break;
        }
        let period_end = p.period.checked_add(1)?.checked_mul(period_hours)?;
        let end = if constant { to_hour } else { period_end.min(to_hour) };
        let hours = end.checked_sub(p.hours)?;
        let room = s.cap.checked_sub(p.total)?;
        let due = u128::from(hours).checked_mul(u128::from(p.rate))?;
        if due >= u128::from(room) {
            // The cap is reached in this stretch: stop at the hour that reaches it (clipped).
            let to_cap = (room / p.rate).checked_add(u64::from(room % p.rate != 0))?;
            p.hours = p.hours.checked_add(to_cap)?;
            p.total = s.cap;
        } else {
            p.hours = end;
            p.total = p.total.checked_add(u64::try_from(due).ok()?)?;
        }
        if constant {
            p.period = p.hours / period_hours;
        } else if p.hours == period_end {
            p.period = p.period.checked_add(1)?;
            p.rate = next_rate(p.rate, s.decay_bps)?;
            periods_crossed += 1;
        }
    }
    Some(Advance {
        progress: p,
        amount: p.total.checked_sub(from.total)?,
        periods_crossed,
        caught_up: p.hours >= to_hour || ended(s, &p),
    })
}

/// What hours `0..hours` emit in total (at most `cap`). The pure reference: no period bound.
pub fn cumulative(s: &Schedule, hours: u64) -> Option<u64> {
    advance(s, Progress::start(s), hours, u64::MAX).map(|a| a.progress.total)
}

/// What hours `from..to` emit: `cumulative(to) − cumulative(from)`.
pub fn emitted_between(s: &Schedule, from: u64, to: u64) -> Option<u64> {
    if to < from {
        return None;
    }
    cumulative(s, to)?.checked_sub(cumulative(s, from)?)
}

/// The whole hours due at `now` for a schedule starting at `start_ts`: hours
/// `0..floor((now − start_ts) / 3 600)` (none before the start).
pub fn hours_due(start_ts: i64, now: i64) -> u64 {
    if now <= start_ts {
        return 0;
    }
    // now − start_ts > 0 and fits: both are i64 timestamps, so the difference fits in u64.
    (now.abs_diff(start_ts)) / SECS_PER_HOUR as u64
}

/// What recipient `share_bps` is owed after `distributed` tokens were emitted to its set of
/// recipients: `floor(distributed · share / 10 000)`.
pub fn owed(distributed: u64, share_bps: u16) -> Option<u64> {
    mul_div_floor(distributed, u64::from(share_bps), BPS)
}

/// The rounding dust of a set of recipients after `distributed` tokens:
/// `distributed − Σ owed(distributed, share_i)`, between 0 and `shares.len() − 1`.
pub fn dust(shares: &[u16], distributed: u64) -> Option<u64> {
    let mut paid = 0u64;
    // Bounded: a vault has at most MAX_RECIPIENTS (8) shares.
    for share in shares {
        paid = paid.checked_add(owed(distributed, *share)?)?;
    }
    distributed.checked_sub(paid)
}

/// What each recipient is paid when the tokens emitted to its set grow from `before` to
/// `after` (both counted since the set was installed): `owed(after) − owed(before)` each.
///
/// A recipient's total therefore depends only on what its set has received, never on how
/// many calls delivered it (one call for H hours pays exactly what H calls of one hour pay).
/// The rounding dust is not paid here: it goes to the last recipient when the set is settled
/// (recipients replaced, schedule ended, vault revoked), see [`dust`]. It cannot simply be the
/// remainder of each call: that remainder can be negative (shares 40/40/20 %, one token
/// emitted after two: the first two are owed one token each).
pub fn split(shares: &[u16], before: u64, after: u64, out: &mut [u64]) -> Option<()> {
    if after < before || out.len() < shares.len() {
        return None;
    }
    // Bounded: at most MAX_RECIPIENTS (8) shares.
    for (share, paid) in shares.iter().zip(out.iter_mut()) {
        *paid = owed(after, *share)?.checked_sub(owed(before, *share)?)?;
    }
    Some(())
}

#[cfg(test)]
mod tests;
