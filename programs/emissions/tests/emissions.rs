//! The emissions program in the in-process chain: each instruction's happy path and its
//! rejections (error code asserted, no token moved, the vault unchanged), the catch-up of a
//! year (and of the whole default schedule) in one transaction, and an emission vault paying a
//! staking pool's reward vault.

use crucible_program_tests as support;

use anchor_lang::error::ErrorCode as AnchorError;
use anchor_spl::token::spl_token;
use crucible_emissions::{
    error::EmissionsError,
    events::{
        AuthorityProposed, AuthorityTransferred, EmissionCapReached, EmissionEnded, Emitted,
        EndReason, RecipientAccountReplaced, RecipientsUpdated, VaultClosed, VaultCreated,
        VaultFunded, VaultPausedSet, VaultRevoked,
    },
    math::{self, Schedule},
    state::EmissionVault,
    CreateVaultArgs,
};
use crucible_localnet::{
    testing::{self, custom_error, send, token_balance},
    Localnet,
};
use solana_instruction::AccountMeta;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::emissions::{
    args, code, event, events, expected, funded, fx, now, recipients, Vault, World, DAY, HOUR,
    SHARES, SMALL, TOKEN,
};

/// DESIGN.md's default economics (6 decimals): 4,583 tokens an hour, −1.02 % every 730 hours,
/// 300 M cap.
const DEFAULT: Schedule = Schedule {
    initial_per_hour: 4_583 * TOKEN,
    decay_bps: 102,
    period_hours: 730,
    cap: 300_000_000 * TOKEN,
};

fn anchor_code(e: AnchorError) -> u32 {
    u32::from(e)
}

/// Hour by hour, from the definition: Σ rate(h) for h < hours, clipped at the cap.
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

// --- create_vault ---

#[test]
fn create_vault_funds_the_whole_cap_and_records_the_schedule() {
    let mut f = fx();
    let start = now(&f.chain) + 600;
    let source_before = token_balance(&f.chain, &f.w.source);
    let v = f.w.vault(7);
    let a = CreateVaultArgs {
        revocable: false,
        ..args(7, start, DEFAULT, recipients(&f.payees, &SHARES))
    };
    let ix = v.create_vault(&f.w.authority.pubkey(), &f.w.source, a, &f.payees);
    let logs = f.send(ix);

    assert_eq!(token_balance(&f.chain, &v.token_vault), DEFAULT.cap);
    assert_eq!(token_balance(&f.chain, &f.w.source), source_before - DEFAULT.cap);
    let s = v.state(&f.chain);
    assert_eq!(s.authority, f.w.authority.pubkey());
    assert_eq!(s.pending_authority, Pubkey::default());
    assert_eq!((s.mint, s.token_program, s.token_vault), (f.w.mint, spl_token::ID, v.token_vault));
    assert_eq!((s.vault_id, s.start_ts), (7, start));
    assert_eq!(
        (s.initial_per_hour, s.decay_bps, s.period_hours, s.cap),
        (4_583 * TOKEN, 102, 730, DEFAULT.cap)
    );
    assert_eq!(
        (s.emitted_hours, s.total_emitted, s.cursor_period, s.cursor_rate),
        (0, 0, 0, 4_583 * TOKEN)
    );
    assert_eq!((s.recipient_count, s.recipients_base_emitted), (3, 0));
    for (i, r) in s.recipients[..3].iter().enumerate() {
        assert_eq!((r.token_account, r.share_bps), (f.payees[i], SHARES[i]));
    }
    assert!(s.recipients[3..]
        .iter()
        .all(|r| r.share_bps == 0 && r.token_account == Pubkey::default()));
    assert!(!s.revocable && !s.revoked && !s.paused);

    let e: VaultCreated = event(&logs);
    assert_eq!(
        (e.vault, e.mint, e.authority, e.token_vault),
        (v.vault, f.w.mint, f.w.authority.pubkey(), v.token_vault)
    );
    assert_eq!(
        (e.vault_id, e.start_ts, e.cap, e.funded, e.revocable),
        (7, start, DEFAULT.cap, DEFAULT.cap, false)
    );
    assert_eq!((e.initial_per_hour, e.decay_bps, e.period_hours), (4_583 * TOKEN, 102, 730));
    assert_eq!(e.recipients.len(), 3);
    assert_eq!(e.recipients[2].token_account, f.payees[2]);

    // The edges of the bounds are accepted: a decay of exactly 10 000 bps, a start exactly one
    // day ago or ten years ahead, a single recipient with all 10 000 bps, eight recipients.
    let t = now(&f.chain);
    let edge = [
        args(8, t, Schedule { decay_bps: 10_000, ..SMALL }, recipients(&f.payees, &SHARES)),
        args(
            9,
            t - EmissionVault::MAX_START_IN_PAST_SECS,
            SMALL,
            recipients(&f.payees[..1], &[10_000]),
        ),
        args(
            10,
            t + EmissionVault::MAX_START_IN_FUTURE_SECS,
            SMALL,
            recipients(&f.payees, &SHARES),
        ),
    ];
    for a in edge {
        f.w.create(&mut f.chain, a).expect("a vault at the edge of the bounds");
    }
    let eight = f.w.accounts(&mut f.chain, 8);
    f.w.create(&mut f.chain, args(11, t, SMALL, recipients(&eight, &[1_250; 8]))).unwrap();
    assert_eq!(f.w.vault(11).state(&f.chain).recipient_count, 8);
}

#[test]
fn create_vault_rejects_out_of_bounds_parameters() {
    let mut f = fx();
    let t = now(&f.chain);
    let r = recipients(&f.payees, &SHARES);
    let base = args(1, t, SMALL, r.clone());
    let cases: Vec<(CreateVaultArgs, EmissionsError)> = vec![
        (CreateVaultArgs { initial_per_hour: 0, ..base.clone() }, EmissionsError::ZeroRate),
        (CreateVaultArgs { decay_bps: 10_001, ..base.clone() }, EmissionsError::DecayTooHigh),
        (CreateVaultArgs { decay_bps: u16::MAX, ..base.clone() }, EmissionsError::DecayTooHigh),
        (CreateVaultArgs { period_hours: 0, ..base.clone() }, EmissionsError::ZeroPeriod),
        (CreateVaultArgs { cap: 0, ..base.clone() }, EmissionsError::ZeroCap),
        (
            CreateVaultArgs { start_ts: t - DAY as i64 - 1, ..base.clone() },
            EmissionsError::StartTooFarInPast,
        ),
        (CreateVaultArgs { start_ts: i64::MIN, ..base.clone() }, EmissionsError::StartTooFarInPast),
        (
            CreateVaultArgs {
                start_ts: t + EmissionVault::MAX_START_IN_FUTURE_SECS + 1,
                ..base.clone()
            },
            EmissionsError::StartTooFarInFuture,
        ),
        (
            CreateVaultArgs { start_ts: i64::MAX, ..base.clone() },
            EmissionsError::StartTooFarInFuture,
        ),
    ];
    let v = f.w.vault(1);
    let authority = f.authority();
    for (a, e) in cases {
        let accounts: Vec<Pubkey> = a.recipients.iter().map(|r| r.token_account).collect();
        let ix = v.create_vault(&authority.pubkey(), &f.w.source, a, &accounts);
        f.rejects(&authority, ix, code(e), &[f.w.source, v.token_vault], &[v.vault, v.token_vault]);
    }
    // A cap above what the source holds: the token program refuses (insufficient funds).
    let poor = World::new(&mut f.chain, 999);
    let pv = poor.vault(1);
    let poor_payee = poor.accounts(&mut f.chain, 1);
    let ix = pv.create_vault(
        &poor.authority.pubkey(),
        &poor.source,
        args(1, t, Schedule { cap: 1_000, ..SMALL }, recipients(&poor_payee, &[10_000])),
        &poor_payee,
    );
    let failure = send(&mut f.chain, &poor.authority, &[ix], &[]).unwrap_err();
    assert_eq!(custom_error(&failure), Some(1), "{:#?}", failure.logs);
    assert!(f.chain.get_account(&pv.vault).is_none());
    // A source of another mint.
    let other = World::new(&mut f.chain, 10_000_000);
    let ix = v.create_vault(&authority.pubkey(), &other.source, base.clone(), &f.payees);
    let failure = send(&mut f.chain, &authority, &[ix], &[]).unwrap_err();
    assert_eq!(custom_error(&failure), Some(code(EmissionsError::WrongMint)));
    // The id is taken once used: the system program refuses to create the account again.
    f.w.create(&mut f.chain, base.clone()).unwrap();
    let balance = token_balance(&f.chain, &f.w.source);
    let failure = f.w.create(&mut f.chain, base).unwrap_err();
    assert_eq!(custom_error(&failure), Some(0), "AccountAlreadyInUse: {:#?}", failure.logs);
    assert_eq!(token_balance(&f.chain, &f.w.source), balance);
}

#[test]
fn create_vault_rejects_bad_recipients() {
    let mut f = fx();
    let t = now(&f.chain);
    let v = f.w.vault(1);
    let authority = f.authority();
    let nine = f.w.accounts(&mut f.chain, 9);
    let foreign = World::new(&mut f.chain, 0);
    let foreign_account = foreign.accounts(&mut f.chain, 1)[0];
    let p = f.payees.clone();
    // (recipients, accounts passed, error)
    let cases: Vec<(Vec<crucible_emissions::RecipientArg>, Vec<Pubkey>, EmissionsError)> = vec![
        (vec![], vec![], EmissionsError::NoRecipients),
        (
            recipients(&nine, &[1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 2_000]),
            nine.clone(),
            EmissionsError::TooManyRecipients,
        ),
        (recipients(&p, &[10_000, 0, 0]), p.clone(), EmissionsError::ZeroShare),
        (recipients(&p, &[5_000, 3_000, 1_999]), p.clone(), EmissionsError::SharesMustSum10000),
        (recipients(&p, &[5_000, 3_000, 2_001]), p.clone(), EmissionsError::SharesMustSum10000),
        (recipients(&p[..1], &[u16::MAX]), p[..1].to_vec(), EmissionsError::SharesMustSum10000),
        (
            recipients(&[p[0], p[1], p[0]], &SHARES),
            vec![p[0], p[1], p[0]],
            EmissionsError::DuplicateRecipient,
        ),
        (
            recipients(&[p[0], v.token_vault], &[5_000, 5_000]),
            vec![p[0], v.token_vault],
            EmissionsError::RecipientIsVault,
        ),
        (
            recipients(&[p[0], foreign_account], &[5_000, 5_000]),
            vec![p[0], foreign_account],
            EmissionsError::WrongRecipientMint,
        ),
        // The accounts passed must be the recipients, all of them, in order.
        (recipients(&p, &SHARES), vec![p[0], p[2], p[1]], EmissionsError::RecipientMismatch),
        (recipients(&p, &SHARES), p[..2].to_vec(), EmissionsError::RecipientMismatch),
        (recipients(&p, &SHARES), vec![p[0], p[1], p[2], p[0]], EmissionsError::RecipientMismatch),
        // A recipient that is not a token account (a wallet, the mint).
        (
            recipients(&[p[0], authority.pubkey()], &[5_000, 5_000]),
            vec![p[0], authority.pubkey()],
            EmissionsError::InvalidRecipientAccount,
        ),
        (
            recipients(&[p[0], f.w.mint], &[5_000, 5_000]),
            vec![p[0], f.w.mint],
            EmissionsError::InvalidRecipientAccount,
        ),
    ];
    for (r, accounts, e) in cases {
        let ix = v.create_vault(&authority.pubkey(), &f.w.source, args(1, t, SMALL, r), &accounts);
        f.rejects(&authority, ix, code(e), &[f.w.source], &[v.vault, v.token_vault]);
    }
}

// --- emit ---

#[test]
fn emit_pays_every_whole_hour_due_split_by_share() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let payees = f.payees.clone();
    let cranker = funded(&mut f.chain);
    // Hour 0 is not over yet.
    f.rejects(&cranker, v.emit(&payees), code(EmissionsError::NothingDue), &payees, &[v.vault]);

    f.chain.warp(3 * HOUR + 3_599);
    let logs = send(&mut f.chain, &cranker, &[v.emit(&payees)], &[]).unwrap();
    // Hours 0, 1, 2 at 1,000 each.
    assert_eq!(f.balances(&payees), expected(&SHARES, 3_000, false));
    assert_eq!(f.balances(&payees), vec![1_500, 900, 600]);
    assert_eq!(token_balance(&f.chain, &v.token_vault), SMALL.cap - 3_000);
    let e: Emitted = event(&logs);
    assert_eq!((e.vault, e.from_hour, e.to_hour, e.amount), (v.vault, 0, 3, 3_000));
    assert_eq!((e.total_emitted, e.emitted_hours, e.period, e.rate), (3_000, 3, 0, 1_000));
    assert_eq!((e.periods_crossed, e.caught_up, e.settled_dust, e.undistributed), (0, true, 0, 0));
    let paid: Vec<(Pubkey, u64)> = e.payments.iter().map(|p| (p.token_account, p.amount)).collect();
    assert_eq!(paid, vec![(payees[0], 1_500), (payees[1], 900), (payees[2], 600)]);
    f.rejects(&cranker, v.emit(&payees), code(EmissionsError::NothingDue), &payees, &[v.vault]);

    // Across a period boundary: hours 3 (1,000), 4..=7 (900), 8 (810).
    f.chain.warp(6 * HOUR);
    let logs = send(&mut f.chain, &cranker, &[v.emit(&payees)], &[]).unwrap();
    let total = 3_000 + 1_000 + 4 * 900 + 810;
    assert_eq!(v.state(&f.chain).total_emitted, total);
    assert_eq!(total, math::cumulative(&SMALL, 9).unwrap());
    assert_eq!(f.balances(&payees), expected(&SHARES, total, false));
    let e: Emitted = event(&logs);
    assert_eq!((e.from_hour, e.to_hour, e.amount, e.periods_crossed), (3, 9, total - 3_000, 2));
    assert_eq!((e.period, e.rate), (2, 810));

    // A vault that starts in the future pays nothing before its start.
    let start = now(&f.chain) + 10 * HOUR as i64;
    let late =
        f.w.create(&mut f.chain, args(2, start, SMALL, recipients(&payees, &SHARES))).unwrap();
    f.rejects(
        &cranker,
        late.emit(&payees),
        code(EmissionsError::NotStarted),
        &payees,
        &[late.vault],
    );
    f.chain.warp(10 * HOUR + 1);
    f.rejects(
        &cranker,
        late.emit(&payees),
        code(EmissionsError::NothingDue),
        &payees,
        &[late.vault],
    );
    f.chain.warp(HOUR);
    send(&mut f.chain, &cranker, &[late.emit(&payees)], &[]).unwrap();
    assert_eq!(late.state(&f.chain).total_emitted, 1_000);
}

#[test]
fn a_year_of_missed_hours_settles_in_one_transaction() {
    let mut f = fx();
    let v = f.vault(1, DEFAULT);
    let payees = f.payees.clone();
    f.chain.warp(8_760 * HOUR);
    let logs = f.send(v.emit(&payees));
    let year = brute(&DEFAULT, 8_760);
    assert_eq!(math::cumulative(&DEFAULT, 8_760), Some(year));
    let s = v.state(&f.chain);
    assert_eq!((s.emitted_hours, s.total_emitted, s.cursor_period), (8_760, year, 12));
    assert_eq!(s.cursor_rate, math::rate_of_period(&DEFAULT, 12).unwrap());
    let e: Emitted = event(&logs);
    assert_eq!((e.amount, e.periods_crossed, e.caught_up), (year, 12, true));
    assert_eq!(f.balances(&payees), expected(&SHARES, year, false));
    assert_eq!(token_balance(&f.chain, &v.token_vault), DEFAULT.cap - year);
    println!("one transaction paid a year (8,760 hours, 12 periods) of the default schedule: {year} base units");

    // The rest of the schedule, decades of hours, in one more transaction: it ends at the cap.
    let v2 = f.vault(2, DEFAULT);
    f.chain.warp(60 * 8_760 * HOUR);
    let logs = f.send(v2.emit(&payees));
    let e: Emitted = event(&logs);
    assert!(e.caught_up);
    assert_eq!(e.amount, DEFAULT.cap);
    let capped: EmissionCapReached = event(&logs);
    let hours = capped.emitted_hours;
    assert_eq!(math::cumulative(&DEFAULT, hours - 1).map(|t| t < DEFAULT.cap), Some(true));
    assert_eq!(brute(&DEFAULT, hours), DEFAULT.cap);
    assert_eq!(token_balance(&f.chain, &v2.token_vault), 0);
    println!(
        "one transaction paid the whole default schedule: {} hours (~{} years), {} periods, {} base units",
        hours,
        hours / 8_760,
        e.periods_crossed,
        DEFAULT.cap
    );
}

#[test]
fn a_leap_year_of_hourly_decay_periods_settles_in_one_transaction() {
    // The shortest period there is (an hour): a year of missed hours is a year of periods.
    let mut f = fx();
    let s = Schedule {
        initial_per_hour: 1 << 30,
        decay_bps: 1,
        period_hours: 1,
        cap: 500_000_000 * TOKEN,
    };
    let v = f.vault(1, s);
    let payees = f.payees.clone();
    let leap_year = 366 * 24;
    f.chain.warp(leap_year * HOUR);
    let logs = f.send(v.emit(&payees));
    let e: Emitted = event(&logs);
    assert_eq!(
        (e.from_hour, e.to_hour, e.periods_crossed, e.caught_up),
        (0, leap_year, leap_year, true)
    );
    let paid = brute(&s, leap_year);
    assert_eq!(e.amount, paid);
    assert_eq!(v.state(&f.chain).cursor_period, leap_year);
    assert_eq!(f.balances(&payees), expected(&SHARES, paid, false));
}

#[test]
fn the_cap_clips_the_last_hour_then_emit_is_a_no_op() {
    let mut f = fx();
    // 1,001 an hour, no decay, cap 2,500: hours 0 and 1 pay 1,001, hour 2 is clipped to 498.
    let s = Schedule { initial_per_hour: 1_001, decay_bps: 0, period_hours: 10, cap: 2_500 };
    let v = f.vault(1, s);
    let payees = f.payees.clone();
    f.chain.warp(5 * HOUR);
    let logs = f.send(v.emit(&payees));
    let state = v.state(&f.chain);
    assert_eq!((state.total_emitted, state.emitted_hours), (2_500, 3));
    // Settled at the end: 1,250 / 750 / 500 exactly, nothing left.
    assert_eq!(f.balances(&payees), expected(&SHARES, 2_500, true));
    assert_eq!(token_balance(&f.chain, &v.token_vault), 0);
    let e: Emitted = event(&logs);
    assert_eq!((e.from_hour, e.to_hour, e.amount, e.undistributed), (0, 3, 2_500, 0));
    let capped: EmissionCapReached = event(&logs);
    assert_eq!((capped.vault, capped.cap, capped.emitted_hours), (v.vault, 2_500, 3));

    // From now on emit succeeds, pays nothing and says why.
    f.chain.warp(100 * HOUR);
    let before = f.chain.get_account(&v.vault).unwrap().data;
    let logs = f.send(v.emit(&payees));
    assert!(events::<Emitted>(&logs).is_empty());
    let ended: EmissionEnded = event(&logs);
    assert_eq!(
        (ended.reason, ended.total_emitted, ended.emitted_hours),
        (EndReason::CapReached, 2_500, 3)
    );
    assert_eq!(f.chain.get_account(&v.vault).unwrap().data, before);
    assert_eq!(f.balances(&payees), expected(&SHARES, 2_500, true));

    // Nothing is left to change or fund.
    let authority = f.authority();
    let ix = v.update_recipients(&authority.pubkey(), &payees, recipients(&payees[..1], &[10_000]));
    f.rejects(&authority, ix, code(EmissionsError::ScheduleEnded), &payees, &[v.vault]);
    let ix = v.fund(&authority.pubkey(), &f.w.source, 1);
    f.rejects(
        &authority,
        ix,
        code(EmissionsError::FundExceedsCap),
        &[f.w.source, v.token_vault],
        &[v.vault],
    );
}

#[test]
fn rounding_dust_is_held_then_settled_to_the_last_recipient() {
    let mut f = fx();
    // 7 an hour over 40/40/20 %: after one hour 2/2/1 are owed and 2 units are held.
    let s = Schedule { initial_per_hour: 7, decay_bps: 0, period_hours: 1, cap: 23 };
    let payees = f.payees.clone();
    let start = now(&f.chain);
    let v =
        f.w.create(&mut f.chain, args(1, start, s, recipients(&payees, &[4_000, 4_000, 2_000])))
            .unwrap();
    f.chain.warp(HOUR);
    let e: Emitted = event(&f.send(v.emit(&payees)));
    assert_eq!((e.amount, e.undistributed, e.settled_dust), (7, 2, 0));
    assert_eq!(f.balances(&payees), vec![2, 2, 1]);
    f.chain.warp(HOUR);
    let e: Emitted = event(&f.send(v.emit(&payees)));
    // Owed after 14: 5/5/2 (this call pays 3/3/1: more than the first call's remainder would allow).
    assert_eq!((e.amount, e.undistributed), (7, 2));
    assert_eq!(f.balances(&payees), vec![5, 5, 2]);
    // The hour that reaches the cap (clipped: 7, 7, 7, 2) settles the dust to the last one.
    f.chain.warp(5 * HOUR);
    let e: Emitted = event(&f.send(v.emit(&payees)));
    assert_eq!((e.amount, e.settled_dust, e.undistributed, e.to_hour), (9, 1, 0, 4));
    assert_eq!(f.balances(&payees), vec![9, 9, 5]);
    assert_eq!(token_balance(&f.chain, &v.token_vault), 0);
}

#[test]
fn a_rate_decayed_to_zero_ends_the_schedule_and_close_returns_the_rest() {
    let mut f = fx();
    // 10, 5, 2, 1, then 0 forever: 18 of the 1,000 cap are ever emitted.
    let s = Schedule { initial_per_hour: 10, decay_bps: 5_000, period_hours: 1, cap: 1_000 };
    let payees = f.payees.clone();
    let start = now(&f.chain);
    let a = CreateVaultArgs { revocable: false, ..args(1, start, s, recipients(&payees, &SHARES)) };
    let v = f.w.create(&mut f.chain, a).unwrap();
    f.chain.warp(10 * HOUR);
    let logs = f.send(v.emit(&payees));
    let ended: EmissionEnded = event(&logs);
    assert_eq!(
        (ended.reason, ended.total_emitted, ended.emitted_hours),
        (EndReason::RateDecayedToZero, 18, 4)
    );
    assert!(events::<EmissionCapReached>(&logs).is_empty());
    assert_eq!(f.balances(&payees), expected(&SHARES, 18, true));
    f.chain.warp(HOUR);
    let ended: EmissionEnded = event(&f.send(v.emit(&payees)));
    assert_eq!(ended.reason, EndReason::RateDecayedToZero);

    // Non-revocable, but the schedule is over: closing returns what it never emitted.
    let authority = f.authority();
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    let logs = f.send(v.close_vault(&authority.pubkey(), &back));
    assert_eq!(token_balance(&f.chain, &back), 1_000 - 18);
    let closed: VaultClosed = event(&logs);
    assert_eq!(
        (closed.reason, closed.swept, closed.total_emitted),
        (EndReason::RateDecayedToZero, 982, 18)
    );
}

#[test]
fn catch_up_is_bounded_by_the_periods_one_call_crosses() {
    let mut f = fx();
    // Hourly periods: each hour is its own period.
    let s = Schedule {
        initial_per_hour: 1 << 30,
        decay_bps: 1,
        period_hours: 1,
        cap: 500_000_000 * TOKEN,
    };
    let v = f.vault(1, s);
    let payees = f.payees.clone();
    let max = math::MAX_PERIODS_PER_CALL;
    let due = 2 * max + 500;
    f.chain.warp(due * HOUR);
    let authority = f.authority();
    // What is due cannot be paid in one call: changing recipients or revoking must wait.
    let ix = v.update_recipients(&authority.pubkey(), &payees, recipients(&payees[..1], &[10_000]));
    f.rejects(&authority, ix, code(EmissionsError::CatchUpFirst), &payees, &[v.vault]);
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    let ix = v.revoke(&authority.pubkey(), &back, &payees);
    f.rejects(
        &authority,
        ix,
        code(EmissionsError::CatchUpFirst),
        &[back, v.token_vault],
        &[v.vault],
    );

    let mut calls = Vec::new();
    for _ in 0..3 {
        let e: Emitted = event(&f.send(v.emit(&payees)));
        calls.push((e.from_hour, e.to_hour, e.periods_crossed, e.caught_up));
    }
    assert_eq!(
        calls,
        vec![(0, max, max, false), (max, 2 * max, max, false), (2 * max, due, 500, true)]
    );
    assert_eq!(v.state(&f.chain).total_emitted, math::cumulative(&s, due).unwrap());
    assert_eq!(v.state(&f.chain).total_emitted, brute(&s, due));
    // Caught up, the recipients can be changed.
    f.send(v.update_recipients(&authority.pubkey(), &payees, recipients(&payees[..1], &[10_000])));
}

#[test]
fn emit_rejects_accounts_that_are_not_the_vaults() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let other = f.vault(2, SMALL);
    let p = f.payees.clone();
    f.chain.warp(2 * HOUR);
    let cranker = funded(&mut f.chain);
    let watch = [p[0], p[1], p[2], v.token_vault, other.token_vault];
    for wrong in [vec![p[0], p[2], p[1]], p[..2].to_vec(), vec![p[0], p[1], p[2], p[0]], vec![]] {
        f.rejects(
            &cranker,
            v.emit(&wrong),
            code(EmissionsError::RecipientMismatch),
            &watch,
            &[v.vault],
        );
    }
    // Read-only recipients.
    let readonly: Vec<AccountMeta> =
        p.iter().map(|a| AccountMeta::new_readonly(*a, false)).collect();
    f.rejects(
        &cranker,
        v.emit_with(&readonly),
        code(EmissionsError::RecipientMismatch),
        &watch,
        &[v.vault],
    );
    // Another vault's token account, another mint.
    let ix = Vault { token_vault: other.token_vault, ..v.clone() }.emit(&p);
    f.rejects(&cranker, ix, anchor_code(AnchorError::ConstraintHasOne), &watch, &[v.vault]);
    let foreign = World::new(&mut f.chain, 0);
    let ix = Vault { mint: foreign.mint, ..v.clone() }.emit(&p);
    f.rejects(&cranker, ix, code(EmissionsError::WrongMint), &watch, &[v.vault]);
    // Token-2022 named as the token program of an SPL Token vault.
    let ix = Vault { token_program: anchor_spl::token_2022::ID, ..v.clone() }.emit(&p);
    f.rejects(&cranker, ix, code(EmissionsError::WrongTokenProgram), &watch, &[v.vault]);
    // The right accounts work.
    send(&mut f.chain, &cranker, &[v.emit(&p)], &[]).unwrap();
    assert_eq!(v.state(&f.chain).total_emitted, 2_000);
}

// --- set_paused ---

#[test]
fn a_pause_stops_payments_but_hours_keep_accruing() {
    let mut f = fx();
    let paused = f.vault(1, SMALL);
    let twin_payees = f.w.accounts(&mut f.chain, 3);
    let start = paused.state(&f.chain).start_ts;
    let twin =
        f.w.create(&mut f.chain, args(2, start, SMALL, recipients(&twin_payees, &SHARES))).unwrap();
    let payees = f.payees.clone();
    let authority = f.authority();
    let intruder = funded(&mut f.chain);

    f.rejects(
        &intruder,
        paused.set_paused(&intruder.pubkey(), true),
        code(EmissionsError::NotAuthority),
        &[],
        &[paused.vault],
    );
    let logs = f.send(paused.set_paused(&authority.pubkey(), true));
    let e: VaultPausedSet = event(&logs);
    assert_eq!((e.vault, e.old_paused, e.new_paused), (paused.vault, false, true));
    for _ in 0..5 {
        f.chain.warp(HOUR);
        f.rejects(
            &intruder,
            paused.emit(&payees),
            code(EmissionsError::VaultPaused),
            &payees,
            &[paused.vault],
        );
        f.send(twin.emit(&twin_payees));
    }
    let e: VaultPausedSet = event(&f.send(paused.set_paused(&authority.pubkey(), false)));
    assert_eq!((e.old_paused, e.new_paused), (true, false));
    // On resume every hour is paid, exactly as the twin that was never paused.
    f.send(paused.emit(&payees));
    assert_eq!(f.balances(&payees), f.balances(&twin_payees));
    assert_eq!(paused.state(&f.chain).total_emitted, math::cumulative(&SMALL, 5).unwrap());
}

// --- update_recipients ---

#[test]
fn update_recipients_pays_the_old_recipients_first() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let old = f.payees.clone();
    let new = f.w.accounts(&mut f.chain, 2);
    let authority = f.authority();
    f.chain.warp(3 * HOUR);
    // old[0] stays (with another share), two new accounts join.
    let next = recipients(&[old[0], new[0], new[1]], &[2_000, 3_000, 5_000]);
    let logs = f.send(v.update_recipients(&authority.pubkey(), &old, next.clone()));
    assert_eq!(f.balances(&old), expected(&SHARES, 3_000, true));
    let paid: Emitted = event(&logs);
    assert_eq!((paid.from_hour, paid.to_hour, paid.amount), (0, 3, 3_000));
    let e: RecipientsUpdated = event(&logs);
    assert_eq!((e.vault, e.base_emitted, e.paid_old), (v.vault, 3_000, true));
    assert_eq!(e.old_recipients.iter().map(|r| r.token_account).collect::<Vec<_>>(), old);
    assert_eq!(
        e.new_recipients.iter().map(|r| (r.token_account, r.share_bps)).collect::<Vec<_>>(),
        vec![(old[0], 2_000), (new[0], 3_000), (new[1], 5_000)]
    );
    let s = v.state(&f.chain);
    assert_eq!((s.recipient_count, s.recipients_base_emitted), (3, 3_000));

    // The new set shares what is emitted from then on.
    f.chain.warp(2 * HOUR);
    let now_payees = v.payees(&f.chain);
    f.send(v.emit(&now_payees));
    let after = math::cumulative(&SMALL, 5).unwrap() - 3_000;
    let shares = [2_000, 3_000, 5_000];
    let owed = expected(&shares, after, false);
    assert_eq!(token_balance(&f.chain, &old[0]), expected(&SHARES, 3_000, true)[0] + owed[0]);
    assert_eq!(f.balances(&new), owed[1..].to_vec());
    assert_eq!(f.balances(&old[1..]), expected(&SHARES, 3_000, true)[1..].to_vec());

    // Rejections: the authority only, a valid new list, the current recipients passed.
    let intruder = funded(&mut f.chain);
    let cur = v.payees(&f.chain);
    let mut watch = cur.clone();
    watch.extend(&new);
    let ix = v.update_recipients(&intruder.pubkey(), &cur, recipients(&new, &[5_000, 5_000]));
    f.rejects(&intruder, ix, code(EmissionsError::NotAuthority), &watch, &[v.vault]);
    let bad: Vec<(Vec<crucible_emissions::RecipientArg>, EmissionsError)> = vec![
        (vec![], EmissionsError::NoRecipients),
        (recipients(&new, &[5_000, 4_999]), EmissionsError::SharesMustSum10000),
        (recipients(&[new[0], new[0]], &[5_000, 5_000]), EmissionsError::DuplicateRecipient),
        (recipients(&[new[0], v.token_vault], &[5_000, 5_000]), EmissionsError::RecipientIsVault),
        (recipients(&[new[0], new[1]], &[0, 10_000]), EmissionsError::ZeroShare),
    ];
    for (r, e) in bad {
        let ix = v.update_recipients(&authority.pubkey(), &cur, r);
        f.rejects(&authority, ix, code(e), &watch, &[v.vault]);
    }
    let ix = v.update_recipients(
        &authority.pubkey(),
        &[cur[1], cur[0], cur[2]],
        recipients(&new, &[5_000, 5_000]),
    );
    f.rejects(&authority, ix, code(EmissionsError::RecipientMismatch), &watch, &[v.vault]);
    let ix = v.update_recipients(&authority.pubkey(), &cur[..1], recipients(&new, &[5_000, 5_000]));
    f.rejects(&authority, ix, code(EmissionsError::RecipientMismatch), &watch, &[v.vault]);
}

#[test]
fn a_recipient_that_can_no_longer_receive_is_replaced_while_paused() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let p = f.payees.clone();
    // The last recipient's owner closes its (empty) account: nothing can be paid to it.
    let owner = funded(&mut f.chain);
    let leaving = f.w.account_of(&mut f.chain, &owner.pubkey());
    let authority = f.authority();
    let two = recipients(&[p[0], leaving], &[5_000, 5_000]);
    f.send(v.update_recipients(&authority.pubkey(), &p, two));
    let close = spl_token::instruction::close_account(
        &spl_token::ID,
        &leaving,
        &owner.pubkey(),
        &owner.pubkey(),
        &[],
    )
    .unwrap();
    send(&mut f.chain, &owner, &[close], &[]).unwrap();
    f.chain.warp(4 * HOUR);
    let cranker = funded(&mut f.chain);
    let payees = [p[0], leaving];
    f.rejects(
        &cranker,
        v.emit(&payees),
        code(EmissionsError::InvalidRecipientAccount),
        &[p[0], v.token_vault],
        &[v.vault],
    );
    let ix = v.update_recipients(
        &authority.pubkey(),
        &payees,
        recipients(&[p[0], p[1]], &[5_000, 5_000]),
    );
    f.rejects(
        &authority,
        ix,
        code(EmissionsError::InvalidRecipientAccount),
        &[p[0], v.token_vault],
        &[v.vault],
    );

    // Paused, update_recipients pays what is due first too: still refused. The remedy is
    // replace_recipient_account: anyone may point the closed recipient at another account of
    // the same owner, and on resume the new account gets every hour the closed one missed.
    f.send(v.set_paused(&authority.pubkey(), true));
    let ix = v.update_recipients(
        &authority.pubkey(),
        &payees,
        recipients(&[p[0], p[1]], &[5_000, 5_000]),
    );
    f.rejects(
        &authority,
        ix,
        code(EmissionsError::InvalidRecipientAccount),
        &[p[0], p[1], v.token_vault],
        &[v.vault],
    );
    let reopened = f.w.account_of(&mut f.chain, &owner.pubkey());
    let logs = send(
        &mut f.chain,
        &cranker,
        &[v.replace_recipient_account(&cranker.pubkey(), 1, &leaving, &reopened)],
        &[],
    )
    .unwrap();
    let e: RecipientAccountReplaced = event(&logs);
    assert_eq!((e.index, e.old_token_account, e.new_token_account), (1, leaving, reopened));
    assert!(events::<Emitted>(&logs).is_empty());
    f.send(v.set_paused(&authority.pubkey(), false));
    let before = f.balances(&[p[0], reopened]);
    f.send(v.emit(&[p[0], reopened]));
    let after = f.balances(&[p[0], reopened]);
    assert_eq!((after[0] - before[0], after[1] - before[1]), (2_000, 2_000));
}

// --- revoke ---

#[test]
fn revoke_pays_what_is_due_and_returns_the_rest() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let payees = f.payees.clone();
    let authority = f.authority();
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    f.chain.warp(5 * HOUR + 1_800);

    // Rejections first: the authority only, a destination of the mint that is not the vault.
    let intruder = funded(&mut f.chain);
    let theirs = f.w.account_of(&mut f.chain, &intruder.pubkey());
    let mut watch = payees.clone();
    watch.extend([back, theirs, v.token_vault]);
    f.rejects(
        &intruder,
        v.revoke(&intruder.pubkey(), &theirs, &payees),
        code(EmissionsError::NotAuthority),
        &watch,
        &[v.vault],
    );
    let foreign = World::new(&mut f.chain, 0);
    let foreign_account = foreign.accounts(&mut f.chain, 1)[0];
    f.rejects(
        &authority,
        v.revoke(&authority.pubkey(), &foreign_account, &payees),
        code(EmissionsError::WrongMint),
        &watch,
        &[v.vault],
    );
    f.rejects(
        &authority,
        v.revoke(&authority.pubkey(), &v.token_vault, &payees),
        code(EmissionsError::RecipientIsVault),
        &watch,
        &[v.vault],
    );
    f.rejects(
        &authority,
        v.revoke(&authority.pubkey(), &back, &payees[..2]),
        code(EmissionsError::RecipientMismatch),
        &watch,
        &[v.vault],
    );

    let logs = f.send(v.revoke(&authority.pubkey(), &back, &payees));
    let due = math::cumulative(&SMALL, 5).unwrap();
    assert_eq!(f.balances(&payees), expected(&SHARES, due, true));
    assert_eq!(token_balance(&f.chain, &back), SMALL.cap - due);
    assert_eq!(token_balance(&f.chain, &v.token_vault), 0);
    let e: VaultRevoked = event(&logs);
    assert_eq!((e.vault, e.paid, e.returned, e.destination), (v.vault, due, SMALL.cap - due, back));
    assert_eq!((e.total_emitted, e.emitted_hours), (due, 5));
    assert!(v.state(&f.chain).revoked);

    // Revoked: emit is a no-op; nothing else but closing is accepted.
    f.chain.warp(3 * HOUR);
    let ended: EmissionEnded = event(&f.send(v.emit(&payees)));
    assert_eq!(ended.reason, EndReason::Revoked);
    assert_eq!(f.balances(&payees), expected(&SHARES, due, true));
    let again = [
        (v.revoke(&authority.pubkey(), &back, &payees), EmissionsError::AlreadyRevoked),
        (v.set_paused(&authority.pubkey(), true), EmissionsError::AlreadyRevoked),
        (v.fund(&authority.pubkey(), &f.w.source, 1), EmissionsError::AlreadyRevoked),
        (
            v.update_recipients(&authority.pubkey(), &payees, recipients(&payees[..1], &[10_000])),
            EmissionsError::AlreadyRevoked,
        ),
    ];
    for (ix, e) in again {
        f.rejects(&authority, ix, code(e), &[back, f.w.source, v.token_vault], &[v.vault]);
    }
    f.send(v.close_vault(&authority.pubkey(), &back));
    assert!(f.chain.get_account(&v.vault).is_none());
}

#[test]
fn revoke_is_refused_on_a_non_revocable_vault_and_pays_what_is_due_while_paused() {
    let mut f = fx();
    let payees = f.payees.clone();
    let start = now(&f.chain);
    let fixed =
        f.w.create(
            &mut f.chain,
            CreateVaultArgs {
                revocable: false,
                ..args(1, start, SMALL, recipients(&payees, &SHARES))
            },
        )
        .unwrap();
    let authority = f.authority();
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    f.chain.warp(2 * HOUR);
    f.rejects(
        &authority,
        fixed.revoke(&authority.pubkey(), &back, &payees),
        code(EmissionsError::NotRevocable),
        &[back, fixed.token_vault, payees[0]],
        &[fixed.vault],
    );

    // Paused: the hours due are still the recipients' (a pause delays payment, never
    // reassigns it); only what is not yet due is returned.
    let v = f.vault(2, SMALL);
    f.chain.warp(HOUR);
    f.send(v.emit(&payees));
    assert_eq!(f.balances(&payees), expected(&SHARES, 1_000, false));
    f.send(v.set_paused(&authority.pubkey(), true));
    f.chain.warp(4 * HOUR);
    let e: VaultRevoked = event(&f.send(v.revoke(&authority.pubkey(), &back, &payees)));
    let due = math::cumulative(&SMALL, 5).unwrap();
    assert_eq!(due, 4 * 1_000 + 900);
    assert_eq!((e.paid, e.returned), (due - 1_000, SMALL.cap - due));
    assert_eq!(f.balances(&payees), expected(&SHARES, due, true));
    assert_eq!(token_balance(&f.chain, &back), SMALL.cap - due);
}

// --- close_vault ---

#[test]
fn close_vault_only_once_the_schedule_is_over() {
    let mut f = fx();
    let s = Schedule { initial_per_hour: 500, decay_bps: 0, period_hours: 1, cap: 1_000 };
    let v = f.vault(1, s);
    let payees = f.payees.clone();
    let authority = f.authority();
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    f.chain.warp(HOUR);
    f.send(v.emit(&payees));
    f.rejects(
        &authority,
        v.close_vault(&authority.pubkey(), &back),
        code(EmissionsError::VaultNotEmpty),
        &[back, v.token_vault],
        &[v.vault, v.token_vault],
    );
    f.chain.warp(HOUR);
    f.send(v.emit(&payees));
    // Someone sends tokens straight to the token vault: they cannot block the close.
    f.w.mint_to(&mut f.chain, &v.token_vault, 77);
    let intruder = funded(&mut f.chain);
    f.rejects(
        &intruder,
        v.close_vault(&intruder.pubkey(), &back),
        code(EmissionsError::NotAuthority),
        &[back, v.token_vault],
        &[v.vault, v.token_vault],
    );
    f.rejects(
        &authority,
        v.close_vault(&authority.pubkey(), &v.token_vault),
        code(EmissionsError::RecipientIsVault),
        &[back, v.token_vault],
        &[v.vault, v.token_vault],
    );

    let rent = f.chain.get_balance(&v.vault) + f.chain.get_balance(&v.token_vault);
    let lamports = f.chain.get_balance(&authority.pubkey());
    let logs = f.send(v.close_vault(&authority.pubkey(), &back));
    assert_eq!(f.chain.get_balance(&authority.pubkey()), lamports + rent - 5_000);
    assert!(f.chain.get_account(&v.vault).is_none());
    assert!(f.chain.get_account(&v.token_vault).is_none());
    assert_eq!(token_balance(&f.chain, &back), 77);
    let e: VaultClosed = event(&logs);
    assert_eq!(
        (e.vault, e.authority, e.reason, e.total_emitted, e.swept, e.destination),
        (v.vault, authority.pubkey(), EndReason::CapReached, 1_000, 77, back)
    );
    // The id can be used again.
    let start = now(&f.chain);
    f.w.create(&mut f.chain, args(1, start, s, recipients(&payees, &SHARES))).unwrap();
}

// --- fund ---

#[test]
fn fund_restores_a_shortfall_and_never_more() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let payees = f.payees.clone();
    let funder = funded(&mut f.chain);
    let their = f.w.account_of(&mut f.chain, &funder.pubkey());
    f.w.mint_to(&mut f.chain, &their, 10_000);
    let watch = [their, v.token_vault];
    // A full vault takes nothing.
    f.rejects(
        &funder,
        v.fund(&funder.pubkey(), &their, 1),
        code(EmissionsError::FundExceedsCap),
        &watch,
        &[v.vault],
    );
    f.rejects(
        &funder,
        v.fund(&funder.pubkey(), &their, u64::MAX),
        code(EmissionsError::FundExceedsCap),
        &watch,
        &[v.vault],
    );
    f.rejects(
        &funder,
        v.fund(&funder.pubkey(), &their, 0),
        code(EmissionsError::ZeroAmount),
        &watch,
        &[v.vault],
    );
    let foreign = World::new(&mut f.chain, 10);
    let ix = v.fund(&foreign.authority.pubkey(), &foreign.source, 1);
    let fa = foreign.authority.insecure_clone();
    f.rejects(
        &fa,
        ix,
        code(EmissionsError::WrongMint),
        &[foreign.source, v.token_vault],
        &[v.vault],
    );

    // The program never lets the balance fall short; simulate a shortfall of 300 by writing the
    // token account directly (the only way to produce one) and make it whole again.
    f.chain.warp(2 * HOUR);
    f.send(v.emit(&payees));
    let mut account = f.chain.get_account(&v.token_vault).unwrap();
    let balance = token_balance(&f.chain, &v.token_vault);
    account.data[64..72].copy_from_slice(&(balance - 300).to_le_bytes());
    f.chain.set_account(v.token_vault, account);
    f.rejects(
        &funder,
        v.fund(&funder.pubkey(), &their, 301),
        code(EmissionsError::FundExceedsCap),
        &watch,
        &[v.vault],
    );
    let logs = send(&mut f.chain, &funder, &[v.fund(&funder.pubkey(), &their, 300)], &[]).unwrap();
    assert_eq!(token_balance(&f.chain, &v.token_vault), SMALL.cap - 2_000);
    assert_eq!(token_balance(&f.chain, &their), 10_000 - 300);
    let e: VaultFunded = event(&logs);
    assert_eq!(
        (e.vault, e.funder, e.amount, e.balance),
        (v.vault, funder.pubkey(), 300, SMALL.cap - 2_000)
    );
}

// --- authority ---

#[test]
fn the_authority_transfers_in_two_steps() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let authority = f.authority();
    let next = funded(&mut f.chain);
    let intruder = funded(&mut f.chain);
    f.rejects(
        &authority,
        v.propose_authority(&authority.pubkey(), Pubkey::default()),
        code(EmissionsError::InvalidAuthority),
        &[],
        &[v.vault],
    );
    f.rejects(
        &intruder,
        v.propose_authority(&intruder.pubkey(), intruder.pubkey()),
        code(EmissionsError::NotAuthority),
        &[],
        &[v.vault],
    );
    let e: AuthorityProposed =
        event(&f.send(v.propose_authority(&authority.pubkey(), next.pubkey())));
    assert_eq!(
        (e.vault, e.authority, e.old_pending_authority, e.new_pending_authority),
        (v.vault, authority.pubkey(), Pubkey::default(), next.pubkey())
    );
    f.rejects(
        &intruder,
        v.accept_authority(&intruder.pubkey()),
        code(EmissionsError::NotPendingAuthority),
        &[],
        &[v.vault],
    );
    let logs = send(&mut f.chain, &next, &[v.accept_authority(&next.pubkey())], &[]).unwrap();
    let e: AuthorityTransferred = event(&logs);
    assert_eq!((e.old_authority, e.new_authority), (authority.pubkey(), next.pubkey()));
    let s = v.state(&f.chain);
    assert_eq!((s.authority, s.pending_authority), (next.pubkey(), Pubkey::default()));
    f.rejects(
        &authority,
        v.set_paused(&authority.pubkey(), true),
        code(EmissionsError::NotAuthority),
        &[],
        &[v.vault],
    );
    f.rejects(
        &next,
        v.accept_authority(&next.pubkey()),
        code(EmissionsError::NotPendingAuthority),
        &[],
        &[v.vault],
    );
    send(&mut f.chain, &next, &[v.set_paused(&next.pubkey(), true)], &[]).unwrap();
    assert!(v.state(&f.chain).paused);
}

// --- with the staking program ---

#[test]
fn the_vault_pays_the_staking_reward_vault_and_stakers_earn_in_proportion() {
    use support::staking::Pool;
    let mut chain = Localnet::new();
    let pool = Pool::create(&mut chain, Keypair::new(), Keypair::new(), Keypair::new(), 1, HOUR);
    let authority = pool.admin.insecure_clone();
    let source =
        testing::create_token_account(&mut chain, &authority, &pool.mint, &authority.pubkey())
            .unwrap();
    testing::mint_to(&mut chain, &authority, &pool.mint, &source, DEFAULT.cap).unwrap();
    let w = World { authority: authority.insecure_clone(), mint: pool.mint, source };
    let treasury = w.account_of(&mut chain, &authority.pubkey());
    let payees = [pool.reward_vault, treasury];
    // Hour 0 starts in an hour, when the stake below has warmed up.
    let start = now(&chain) + HOUR as i64;
    let v = w
        .create(&mut chain, args(1, start, DEFAULT, recipients(&payees, &[8_000, 2_000])))
        .unwrap();
    send(&mut chain, &authority, &[pool.add_reward_source(&authority.pubkey(), &v.vault)], &[])
        .unwrap();

    // Two providers staking 1:3 (a power-of-two total keeps the accumulator exact).
    let (a, b) = (Keypair::new(), Keypair::new());
    let unit = 1u64 << 30;
    let a_src = pool.provider(&mut chain, &a, unit);
    let b_src = pool.provider(&mut chain, &b, 3 * unit);
    send(&mut chain, &a, &[pool.stake(&a.pubkey(), &a_src, unit)], &[]).unwrap();
    send(&mut chain, &b, &[pool.stake(&b.pubkey(), &b_src, 3 * unit)], &[]).unwrap();
    chain.warp(HOUR);
    for owner in [&a, &b] {
        send(&mut chain, owner, &[pool.activate_stake(&owner.pubkey(), &[v.vault])], &[]).unwrap();
    }

    // Ten simulated days: a crank emits every day, A claims every other day, B at the end.
    let cranker = funded(&mut chain);
    for day in 1..=10u64 {
        chain.warp(DAY);
        send(&mut chain, &cranker, &[v.emit(&payees)], &[]).unwrap();
        if day % 2 == 0 {
            send(&mut chain, &a, &[pool.claim_rewards(&a.pubkey(), &a_src)], &[]).unwrap();
        }
    }
    send(&mut chain, &a, &[pool.claim_rewards(&a.pubkey(), &a_src)], &[]).unwrap_err();
    send(&mut chain, &b, &[pool.claim_rewards(&b.pubkey(), &b_src)], &[]).unwrap();
    let emitted = math::cumulative(&DEFAULT, 240).unwrap();
    let to_pool = math::owed(emitted, 8_000).unwrap();
    assert_eq!(token_balance(&chain, &treasury), math::owed(emitted, 2_000).unwrap());
    let (got_a, got_b) = (token_balance(&chain, &a_src), token_balance(&chain, &b_src));
    assert_eq!(got_a, to_pool / 4);
    assert_eq!(got_b, 3 * to_pool / 4);
    assert_eq!(token_balance(&chain, &pool.reward_vault), to_pool - got_a - got_b);
    println!("10 days: {emitted} emitted, {to_pool} to the pool, A {got_a}, B {got_b}");
}

#[test]
fn extreme_amounts_do_not_overflow() {
    let mut chain = Localnet::new();
    let w = World::new(&mut chain, u64::MAX);
    let payees = w.accounts(&mut chain, 3);
    // The whole u64 supply as cap, emitted in the first hour; periods as long as they can be.
    let s = Schedule {
        initial_per_hour: u64::MAX,
        decay_bps: 1,
        period_hours: u32::MAX,
        cap: u64::MAX,
    };
    let start = now(&chain);
    let v = w.create(&mut chain, args(1, start, s, recipients(&payees, &SHARES))).unwrap();
    chain.warp(100 * HOUR);
    let logs = send(&mut chain, &w.authority, &[v.emit(&payees)], &[]).unwrap();
    let e: Emitted = event(&logs);
    assert_eq!((e.from_hour, e.to_hour, e.amount), (0, 1, u64::MAX));
    let got: Vec<u64> = payees.iter().map(|p| token_balance(&chain, p)).collect();
    assert_eq!(got, expected(&SHARES, u64::MAX, true));
    assert_eq!(got.iter().map(|x| u128::from(*x)).sum::<u128>(), u128::from(u64::MAX));
    assert_eq!(token_balance(&chain, &v.token_vault), 0);
    let _: EmissionCapReached = event(&logs);
}
