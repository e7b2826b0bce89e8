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

use crucible_common::math::mul_div_floor;

/// Basis points in one whole.
pub const BPS: u64 = 10_000;
/// Seconds in one schedule hour.
pub const SECS_PER_HOUR: i64 = 3_600;
/// At most this many decay periods are crossed by one call; the rest waits for the next call.
/// A period costs a fixed handful of checked operations, so a call stays well inside the
/// default compute budget whatever the schedule (see the README). A schedule with hourly
/// periods catches up 1 000 hours per call; the default monthly one, 83 years.
pub const MAX_PERIODS_PER_CALL: u64 = 1_000;

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
    for (share, paid) in shares.iter().zip(out.iter_mut()) {
        *paid = owed(after, *share)?.checked_sub(owed(before, *share)?)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DESIGN.md's defaults with 6 decimals: 4,583 tokens an hour, −1.02 % every 730 hours,
    /// 300 M cap.
    pub const DEFAULT: Schedule = Schedule {
        initial_per_hour: 4_583_000_000,
        decay_bps: 102,
        period_hours: 730,
        cap: 300_000_000_000_000,
    };

    /// Hour by hour, with nothing clever: the definition.
    fn brute(s: &Schedule, hours: u64) -> u64 {
        let mut total = 0u64;
        for h in 0..hours {
            let rate = rate_of_period(s, h / u64::from(s.period_hours)).unwrap();
            total = total.saturating_add(rate).min(s.cap);
        }
        total
    }

    use crucible_common::rng::SplitMix64 as Rng;

    fn random_schedule(rng: &mut Rng) -> Schedule {
        let initial_per_hour = match rng.below(4) {
            0 => 1 + rng.below(10),
            1 => 1 + rng.below(100_000),
            2 => 1 + rng.below(u64::MAX / 2),
            _ => 1 + rng.below(10_000_000_000),
        };
        let decay_bps = match rng.below(6) {
            0 => 0,
            1 => 10_000,
            2 => 9_999,
            _ => rng.below(3_000) as u16,
        };
        let period_hours = 1 + rng.below(40) as u32;
        let cap = match rng.below(3) {
            0 => 1 + rng.below(initial_per_hour.saturating_mul(50).max(1)),
            1 => u64::MAX,
            _ => 1 + rng.below(u64::MAX / 4),
        };
        Schedule { initial_per_hour, decay_bps, period_hours, cap }
    }

    #[test]
    fn the_rate_decays_by_floor() {
        assert_eq!(next_rate(10_000, 102), Some(9_898));
        assert_eq!(next_rate(99, 102), Some(97)); // 99 · 9 898 / 10 000 = 97.99
        assert_eq!(next_rate(1, 1), Some(0));
        assert_eq!(next_rate(u64::MAX, 0), Some(u64::MAX));
        assert_eq!(next_rate(u64::MAX, 10_000), Some(0));
        assert_eq!(next_rate(u64::MAX, 1), Some(mul_div_floor(u64::MAX, 9_999, 10_000).unwrap()));
        assert_eq!(next_rate(5, 10_001), None);
    }

    #[test]
    fn closed_form_equals_hour_by_hour() {
        let mut rng = Rng(7);
        for _ in 0..400 {
            let s = random_schedule(&mut rng);
            let hours = rng.below(600);
            assert_eq!(cumulative(&s, hours), Some(brute(&s, hours)), "{s:?} {hours}");
        }
        assert_eq!(cumulative(&DEFAULT, 8_760), Some(brute(&DEFAULT, 8_760)));
    }

    #[test]
    fn any_split_of_the_hours_pays_the_same() {
        let mut rng = Rng(11);
        for _ in 0..300 {
            let s = random_schedule(&mut rng);
            let to = rng.below(2_000);
            let once = advance(&s, Progress::start(&s), to, u64::MAX).unwrap();
            // Random strides, and a small period bound so that some calls stop early.
            let mut p = Progress::start(&s);
            let mut calls = 0;
            while p.hours < to && !ended(&s, &p) {
                let target = (p.hours + 1 + rng.below(50)).min(to);
                let a = advance(&s, p, target, 1 + rng.below(3)).unwrap();
                assert_eq!(a.amount, a.progress.total - p.total);
                p = a.progress;
                calls += 1;
                assert!(calls < 10_000);
            }
            assert_eq!(p.total, once.progress.total, "{s:?} to {to}");
            assert_eq!(p.rate, once.progress.rate, "{s:?} to {to}");
            assert_eq!(p.period, p.hours / u64::from(s.period_hours));
        }
    }

    #[test]
    fn the_cap_clips_the_last_hour_and_stops_there() {
        let s = Schedule { initial_per_hour: 10, decay_bps: 0, period_hours: 5, cap: 25 };
        let a = advance(&s, Progress::start(&s), 100, u64::MAX).unwrap();
        // Hours 0 and 1 pay 10 each, hour 2 is clipped to 5.
        assert_eq!((a.progress.hours, a.progress.total, a.amount), (3, 25, 25));
        assert!(a.caught_up && ended(&s, &a.progress));
        // Nothing more, ever.
        let b = advance(&s, a.progress, 1_000, u64::MAX).unwrap();
        assert_eq!((b.amount, b.progress), (0, a.progress));
        // Clipped exactly at a period boundary: the cursor moves on consistently.
        let s = Schedule { initial_per_hour: 10, decay_bps: 5_000, period_hours: 2, cap: 25 };
        let a = advance(&s, Progress::start(&s), 100, u64::MAX).unwrap();
        // 10 + 10 + 5 = 25 at hour 2 (first hour of period 1).
        assert_eq!((a.progress.hours, a.progress.total, a.progress.period), (3, 25, 1));
        let s = Schedule { initial_per_hour: 10, decay_bps: 5_000, period_hours: 2, cap: 19 };
        let a = advance(&s, Progress::start(&s), 100, u64::MAX).unwrap();
        assert_eq!((a.progress.hours, a.progress.period, a.progress.rate), (2, 1, 5));
    }

    #[test]
    fn a_rate_decayed_to_zero_ends_the_schedule_below_the_cap() {
        let s = Schedule { initial_per_hour: 3, decay_bps: 5_000, period_hours: 2, cap: 1_000 };
        // 3,3 then 1,1 then 0 forever: the cursor stops at hour 4, the first that emits 0.
        let a = advance(&s, Progress::start(&s), 1_000_000, u64::MAX).unwrap();
        assert_eq!((a.progress.total, a.progress.rate, a.progress.hours), (8, 0, 4));
        assert_eq!(a.progress.period, 2);
        assert!(ended(&s, &a.progress) && a.caught_up);
        let s = Schedule { decay_bps: 10_000, ..s };
        assert_eq!(cumulative(&s, 50), Some(6));
    }

    #[test]
    fn work_is_bounded_by_periods_not_hours() {
        // Hourly periods: one call crosses at most MAX_PERIODS_PER_CALL of them.
        let s =
            Schedule { initial_per_hour: 1 << 40, decay_bps: 1, period_hours: 1, cap: u64::MAX };
        let a = advance(&s, Progress::start(&s), 8_760, MAX_PERIODS_PER_CALL).unwrap();
        assert_eq!((a.progress.hours, a.periods_crossed, a.caught_up), (1_000, 1_000, false));
        assert_eq!(a.progress.total, cumulative(&s, 1_000).unwrap());
        // Without decay a constant rate spans any number of periods in one step.
        let s = Schedule { decay_bps: 0, ..s };
        let a = advance(&s, Progress::start(&s), 1_000_000, 1).unwrap();
        assert_eq!((a.progress.hours, a.periods_crossed, a.caught_up), (1_000_000, 0, true));
        assert_eq!(a.progress.total, (1u64 << 40) * 1_000_000);
        // The default schedule: a year is 12 periods, 10 years 120.
        let a = advance(&DEFAULT, Progress::start(&DEFAULT), 87_600, MAX_PERIODS_PER_CALL).unwrap();
        assert_eq!((a.periods_crossed, a.caught_up), (120, true));
    }

    #[test]
    fn the_default_schedule_reaches_its_cap() {
        let year = cumulative(&DEFAULT, 8_760).unwrap();
        assert_eq!(year, brute(&DEFAULT, 8_760));
        // Hour by hour with a period-by-period rate table: same figure.
        let a = advance(&DEFAULT, Progress::start(&DEFAULT), u64::MAX / 2, u64::MAX).unwrap();
        assert_eq!(a.progress.total, DEFAULT.cap);
        // About 20 years (DESIGN.md: "paces a 300 M pool over about 20 years").
        let years = a.progress.hours / 8_760;
        assert!((18..=30).contains(&years), "{years} years");
    }

    #[test]
    fn extreme_parameters_do_not_overflow() {
        let s = Schedule {
            initial_per_hour: u64::MAX,
            decay_bps: 1,
            period_hours: u32::MAX,
            cap: u64::MAX,
        };
        let a = advance(&s, Progress::start(&s), u64::MAX, MAX_PERIODS_PER_CALL).unwrap();
        assert_eq!((a.progress.hours, a.progress.total), (1, u64::MAX));
        assert_eq!(emitted_between(&s, 0, 3), Some(u64::MAX));
        assert_eq!(emitted_between(&s, 3, 2), None);
        assert_eq!(hours_due(i64::MIN, i64::MAX), u64::MAX / 3_600);
        assert_eq!(hours_due(100, 99), 0);
        assert_eq!(hours_due(100, 3_699), 0);
        assert_eq!(hours_due(100, 3_700), 1);
    }

    #[test]
    fn the_split_is_path_independent_and_never_negative() {
        // The counterexample to "the last recipient takes each call's remainder".
        let shares = [4_000u16, 4_000, 2_000];
        let mut out = [0u64; 3];
        split(&shares, 2, 3, &mut out).unwrap();
        assert_eq!(out, [1, 1, 0]);
        assert_eq!(dust(&shares, 3), Some(1));
        assert_eq!(dust(&shares, 2), Some(2));

        let mut rng = Rng(3);
        for _ in 0..500 {
            let n = 1 + rng.below(8) as usize;
            let mut shares = vec![1u16; n];
            for _ in 0..(10_000 - n) {
                shares[rng.below(n as u64) as usize] += 1;
            }
            let total = rng.below(1 << 40);
            let mut paid_stepwise = vec![0u64; n];
            let mut at = 0u64;
            while at < total {
                let next = (at + 1 + rng.below(total / 5 + 1)).min(total);
                let mut out = [0u64; 8];
                split(&shares, at, next, &mut out).unwrap();
                for i in 0..n {
                    paid_stepwise[i] += out[i];
                }
                at = next;
            }
            let mut once = [0u64; 8];
            split(&shares, 0, total, &mut once).unwrap();
            assert_eq!(&paid_stepwise[..], &once[..n]);
            let d = dust(&shares, total).unwrap();
            assert!(d < n as u64);
            assert_eq!(once[..n].iter().sum::<u64>() + d, total);
        }
    }
}
