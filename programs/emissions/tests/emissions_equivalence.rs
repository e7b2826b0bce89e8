//! Invariant 4 of DESIGN.md on random schedules: what hour `h` emits depends on `h` alone, so
//! how often anyone cranks never changes what anyone receives.
//!
//! Each schedule (random rate, decay including 0 and 10 000 bps, period length, a cap often
//! reached inside the run, 1 to 8 recipients with random shares, a start up to a day in the
//! past) is given to three vaults with the same recipients' shares, each paying its own
//! recipient accounts:
//! - vault A is emitted once, after H hours;
//! - vault B every hour (H calls of one hour);
//! - vault C at random moments, sometimes paused for a while.
//!
//! At the end every recipient of A, B and C holds exactly the same amount, to the unit (the
//! last one included), the three vaults' totals equal `math::cumulative(H)` and an hour-by-hour
//! sum from the definition, and every token vault holds exactly the cap minus what it paid.
//!
//! `EMISSIONS_SEED` (default 0xE5155) and `EMISSIONS_SCHEDULES` (default 120) control the run;
//! the seed is printed so that a failure can be replayed.

use crucible_program_tests as support;

use crucible_emissions::{
    events::Emitted,
    math::{self, Schedule},
    CreateVaultArgs,
};
use crucible_localnet::{
    testing::{send, token_balance},
    Localnet,
};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::emissions::{event, now, recipients, Vault, World, DELAY, HOUR};

use support::Rng;

#[derive(Debug)]
struct Case {
    schedule: Schedule,
    shares: Vec<u16>,
    hours: u64,
    /// Seconds between the start and the vaults' creation (under an hour: no backlog, so that
    /// each of B's calls pays exactly one hour).
    started_ago: u64,
}

fn random_case(rng: &mut Rng) -> Case {
    let initial_per_hour = match rng.below(4) {
        0 => 1 + rng.below(9),
        1 => 1 + rng.below(10_000),
        2 => 1 + rng.below(1 << 40),
        _ => 4_583_000_000,
    };
    let decay_bps = match rng.below(8) {
        0 => 0,
        1 => 10_000,
        2 => 9_999,
        3 => 102,
        _ => rng.below(5_000) as u16,
    };
    let period_hours = 1 + rng.below(48) as u32;
    let hours = 1 + rng.below(200);
    let full = math::cumulative(
        &Schedule { initial_per_hour, decay_bps, period_hours, cap: u64::MAX },
        hours,
    )
    .unwrap();
    // Half the time the cap falls inside the run (its last hour clipped).
    let cap = if rng.below(2) == 0 && full > 1 { 1 + rng.below(full - 1) } else { full.max(1) * 2 };
    let n = 1 + rng.below(8) as usize;
    let mut shares = vec![1u16; n];
    for _ in 0..(10_000 - n) {
        shares[rng.below(n as u64) as usize] += 1;
    }
    Case {
        schedule: Schedule { initial_per_hour, decay_bps, period_hours, cap },
        shares,
        hours,
        started_ago: rng.below(HOUR),
    }
}

/// Σ rate(h) for h < hours, clipped at the cap, one hour at a time.
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

struct Run {
    vault: Vault,
    payees: Vec<Pubkey>,
    paid: u64,
}

impl Run {
    /// Emits; returns the hours paid (`None` when refused: nothing due).
    fn emit(&mut self, chain: &mut Localnet, payer: &Keypair) -> Option<u64> {
        let logs = send(chain, payer, &[self.vault.emit(&self.payees)], &[]).ok()?;
        Some(match support::emissions::events::<Emitted>(&logs).pop() {
            Some(e) => {
                self.paid += e.payments.iter().map(|p| p.amount).sum::<u64>();
                e.to_hour - e.from_hour
            }
            // A no-op after the end of the schedule.
            None => 0,
        })
    }
}

#[test]
fn one_call_hour_by_hour_or_at_random_pays_every_recipient_the_same() {
    let seed =
        std::env::var("EMISSIONS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0xE5155_u64);
    let schedules: usize =
        std::env::var("EMISSIONS_SCHEDULES").ok().and_then(|s| s.parse().ok()).unwrap_or(120);
    println!("emissions equivalence: seed {seed}, {schedules} schedules (replay with EMISSIONS_SEED={seed})");
    let mut rng = Rng(seed);
    let mut chain = Localnet::new();
    let (mut calls, mut capped, mut decayed_out, mut recipients_total) = (0usize, 0, 0, 0);
    for n in 0..schedules {
        let case = random_case(&mut rng);
        let context = format!("seed {seed} schedule {n}: {case:?}");
        let w = World::new(&mut chain, case.schedule.cap.saturating_mul(3));
        let start = now(&chain) - case.started_ago as i64;
        let mut runs: Vec<Run> = (0..3u64)
            .map(|id| {
                let payees = w.accounts(&mut chain, case.shares.len());
                let args = CreateVaultArgs {
                    vault_id: id,
                    start_ts: start,
                    initial_per_hour: case.schedule.initial_per_hour,
                    decay_bps: case.schedule.decay_bps,
                    period_hours: case.schedule.period_hours,
                    cap: case.schedule.cap,
                    revocable: false,
                    recipients: recipients(&payees, &case.shares),
                    recipients_delay_secs: DELAY,
                };
                let vault =
                    w.create(&mut chain, args).unwrap_or_else(|e| panic!("{context}: {e:?}"));
                Run { vault, payees, paid: 0 }
            })
            .collect();
        let authority = w.authority.insecure_clone();
        // The clock now stands `started_ago` into the schedule; walk H more hours.
        let mut paused = false;
        for _ in 0..case.hours {
            chain.warp(HOUR);
            // B: every hour, each call paying exactly that hour (or nothing once ended).
            let ended = runs[1].vault.state(&chain).ended();
            let paid_hours = runs[1].emit(&mut chain, &authority);
            assert_eq!(paid_hours, Some(u64::from(!ended)), "{context}: B pays one hour a call");
            calls += 1;
            // C: at random, with pauses.
            match rng.below(6) {
                0 => {
                    paused = !paused;
                    let ix = runs[2].vault.set_paused(&authority.pubkey(), paused);
                    send(&mut chain, &authority, &[ix], &[]).unwrap();
                }
                1 | 2 if !paused => {
                    runs[2].emit(&mut chain, &authority);
                    calls += 1;
                }
                _ => {}
            }
        }
        if paused {
            let ix = runs[2].vault.set_paused(&authority.pubkey(), false);
            send(&mut chain, &authority, &[ix], &[]).unwrap();
        }
        // A: once. C: whatever is left.
        let logs = send(&mut chain, &authority, &[runs[0].vault.emit(&runs[0].payees)], &[])
            .unwrap_or_else(|e| panic!("{context}: {:#?}", e.logs));
        let once: Emitted = event(&logs);
        assert!(once.caught_up, "{context}: one call must pay every hour");
        runs[0].paid = once.payments.iter().map(|p| p.amount).sum();
        runs[2].emit(&mut chain, &authority);
        calls += 2;

        let hours = runs[0].vault.state(&chain).emitted_hours;
        let due = math::hours_due(start, now(&chain));
        assert_eq!(due, case.hours, "{context}");
        let total = math::cumulative(&case.schedule, due).unwrap();
        assert_eq!(total, brute(&case.schedule, due), "{context}");
        let balances: Vec<Vec<u64>> = runs
            .iter()
            .map(|r| r.payees.iter().map(|p| token_balance(&chain, p)).collect())
            .collect();
        for (i, r) in runs.iter().enumerate() {
            let s = r.vault.state(&chain);
            assert_eq!(s.total_emitted, total, "{context}: vault {i} total");
            assert_eq!(s.emitted_hours, hours, "{context}: vault {i} hours");
            assert_eq!(balances[i].iter().sum::<u64>(), r.paid, "{context}: vault {i} payments");
            assert_eq!(
                token_balance(&chain, &r.vault.token_vault),
                case.schedule.cap - r.paid,
                "{context}: vault {i} balance"
            );
            // Paid = emitted − the dust still held for the recipients.
            let held = if math::ended(&case.schedule, &r.vault.state(&chain).progress()) {
                0
            } else {
                math::dust(&case.shares, total).unwrap()
            };
            assert_eq!(r.paid + held, total, "{context}: vault {i} dust");
        }
        assert_eq!(balances[0], balances[1], "{context}: one call vs hour by hour");
        assert_eq!(balances[0], balances[2], "{context}: one call vs random cranking");
        // Each recipient holds its exact share (plus, once the schedule ended, the dust).
        let ended = math::ended(&case.schedule, &runs[0].vault.state(&chain).progress());
        for (j, share) in case.shares.iter().enumerate() {
            let mut owed = math::owed(total, *share).unwrap();
            if ended && j + 1 == case.shares.len() {
                owed += math::dust(&case.shares, total).unwrap();
            }
            assert_eq!(balances[0][j], owed, "{context}: recipient {j}");
        }
        capped += usize::from(total == case.schedule.cap);
        decayed_out += usize::from(total < case.schedule.cap && ended);
        recipients_total += case.shares.len();
    }
    println!(
        "emissions equivalence: {schedules} schedules, {recipients_total} recipients x 3 vaults, {calls} emit calls; {capped} reached their cap, {decayed_out} decayed to zero; every recipient equal in all three"
    );
}
