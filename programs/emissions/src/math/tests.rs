//! The schedule and the split against hour-by-hour definitions (unit tests of `math`).
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
    let s = Schedule { initial_per_hour: 1 << 40, decay_bps: 1, period_hours: 1, cap: u64::MAX };
    // A leap year of them is one call, one more hour is not.
    let leap_year = 366 * 24;
    assert_eq!(MAX_PERIODS_PER_CALL, leap_year);
    let a = advance(&s, Progress::start(&s), leap_year, MAX_PERIODS_PER_CALL).unwrap();
    assert_eq!((a.progress.hours, a.periods_crossed, a.caught_up), (leap_year, leap_year, true));
    assert_eq!(a.progress.total, cumulative(&s, leap_year).unwrap());
    let a = advance(&s, Progress::start(&s), leap_year + 1, MAX_PERIODS_PER_CALL).unwrap();
    assert_eq!((a.progress.hours, a.periods_crossed, a.caught_up), (leap_year, leap_year, false));
    let b = advance(&s, a.progress, leap_year + 1, MAX_PERIODS_PER_CALL).unwrap();
    assert_eq!((b.progress.hours, b.periods_crossed, b.caught_up), (leap_year + 1, 1, true));
    assert_eq!(b.progress.total, cumulative(&s, leap_year + 1).unwrap());
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
