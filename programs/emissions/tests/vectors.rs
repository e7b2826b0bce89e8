//! The shared test vectors of the emission schedule: `tests/vectors/emissions.json` at the
//! workspace root, which the SDK's mocha suite checks its TypeScript mirror against
//! (`tests/emissions.math.test.ts`).
//!
//! This test recomputes every vector from `crucible_emissions::math`, checks each one against
//! an hour-by-hour sum from the definition where that is affordable, and fails when the
//! committed file differs from what it computes (layout aside: the file is kept formatted by
//! prettier). `UPDATE_VECTORS=1 cargo test -p crucible-emissions --test vectors` rewrites the
//! file instead; then `npx prettier --write tests/vectors/emissions.json`.

use crucible_emissions::math::{self, Progress, Schedule};

use crucible_common::rng::SplitMix64 as Rng;

/// Hour by hour, from the definition.
fn brute(s: &Schedule, hours: u64) -> u64 {
    let mut rate = s.initial_per_hour;
    let mut total = 0u64;
    for h in 0..hours {
        if h > 0 && h % u64::from(s.period_hours) == 0 {
            rate = math::next_rate(rate, s.decay_bps).unwrap();
        }
        total = total.saturating_add(rate).min(s.cap);
    }
    total
}

fn named_schedules() -> Vec<(&'static str, Schedule)> {
    let s = |initial_per_hour, decay_bps, period_hours, cap| Schedule {
        initial_per_hour,
        decay_bps,
        period_hours,
        cap,
    };
    vec![
        // DESIGN.md's defaults with 6 decimals.
        ("default", s(4_583_000_000, 102, 730, 300_000_000_000_000)),
        ("small", s(1_000, 1_000, 4, 1_000_000)),
        ("no-decay", s(1_001, 0, 10, 2_500)),
        ("full-decay", s(10_000, 10_000, 3, 1_000_000)),
        ("hourly-periods", s(1 << 30, 1, 1, u64::MAX)),
        ("decays-to-zero", s(10, 5_000, 1, 1_000)),
        ("tiny-rate", s(1, 9_999, 7, 5)),
        ("huge-rate", s(u64::MAX, 1, 2, u64::MAX)),
        ("long-period", s(123_456_789, 250, u32::MAX, u64::MAX / 3)),
        ("cap-below-first-hour", s(1_000_000, 500, 24, 999)),
    ]
}

fn random_schedule(rng: &mut Rng) -> Schedule {
    let initial_per_hour = match rng.below(4) {
        0 => 1 + rng.below(10),
        1 => 1 + rng.below(1_000_000),
        2 => 1 + rng.below(u64::MAX / 2),
        _ => 1 + rng.below(10_000_000_000),
    };
    let decay_bps = match rng.below(5) {
        0 => 0,
        1 => 10_000,
        _ => rng.below(3_000) as u16,
    };
    let period_hours = 1 + rng.below(1_000) as u32;
    let cap = match rng.below(3) {
        0 => 1 + rng.below(initial_per_hour.saturating_mul(1_000)),
        1 => u64::MAX,
        _ => 1 + rng.below(u64::MAX / 2),
    };
    Schedule { initial_per_hour, decay_bps, period_hours, cap }
}

fn q(x: u64) -> String {
    format!("\"{x}\"")
}

fn schedule_json(name: &str, s: &Schedule, rng: &mut Rng) -> String {
    let rates: Vec<String> = (0..6).map(|k| q(math::rate_of_period(s, k).unwrap())).collect();
    let period = u64::from(s.period_hours);
    // Hours around the first period boundaries, a year, and random hours.
    let mut hours = vec![0, 1, 2, period - 1, period, period + 1, 2 * period, 8_760, 87_600];
    for _ in 0..6 {
        hours.push(rng.below(200_000));
    }
    hours.sort_unstable();
    hours.dedup();
    let cumulative: Vec<String> = hours
        .iter()
        .map(|h| {
            let total = math::cumulative(s, *h).unwrap();
            if *h <= 10_000 {
                assert_eq!(total, brute(s, *h), "{name} at {h}");
            }
            format!("[{}, {}]", q(*h), q(total))
        })
        .collect();
    let between: Vec<String> = (0..8)
        .map(|_| {
            let from = rng.below(20_000);
            let to = from + rng.below(20_000);
            let amount = math::emitted_between(s, from, to).unwrap();
            if to <= 10_000 {
                assert_eq!(amount, brute(s, to) - brute(s, from), "{name} {from}..{to}");
            }
            format!("[{}, {}, {}]", q(from), q(to), q(amount))
        })
        .collect();
    // Where the schedule ends: the hour after the one that reaches the cap, or the first hour
    // whose rate is zero; with its total.
    let end = math::advance(s, Progress::start(s), u64::MAX, u64::MAX).unwrap().progress;
    assert!(math::ended(s, &end), "{name} ends");
    format!(
        "    {{\n      \"name\": \"{name}\",\n      \"initialPerHour\": {},\n      \"decayBps\": {},\n      \"periodHours\": {},\n      \"cap\": {},\n      \"rates\": [{}],\n      \"cumulative\": [{}],\n      \"between\": [{}],\n      \"endHour\": {},\n      \"endTotal\": {}\n    }}",
        q(s.initial_per_hour),
        s.decay_bps,
        s.period_hours,
        q(s.cap),
        rates.join(", "),
        cumulative.join(", "),
        between.join(", "),
        q(end.hours),
        q(end.total),
    )
}

fn split_json(rng: &mut Rng) -> String {
    let n = 1 + rng.below(8) as usize;
    let mut shares = vec![1u16; n];
    for _ in 0..(10_000 - n) {
        shares[rng.below(n as u64) as usize] += 1;
    }
    let (b, a) = (rng.below(60), rng.below(60));
    let before = rng.below(1 << b);
    let after = before + rng.below(1 << a);
    let mut out = [0u64; 8];
    math::split(&shares, before, after, &mut out).unwrap();
    let dust = math::dust(&shares, after).unwrap();
    let shares: Vec<String> = shares.iter().map(|s| s.to_string()).collect();
    let payments: Vec<String> = out[..n].iter().map(|p| q(*p)).collect();
    format!(
        "    {{ \"shares\": [{}], \"before\": {}, \"after\": {}, \"payments\": [{}], \"dust\": {} }}",
        shares.join(", "),
        q(before),
        q(after),
        payments.join(", "),
        q(dust)
    )
}

fn vectors() -> String {
    let mut rng = Rng(0x5EED_E415);
    let mut schedules: Vec<String> =
        named_schedules().iter().map(|(name, s)| schedule_json(name, s, &mut rng)).collect();
    for i in 0..40 {
        let s = random_schedule(&mut rng);
        schedules.push(schedule_json(&format!("random-{i}"), &s, &mut rng));
    }
    let mut splits: Vec<String> = vec![
        // The case where "the last takes each call's remainder" would go negative.
        "    { \"shares\": [4000, 4000, 2000], \"before\": \"2\", \"after\": \"3\", \"payments\": [\"1\", \"1\", \"0\"], \"dust\": \"1\" }".to_string(),
    ];
    for _ in 0..40 {
        splits.push(split_json(&mut rng));
    }
    format!(
        "{{\n  \"comment\": \"Generated by programs/emissions/tests/vectors.rs from the program's math (UPDATE_VECTORS=1 cargo test -p crucible-emissions --test vectors, then npx prettier --write tests/vectors/emissions.json); do not edit. Amounts and hours are decimal strings.\",\n  \"schedules\": [\n{}\n  ],\n  \"splits\": [\n{}\n  ]\n}}\n",
        schedules.join(",\n"),
        splits.join(",\n")
    )
}

/// The JSON text without whitespace outside strings, so that formatting does not matter.
fn without_layout(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_committed_vectors_are_what_the_program_math_computes() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/emissions.json");
    let fresh = vectors();
    if std::env::var("UPDATE_VECTORS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
        println!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run UPDATE_VECTORS=1 cargo test -p crucible-emissions --test vectors)",
            path.display()
        )
    });
    assert!(
        without_layout(&committed) == without_layout(&fresh),
        "{} differs from what the program's math computes: run UPDATE_VECTORS=1 cargo test -p crucible-emissions --test vectors",
        path.display()
    );
}
