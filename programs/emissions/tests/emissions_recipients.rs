//! Who an emission vault pays, and who can change it, in the in-process chain: every attack on a
//! committed schedule performed for real and refused by name with nothing moved (pause →
//! redirect → resume on a non-revocable vault, the immediate redirect, pause → revoke), the
//! public recipients proposal and its delay, `replace_recipient_account` as the remedy for a
//! recipient account that can no longer receive (closed, frozen, memo-required), the mints
//! `create_vault` refuses, and the rounding dust held until a set of recipients is settled.

use crucible_program_tests as support;

use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::{
    token::spl_token,
    token_2022::spl_token_2022::{
        self,
        extension::{memo_transfer, ExtensionType},
        state::{Account as Account2022, Mint as Mint2022},
    },
};
use crucible_emissions::{
    error::EmissionsError,
    events::{
        Emitted, RecipientAccountReplaced, RecipientsProposalCancelled, RecipientsProposalExecuted,
        RecipientsProposed, RecipientsUpdated, VaultCreated, VaultRevoked,
    },
    math::{self, Schedule},
    state::{EmissionVault, Recipient},
    CreateVaultArgs,
};
use crucible_localnet::{
    testing::{self, send, token_balance, SOL},
    Localnet,
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::emissions::{
    args, code, event, events, expected, funded, fx, now, recipients, Fx, Vault, World, DELAY,
    HOUR, SHARES, SMALL,
};

const DELAY_SECS: u64 = DELAY as u64;

/// The hours due now for `v`, and what they emit in total.
fn due_now(f: &Fx, v: &Vault, s: &Schedule) -> (u64, u64) {
    let hours = math::hours_due(v.state(&f.chain).start_ts, now(&f.chain));
    (hours, math::cumulative(s, hours).unwrap())
}

/// Three recipient token accounts whose owners' keys the test keeps.
fn owned_payees(f: &mut Fx) -> (Vec<Keypair>, Vec<Pubkey>) {
    let owners: Vec<Keypair> = (0..3).map(|_| funded(&mut f.chain)).collect();
    let accounts = owners.iter().map(|o| f.w.account_of(&mut f.chain, &o.pubkey())).collect();
    (owners, accounts)
}

/// `owner` empties `account` into another of its accounts and closes it (SPL Token needs a
/// zero balance to close); returns where the balance went.
fn drain_and_close(f: &mut Fx, owner: &Keypair, account: &Pubkey) -> Pubkey {
    let elsewhere = f.w.account_of(&mut f.chain, &owner.pubkey());
    let amount = token_balance(&f.chain, account);
    let ixs = [
        spl_token::instruction::transfer(
            &spl_token::ID,
            account,
            &elsewhere,
            &owner.pubkey(),
            &[],
            amount,
        )
        .unwrap(),
        spl_token::instruction::close_account(
            &spl_token::ID,
            account,
            &owner.pubkey(),
            &owner.pubkey(),
            &[],
        )
        .unwrap(),
    ];
    send(&mut f.chain, owner, &ixs, &[]).unwrap();
    assert!(f.chain.get_account(account).is_none());
    elsewhere
}

/// Marks a classic SPL token account frozen by writing its state byte (a vault's mint has no
/// freeze authority, so this is the only way to produce one).
fn freeze_in_place(chain: &mut Localnet, account: &Pubkey) {
    let mut a = chain.get_account(account).unwrap();
    a.data[108] = spl_token::state::AccountState::Frozen as u8;
    chain.set_account(*account, a);
}

// --- the attacks ---

#[test]
fn attack_pause_redirect_resume_on_a_non_revocable_vault_is_refused_and_the_recipients_get_every_hour(
) {
    let mut f = fx();
    let v = f.fixed_vault(1, SMALL);
    let authority = f.authority();
    let own = f.w.account_of(&mut f.chain, &authority.pubkey());
    let payees = f.payees.clone();
    let mut watch = payees.clone();
    watch.extend([own, v.token_vault]);
    let to_me = || recipients(&[own], &[10_000]);
    f.chain.warp(3 * HOUR);

    // The whole attack in one transaction: pause, point the vault at the authority's own
    // account, resume, emit. Refused as a whole, by name; nothing moves.
    let bundle = [
        v.set_paused(&authority.pubkey(), true),
        v.update_recipients(&authority.pubkey(), &payees, to_me()),
        v.set_paused(&authority.pubkey(), false),
        v.emit(&[own]),
    ];
    f.rejects_tx(
        &authority,
        &bundle,
        code(EmissionsError::RecipientsChangeNeedsProposal),
        &watch,
        &[v.vault],
    );
    // Step by step: paused, the redirect is refused just the same.
    f.send(v.set_paused(&authority.pubkey(), true));
    let ix = v.update_recipients(&authority.pubkey(), &payees, to_me());
    f.rejects(
        &authority,
        ix,
        code(EmissionsError::RecipientsChangeNeedsProposal),
        &watch,
        &[v.vault],
    );
    f.send(v.set_paused(&authority.pubkey(), false));
    // And the immediate redirect, without a pause.
    let ix = v.update_recipients(&authority.pubkey(), &payees, to_me());
    f.rejects(
        &authority,
        ix,
        code(EmissionsError::RecipientsChangeNeedsProposal),
        &watch,
        &[v.vault],
    );

    // The recipients get every accrued hour and every later one; the authority nothing.
    f.chain.warp(5 * HOUR);
    f.send(v.emit(&payees));
    let total = math::cumulative(&SMALL, 8).unwrap();
    assert_eq!(total, 4 * 1_000 + 4 * 900);
    assert_eq!(f.balances(&payees), expected(&SHARES, total, false));
    assert_eq!(f.balances(&payees), vec![3_800, 2_280, 1_520]);
    assert_eq!(token_balance(&f.chain, &own), 0);
    assert_eq!(token_balance(&f.chain, &v.token_vault), SMALL.cap - total);
    assert_eq!(v.payees(&f.chain), payees);
}

#[test]
fn attack_pause_then_revoke_pays_the_recipients_every_due_hour_and_returns_only_the_rest() {
    let mut f = fx();
    let authority = f.authority();
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    let payees = f.payees.clone();
    // Two identical revocable vaults: one revoked step by step, one in a single bundle.
    let v = f.vault(1, SMALL);
    let twin_payees = f.w.accounts(&mut f.chain, 3);
    let start = v.state(&f.chain).start_ts;
    let twin =
        f.w.create(&mut f.chain, args(2, start, SMALL, recipients(&twin_payees, &SHARES))).unwrap();
    let twin_back = f.w.account_of(&mut f.chain, &authority.pubkey());

    f.chain.warp(2 * HOUR);
    f.send(v.emit(&payees));
    f.send(twin.emit(&twin_payees));
    assert_eq!(f.balances(&payees), vec![1_000, 600, 400]);
    // Paused for four more hours: six hours are due, 4 × 1,000 + 2 × 900.
    f.send(v.set_paused(&authority.pubkey(), true));
    f.chain.warp(4 * HOUR + 1_800);
    let logs = f.send(v.revoke(&authority.pubkey(), &back, &payees));
    let due = math::cumulative(&SMALL, 6).unwrap();
    assert_eq!(due, 5_800);
    let e: VaultRevoked = event(&logs);
    assert_eq!((e.paid, e.returned, e.emitted_hours), (due - 2_000, SMALL.cap - due, 6));
    assert_eq!(f.balances(&payees), expected(&SHARES, due, true));
    assert_eq!(f.balances(&payees), vec![2_900, 1_740, 1_160]);
    assert_eq!(token_balance(&f.chain, &back), SMALL.cap - due);
    assert_eq!(token_balance(&f.chain, &v.token_vault), 0);

    // Pause and revoke bundled in one transaction: the same, to the unit.
    let bundle = [
        twin.set_paused(&authority.pubkey(), true),
        twin.revoke(&authority.pubkey(), &twin_back, &twin_payees),
    ];
    send(&mut f.chain, &authority, &bundle, &[]).unwrap();
    assert_eq!(f.balances(&twin_payees), f.balances(&payees));
    assert_eq!(token_balance(&f.chain, &twin_back), SMALL.cap - due);
}

#[test]
fn update_recipients_of_a_revocable_vault_while_paused_pays_the_old_recipients_first() {
    let mut f = fx();
    let v = f.vault(1, SMALL);
    let authority = f.authority();
    let old = f.payees.clone();
    let new = f.w.accounts(&mut f.chain, 2);
    f.chain.warp(HOUR);
    f.send(v.emit(&old));
    f.send(v.set_paused(&authority.pubkey(), true));
    f.chain.warp(5 * HOUR);
    // Paused since hour 1: six hours are due, all of them the old recipients'.
    let logs =
        f.send(v.update_recipients(&authority.pubkey(), &old, recipients(&new, &[5_000, 5_000])));
    let due = math::cumulative(&SMALL, 6).unwrap();
    assert_eq!(f.balances(&old), expected(&SHARES, due, true));
    assert_eq!(f.balances(&new), vec![0, 0]);
    let paid: Emitted = event(&logs);
    assert_eq!((paid.from_hour, paid.to_hour, paid.amount), (1, 6, due - 1_000));
    let e: RecipientsUpdated = event(&logs);
    assert!(e.paid_old);
    assert_eq!(e.base_emitted, due);
    // Still paused: nothing more is paid until resumed; then the new set gets the hours after.
    let cranker = funded(&mut f.chain);
    f.chain.warp(2 * HOUR);
    f.rejects(&cranker, v.emit(&new), code(EmissionsError::VaultPaused), &new, &[v.vault]);
    f.send(v.set_paused(&authority.pubkey(), false));
    send(&mut f.chain, &cranker, &[v.emit(&new)], &[]).unwrap();
    let after = math::cumulative(&SMALL, 8).unwrap() - due;
    assert_eq!(f.balances(&new), expected(&[5_000, 5_000], after, false));
    assert_eq!(f.balances(&old), expected(&SHARES, due, true));
}

// --- the recipients proposal ---

#[test]
fn create_vault_records_the_recipients_delay_and_bounds_it() {
    let mut f = fx();
    let t = now(&f.chain);
    let r = recipients(&f.payees, &SHARES);
    let authority = f.authority();
    let v = f.w.vault(1);
    let cases = [
        (false, DELAY - 1, EmissionsError::RecipientsDelayTooShort),
        (false, 0, EmissionsError::RecipientsDelayTooShort),
        (
            false,
            EmissionVault::MAX_RECIPIENTS_DELAY_SECS + 1,
            EmissionsError::RecipientsDelayTooLong,
        ),
        (
            true,
            EmissionVault::MAX_RECIPIENTS_DELAY_SECS + 1,
            EmissionsError::RecipientsDelayTooLong,
        ),
        (true, u32::MAX, EmissionsError::RecipientsDelayTooLong),
    ];
    for (revocable, delay, e) in cases {
        let a = CreateVaultArgs {
            revocable,
            recipients_delay_secs: delay,
            ..args(1, t, SMALL, r.clone())
        };
        let ix = v.create_vault(&authority.pubkey(), &f.w.source, a, &f.payees);
        f.rejects(&authority, ix, code(e), &[f.w.source], &[v.vault, v.token_vault]);
    }
    // The edges: 48 h for a non-revocable vault, 30 days for any, 0 for a revocable one.
    let edges =
        [(2, false, DELAY), (3, false, EmissionVault::MAX_RECIPIENTS_DELAY_SECS), (4, true, 0)];
    for (id, revocable, delay) in edges {
        let a = CreateVaultArgs {
            revocable,
            recipients_delay_secs: delay,
            ..args(id, t, SMALL, r.clone())
        };
        let accounts = f.payees.clone();
        let vault = f.w.vault(id);
        let logs = f.send(vault.create_vault(&authority.pubkey(), &f.w.source, a, &accounts));
        let s = vault.state(&f.chain);
        assert_eq!(s.recipients_delay_secs, delay);
        assert!(!s.has_proposal());
        let e: VaultCreated = event(&logs);
        assert_eq!(e.recipients_delay_secs, delay);
        // The owners of the recipients' accounts are recorded with them.
        let owners: Vec<Pubkey> = accounts
            .iter()
            .map(|a| {
                spl_token::state::Account::unpack(&f.chain.get_account(a).unwrap().data)
                    .unwrap()
                    .owner
            })
            .collect();
        assert_eq!(s.owners(), &owners[..]);
        assert_eq!(e.recipient_owners, owners);
    }
    // A revocable vault with no delay executes a proposal at once.
    let v4 = f.w.vault(4);
    let new = f.w.accounts(&mut f.chain, 1);
    f.send(v4.propose_recipients(&authority.pubkey(), recipients(&new, &[10_000])));
    let ix = v4.execute(&f.chain, &authority.pubkey());
    f.send(ix);
    assert_eq!(v4.payees(&f.chain), new);
}

#[test]
fn a_proposal_takes_effect_only_after_its_delay_and_the_old_recipients_keep_every_hour_before_it() {
    let mut f = fx();
    let v = f.fixed_vault(1, SMALL);
    let authority = f.authority();
    let intruder = funded(&mut f.chain);
    let own = f.w.account_of(&mut f.chain, &authority.pubkey());
    let old = f.payees.clone();
    let mut watch = old.clone();
    watch.extend([own, v.token_vault]);
    f.chain.warp(2 * HOUR);

    // Rejections: the authority only; a valid list.
    let ix = v.propose_recipients(&intruder.pubkey(), recipients(&[own], &[10_000]));
    f.rejects(&intruder, ix, code(EmissionsError::NotAuthority), &watch, &[v.vault]);
    for (list, e) in [
        (recipients(&[own], &[9_999]), EmissionsError::SharesMustSum10000),
        (recipients(&[v.token_vault], &[10_000]), EmissionsError::RecipientIsVault),
        (vec![], EmissionsError::NoRecipients),
    ] {
        let ix = v.propose_recipients(&authority.pubkey(), list);
        f.rejects(&authority, ix, code(e), &watch, &[v.vault]);
    }
    let cancel = v.cancel_recipients_proposal(&authority.pubkey());
    f.rejects(&authority, cancel, code(EmissionsError::NoRecipientsProposal), &watch, &[v.vault]);
    let ix = v.execute_recipients_proposal(&intruder.pubkey(), &old, &[]);
    f.rejects(&intruder, ix, code(EmissionsError::NoRecipientsProposal), &watch, &[v.vault]);

    // The authority proposes to send everything to itself: public, on the vault, with a date.
    let t0 = now(&f.chain);
    let logs = f.send(v.propose_recipients(&authority.pubkey(), recipients(&[own], &[10_000])));
    let e: RecipientsProposed = event(&logs);
    assert_eq!(
        (e.vault, e.authority, e.executable_at),
        (v.vault, authority.pubkey(), t0 + DELAY as i64)
    );
    assert!(e.old_proposal.is_empty());
    assert_eq!(e.recipients, vec![Recipient { token_account: own, share_bps: 10_000 }]);
    assert_eq!(e.owners, vec![authority.pubkey()]);
    let s = v.state(&f.chain);
    assert_eq!(s.proposed_recipients(), &[Recipient { token_account: own, share_bps: 10_000 }]);
    assert_eq!(
        (s.proposal_executable_at, s.proposed_owners()),
        (t0 + DELAY as i64, &[authority.pubkey()][..])
    );
    assert_eq!(v.payees(&f.chain), old, "a proposal changes nothing until executed");
    // Too early, bundled with the proposal or a second before the delay: refused by name.
    let bundle = [
        v.propose_recipients(&authority.pubkey(), recipients(&[own], &[10_000])),
        v.execute_recipients_proposal(&authority.pubkey(), &old, &[own]),
    ];
    f.rejects_tx(
        &authority,
        &bundle,
        code(EmissionsError::RecipientsProposalNotReady),
        &watch,
        &[v.vault],
    );
    f.chain.warp(DELAY_SECS - 1);
    let ix = v.execute(&f.chain, &intruder.pubkey());
    f.rejects(&intruder, ix, code(EmissionsError::RecipientsProposalNotReady), &watch, &[v.vault]);
    // The recipients keep being paid meanwhile.
    f.send(v.emit(&old));
    let (_, paid_so_far) = due_now(&f, &v, &SMALL);
    assert_eq!(f.balances(&old), expected(&SHARES, paid_so_far, false));

    // Cancelled: only by the authority; then there is nothing to execute.
    let cancel = v.cancel_recipients_proposal(&intruder.pubkey());
    f.rejects(&intruder, cancel, code(EmissionsError::NotAuthority), &watch, &[v.vault]);
    let logs = f.send(v.cancel_recipients_proposal(&authority.pubkey()));
    let e: RecipientsProposalCancelled = event(&logs);
    assert_eq!(
        (e.vault, e.authority, e.executable_at),
        (v.vault, authority.pubkey(), t0 + DELAY as i64)
    );
    assert_eq!(e.recipients.len(), 1);
    assert!(!v.state(&f.chain).has_proposal());
    f.chain.warp(HOUR);
    let ix = v.execute_recipients_proposal(&intruder.pubkey(), &old, &[own]);
    f.rejects(&intruder, ix, code(EmissionsError::NoRecipientsProposal), &watch, &[v.vault]);

    // A new proposal, then a second one replacing it (the delay starts again).
    let new = f.w.accounts(&mut f.chain, 2);
    f.send(v.propose_recipients(&authority.pubkey(), recipients(&[own], &[10_000])));
    f.chain.warp(HOUR);
    let t1 = now(&f.chain);
    let next = recipients(&[new[0], new[1]], &[6_000, 4_000]);
    let e: RecipientsProposed =
        event(&f.send(v.propose_recipients(&authority.pubkey(), next.clone())));
    assert_eq!(e.old_proposal, vec![Recipient { token_account: own, share_bps: 10_000 }]);
    assert_eq!(e.executable_at, t1 + DELAY as i64);
    // The authority pauses, hoping the paused hours go to the new set: they do not.
    f.send(v.set_paused(&authority.pubkey(), true));
    f.chain.warp(DELAY_SECS);
    let (hours, due) = due_now(&f, &v, &SMALL);
    let executor = funded(&mut f.chain);
    let ix = v.execute(&f.chain, &executor.pubkey());
    let logs = send(&mut f.chain, &executor, &[ix], &[]).unwrap();
    assert_eq!(
        f.balances(&old),
        expected(&SHARES, due, true),
        "the old set gets every hour before"
    );
    assert_eq!(f.balances(&new), vec![0, 0]);
    assert_eq!(token_balance(&f.chain, &own), 0);
    let paid: Emitted = event(&logs);
    assert_eq!((paid.to_hour, paid.total_emitted), (hours, due));
    let e: RecipientsProposalExecuted = event(&logs);
    assert_eq!(
        (e.vault, e.executor, e.executable_at, e.base_emitted),
        (v.vault, executor.pubkey(), t1 + DELAY as i64, due)
    );
    assert_eq!(e.old_recipients.iter().map(|r| r.token_account).collect::<Vec<_>>(), old);
    let u: RecipientsUpdated = event(&logs);
    assert_eq!((u.base_emitted, u.paid_old), (due, true));
    let s = v.state(&f.chain);
    assert!(!s.has_proposal());
    assert_eq!((s.recipients_base_emitted, s.recipient_count), (due, 2));
    assert_eq!(v.payees(&f.chain), new);
    // Executed once: nothing left to execute.
    let ix = v.execute_recipients_proposal(&executor.pubkey(), &new, &new);
    f.rejects(&executor, ix, code(EmissionsError::NoRecipientsProposal), &new, &[v.vault]);

    // Resumed, the new set shares the hours after the change.
    f.send(v.set_paused(&authority.pubkey(), false));
    f.chain.warp(3 * HOUR);
    f.send(v.emit(&new));
    let (_, total) = due_now(&f, &v, &SMALL);
    assert_eq!(f.balances(&new), expected(&[6_000, 4_000], total - due, false));
    assert_eq!(f.balances(&old), expected(&SHARES, due, true));
    assert_eq!(
        token_balance(&f.chain, &v.token_vault),
        SMALL.cap - total + math::dust(&[6_000, 4_000], total - due).unwrap()
    );
}

#[test]
fn execute_rechecks_the_proposed_accounts() {
    let mut f = fx();
    let v = f.fixed_vault(1, SMALL);
    let authority = f.authority();
    let old = f.payees.clone();
    let owner = funded(&mut f.chain);
    let theirs = f.w.account_of(&mut f.chain, &owner.pubkey());
    let other_owner = funded(&mut f.chain);
    let other = f.w.account_of(&mut f.chain, &other_owner.pubkey());
    f.send(
        v.propose_recipients(&authority.pubkey(), recipients(&[theirs, other], &[5_000, 5_000])),
    );
    f.chain.warp(DELAY_SECS + HOUR);
    let cranker = funded(&mut f.chain);
    let mut watch = old.clone();
    watch.extend([theirs, other, v.token_vault]);
    // The accounts passed must be the proposal's, in order, after the current recipients.
    for (cur, new) in [
        (old.clone(), vec![other, theirs]),
        (old.clone(), vec![theirs]),
        (old[..2].to_vec(), vec![theirs, other]),
    ] {
        let ix = v.execute_recipients_proposal(&cranker.pubkey(), &cur, &new);
        f.rejects(&cranker, ix, code(EmissionsError::RecipientMismatch), &watch, &[v.vault]);
    }
    // The owner of a proposed account hands it to someone else: not what was announced.
    let stranger = Keypair::new();
    let set_owner = spl_token::instruction::set_authority(
        &spl_token::ID,
        &theirs,
        Some(&stranger.pubkey()),
        spl_token::instruction::AuthorityType::AccountOwner,
        &owner.pubkey(),
        &[],
    )
    .unwrap();
    send(&mut f.chain, &owner, &[set_owner], &[]).unwrap();
    let ix = v.execute(&f.chain, &cranker.pubkey());
    f.rejects(&cranker, ix, code(EmissionsError::RecipientOwnerChanged), &watch, &[v.vault]);
    // A proposed account closed since: refused too.
    drain_and_close(&mut f, &other_owner, &other);
    let ix = v.execute(&f.chain, &cranker.pubkey());
    watch.retain(|a| *a != other);
    f.rejects(&cranker, ix, code(EmissionsError::InvalidRecipientAccount), &watch, &[v.vault]);
    // Cancelled, and proposed again with sound accounts, it goes through.
    f.send(v.cancel_recipients_proposal(&authority.pubkey()));
    let sound = f.w.accounts(&mut f.chain, 1);
    f.send(v.propose_recipients(&authority.pubkey(), recipients(&sound, &[10_000])));
    f.chain.warp(DELAY_SECS);
    let ix = v.execute(&f.chain, &cranker.pubkey());
    send(&mut f.chain, &cranker, &[ix], &[]).unwrap();
    assert_eq!(v.payees(&f.chain), sound);
}

#[test]
fn a_proposal_while_paused_with_more_due_than_one_call_pays_waits_for_the_catch_up() {
    let mut f = fx();
    // Hourly periods: one call pays at most MAX_PERIODS_PER_CALL hours.
    let s =
        Schedule { initial_per_hour: 1 << 20, decay_bps: 1, period_hours: 1, cap: u64::MAX / 4 };
    let w = World::new(&mut f.chain, s.cap);
    let payees = w.accounts(&mut f.chain, 2);
    let start = now(&f.chain);
    let a = CreateVaultArgs {
        revocable: false,
        ..args(1, start, s, recipients(&payees, &[5_000, 5_000]))
    };
    let v = w.create(&mut f.chain, a).unwrap();
    let authority = w.authority.insecure_clone();
    let new = w.accounts(&mut f.chain, 1);
    send(
        &mut f.chain,
        &authority,
        &[v.propose_recipients(&authority.pubkey(), recipients(&new, &[10_000]))],
        &[],
    )
    .unwrap();
    send(&mut f.chain, &authority, &[v.set_paused(&authority.pubkey(), true)], &[]).unwrap();
    let due = math::MAX_PERIODS_PER_CALL + 500;
    f.chain.warp(due * HOUR);
    let cranker = funded(&mut f.chain);
    let mut watch = payees.clone();
    watch.extend([new[0], v.token_vault]);
    // More than one call's worth is due: the old set must be paid all of it first.
    let ix = v.execute(&f.chain, &cranker.pubkey());
    f.rejects(&cranker, ix, code(EmissionsError::CatchUpFirst), &watch, &[v.vault]);
    f.rejects(&cranker, v.emit(&payees), code(EmissionsError::VaultPaused), &watch, &[v.vault]);
    // Resumed, emit catches up in two calls, and then the proposal executes.
    send(&mut f.chain, &authority, &[v.set_paused(&authority.pubkey(), false)], &[]).unwrap();
    for _ in 0..2 {
        send(&mut f.chain, &cranker, &[v.emit(&payees)], &[]).unwrap();
    }
    let ix = v.execute(&f.chain, &cranker.pubkey());
    send(&mut f.chain, &cranker, &[ix], &[]).unwrap();
    let total = math::cumulative(&s, due).unwrap();
    let got: Vec<u64> = payees.iter().map(|p| token_balance(&f.chain, p)).collect();
    assert_eq!(got, expected(&[5_000, 5_000], total, true));
    assert_eq!(v.payees(&f.chain), new);
}

#[test]
fn proposals_are_refused_once_the_vault_has_ended_or_been_revoked() {
    let mut f = fx();
    let authority = f.authority();
    let payees = f.payees.clone();
    let new = f.w.accounts(&mut f.chain, 1);
    // Revocable, with a pending proposal, then revoked.
    let v = f.vault(1, SMALL);
    f.send(v.propose_recipients(&authority.pubkey(), recipients(&new, &[10_000])));
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    f.send(v.revoke(&authority.pubkey(), &back, &payees));
    f.chain.warp(DELAY_SECS);
    let mut watch = payees.clone();
    watch.extend([new[0], back]);
    let ix = v.execute(&f.chain, &authority.pubkey());
    f.rejects(&authority, ix, code(EmissionsError::AlreadyRevoked), &watch, &[v.vault]);
    let ix = v.propose_recipients(&authority.pubkey(), recipients(&new, &[10_000]));
    f.rejects(&authority, ix, code(EmissionsError::AlreadyRevoked), &watch, &[v.vault]);
    // The stale proposal can still be cleared.
    f.send(v.cancel_recipients_proposal(&authority.pubkey()));
    // Ended at its cap.
    let tiny = Schedule { initial_per_hour: 10, decay_bps: 0, period_hours: 1, cap: 10 };
    let e = f.fixed_vault(2, tiny);
    f.send(e.propose_recipients(&authority.pubkey(), recipients(&new, &[10_000])));
    f.chain.warp(DELAY_SECS);
    f.send(e.emit(&payees));
    let ix = e.execute(&f.chain, &authority.pubkey());
    f.rejects(&authority, ix, code(EmissionsError::ScheduleEnded), &watch, &[e.vault]);
    let ix = e.propose_recipients(&authority.pubkey(), recipients(&new, &[10_000]));
    f.rejects(&authority, ix, code(EmissionsError::ScheduleEnded), &watch, &[e.vault]);
}

// --- replace_recipient_account ---

#[test]
fn a_closed_recipient_account_blocks_every_payment_until_anyone_replaces_it_and_nothing_is_lost() {
    let mut f = fx();
    let (owners, payees) = owned_payees(&mut f);
    f.payees = payees.clone();
    let v = f.fixed_vault(1, SMALL);
    let authority = f.authority();
    let cranker = funded(&mut f.chain);
    f.chain.warp(3 * HOUR);
    f.send(v.emit(&payees));
    assert_eq!(f.balances(&payees), vec![1_500, 900, 600]);

    // The last recipient's owner empties and closes its account: emit now fails for everyone.
    let leaver = owners[2].insecure_clone();
    let kept = drain_and_close(&mut f, &leaver, &payees[2]);
    assert_eq!(token_balance(&f.chain, &kept), 600);
    f.chain.warp(2 * HOUR);
    let watch = [payees[0], payees[1], v.token_vault];
    f.rejects(
        &cranker,
        v.emit(&payees),
        code(EmissionsError::InvalidRecipientAccount),
        &watch,
        &[v.vault],
    );

    // Refusals: the index, the account it names, an account of anyone else, of another mint,
    // the vault's own, another recipient's, a wallet, a frozen account.
    let fresh = f.w.account_of(&mut f.chain, &leaver.pubkey());
    let not_theirs = f.w.account_of(&mut f.chain, &cranker.pubkey());
    let other_mint = World::new(&mut f.chain, 0);
    let foreign = other_mint.account_of(&mut f.chain, &leaver.pubkey());
    let frozen = f.w.account_of(&mut f.chain, &leaver.pubkey());
    freeze_in_place(&mut f.chain, &frozen);
    let mut watch = payees.to_vec();
    watch.extend([fresh, not_theirs, foreign, v.token_vault]);
    let cases: Vec<(u8, Pubkey, Pubkey, EmissionsError)> = vec![
        (3, payees[2], fresh, EmissionsError::RecipientIndexOutOfRange),
        (1, payees[2], fresh, EmissionsError::RecipientMismatch),
        (2, payees[2], not_theirs, EmissionsError::RecipientOwnerMismatch),
        (2, payees[2], foreign, EmissionsError::WrongRecipientMint),
        (2, payees[2], v.token_vault, EmissionsError::RecipientIsVault),
        (2, payees[2], payees[0], EmissionsError::DuplicateRecipient),
        (2, payees[2], leaver.pubkey(), EmissionsError::InvalidRecipientAccount),
        (2, payees[2], frozen, EmissionsError::RecipientCannotReceive),
    ];
    for (index, old, new, e) in cases {
        let ix = v.replace_recipient_account(&cranker.pubkey(), index, &old, &new);
        f.rejects(&cranker, ix, code(e), &watch, &[v.vault]);
    }
    // A healthy recipient's account can only be moved by its owner, not the authority.
    let elsewhere = f.w.account_of(&mut f.chain, &owners[1].pubkey());
    for who in [&authority, &cranker] {
        let ix = v.replace_recipient_account(&who.pubkey(), 1, &payees[1], &elsewhere);
        f.rejects(who, ix, code(EmissionsError::RecipientCanStillReceive), &watch, &[v.vault]);
    }

    // Anyone can point the closed recipient at another account of the same owner, paused or not.
    f.send(v.set_paused(&authority.pubkey(), true));
    let logs = send(
        &mut f.chain,
        &cranker,
        &[v.replace_recipient_account(&cranker.pubkey(), 2, &payees[2], &fresh)],
        &[],
    )
    .unwrap();
    let e: RecipientAccountReplaced = event(&logs);
    assert_eq!(
        (
            e.vault,
            e.caller,
            e.index,
            e.old_token_account,
            e.new_token_account,
            e.owner,
            e.share_bps,
            e.old_could_receive
        ),
        (v.vault, cranker.pubkey(), 2, payees[2], fresh, leaver.pubkey(), 2_000, false)
    );
    assert!(events::<Emitted>(&logs).is_empty(), "replacing pays nothing");
    let s = v.state(&f.chain);
    assert_eq!(s.recipients()[2], Recipient { token_account: fresh, share_bps: 2_000 });
    assert_eq!(s.owners()[2], leaver.pubkey());
    assert_eq!(s.recipients_base_emitted, 0, "the same set: nothing is settled");
    f.send(v.set_paused(&authority.pubkey(), false));

    // Emit works again; the new account receives every hour the closed one missed.
    let now_payees = [payees[0], payees[1], fresh];
    send(&mut f.chain, &cranker, &[v.emit(&now_payees)], &[]).unwrap();
    let total = math::cumulative(&SMALL, 5).unwrap();
    let owed = expected(&SHARES, total, false);
    assert_eq!(f.balances(&payees[..2]), owed[..2].to_vec());
    assert_eq!(token_balance(&f.chain, &fresh), owed[2] - 600);
    assert_eq!(token_balance(&f.chain, &kept) + token_balance(&f.chain, &fresh), owed[2]);

    // The owner may move its own healthy account at any time.
    let logs = send(
        &mut f.chain,
        &owners[1],
        &[v.replace_recipient_account(&owners[1].pubkey(), 1, &payees[1], &elsewhere)],
        &[],
    )
    .unwrap();
    let e: RecipientAccountReplaced = event(&logs);
    assert!(e.old_could_receive);
    f.chain.warp(HOUR);
    let ix = v.emit(&v.payees(&f.chain));
    send(&mut f.chain, &cranker, &[ix], &[]).unwrap();
    let total = math::cumulative(&SMALL, 6).unwrap();
    let owed = expected(&SHARES, total, false);
    let second = token_balance(&f.chain, &payees[1]) + token_balance(&f.chain, &elsewhere);
    assert_eq!(second, owed[1]);
}

#[test]
fn a_recipient_stream_follows_its_token_accounts_owner() {
    let mut f = fx();
    let (owners, payees) = owned_payees(&mut f);
    f.payees = payees.clone();
    let v = f.fixed_vault(1, SMALL);
    let a = owners[2].insecure_clone();
    let b = funded(&mut f.chain);
    let stranger = funded(&mut f.chain);
    // A hands its recipient account to B (the token program's owner change).
    let hand_over = spl_token::instruction::set_authority(
        &spl_token::ID,
        &payees[2],
        Some(&b.pubkey()),
        spl_token::instruction::AuthorityType::AccountOwner,
        &a.pubkey(),
        &[],
    )
    .unwrap();
    send(&mut f.chain, &a, &[hand_over], &[]).unwrap();
    // A cannot take the stream back to an account of its own: the recipient is B's now.
    let a_account = f.w.account_of(&mut f.chain, &a.pubkey());
    let watch = [payees[2], a_account, v.token_vault];
    let ix = v.replace_recipient_account(&a.pubkey(), 2, &payees[2], &a_account);
    f.rejects(&a, ix, code(EmissionsError::RecipientOwnerMismatch), &watch, &[v.vault]);
    // A payment records B as the owner; B then empties and closes the account.
    f.chain.warp(2 * HOUR);
    f.send(v.emit(&payees));
    assert_eq!(v.state(&f.chain).owners()[2], b.pubkey());
    let kept = drain_and_close(&mut f, &b, &payees[2]);
    f.chain.warp(HOUR);
    // Closed, the stream stays B's: not to A, but anyone may point it at an account of B's.
    let ix = v.replace_recipient_account(&stranger.pubkey(), 2, &payees[2], &a_account);
    f.rejects(
        &stranger,
        ix,
        code(EmissionsError::RecipientOwnerMismatch),
        &[a_account],
        &[v.vault],
    );
    let b_account = f.w.account_of(&mut f.chain, &b.pubkey());
    let logs = send(
        &mut f.chain,
        &stranger,
        &[v.replace_recipient_account(&stranger.pubkey(), 2, &payees[2], &b_account)],
        &[],
    )
    .unwrap();
    assert_eq!(event::<RecipientAccountReplaced>(&logs).owner, b.pubkey());
    let ix = v.emit(&v.payees(&f.chain));
    f.send(ix);
    let owed = expected(&SHARES, math::cumulative(&SMALL, 3).unwrap(), false);
    assert_eq!(token_balance(&f.chain, &kept) + token_balance(&f.chain, &b_account), owed[2]);
    assert_eq!(token_balance(&f.chain, &a_account), 0);
}

#[test]
fn a_frozen_recipient_account_is_replaced_and_refusals_on_a_revoked_vault() {
    let mut f = fx();
    let (owners, payees) = owned_payees(&mut f);
    f.payees = payees.clone();
    let v = f.vault(1, SMALL);
    let cranker = funded(&mut f.chain);
    f.chain.warp(2 * HOUR);
    freeze_in_place(&mut f.chain, &payees[0]);
    let watch = [payees[1], payees[2], v.token_vault];
    f.rejects(
        &cranker,
        v.emit(&payees),
        code(EmissionsError::RecipientCannotReceive),
        &watch,
        &[v.vault],
    );
    let fresh = f.w.account_of(&mut f.chain, &owners[0].pubkey());
    send(
        &mut f.chain,
        &cranker,
        &[v.replace_recipient_account(&cranker.pubkey(), 0, &payees[0], &fresh)],
        &[],
    )
    .unwrap();
    let ix = v.emit(&v.payees(&f.chain));
    send(&mut f.chain, &cranker, &[ix], &[]).unwrap();
    assert_eq!(
        f.balances(&[fresh, payees[1], payees[2]]),
        expected(&SHARES, math::cumulative(&SMALL, 2).unwrap(), false)
    );
    // Revoked: nothing is paid any more, so nothing is replaced.
    let authority = f.authority();
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    f.send(v.revoke(&authority.pubkey(), &back, &v.payees(&f.chain)));
    let other = f.w.account_of(&mut f.chain, &owners[1].pubkey());
    let ix = v.replace_recipient_account(&owners[1].pubkey(), 1, &payees[1], &other);
    let o1 = owners[1].insecure_clone();
    f.rejects(&o1, ix, code(EmissionsError::AlreadyRevoked), &[payees[1], other], &[v.vault]);
}

// --- Token-2022: memo-required accounts, and the mints create_vault refuses ---

/// A Token-2022 mint (6 decimals, no freeze authority), optionally with a close authority.
fn mint_2022(
    chain: &mut Localnet,
    authority: &Keypair,
    close_authority: Option<&Pubkey>,
) -> Pubkey {
    let mint = Keypair::new();
    let extensions: &[ExtensionType] =
        if close_authority.is_some() { &[ExtensionType::MintCloseAuthority] } else { &[] };
    let space = ExtensionType::try_calculate_account_len::<Mint2022>(extensions).unwrap();
    let rent = chain.minimum_balance_for_rent_exemption(space);
    let mut ixs = vec![solana_system_interface::instruction::create_account(
        &authority.pubkey(),
        &mint.pubkey(),
        rent,
        space as u64,
        &spl_token_2022::ID,
    )];
    if let Some(close) = close_authority {
        ixs.push(
            spl_token_2022::instruction::initialize_mint_close_authority(
                &spl_token_2022::ID,
                &mint.pubkey(),
                Some(close),
            )
            .unwrap(),
        );
    }
    ixs.push(
        spl_token_2022::instruction::initialize_mint2(
            &spl_token_2022::ID,
            &mint.pubkey(),
            &authority.pubkey(),
            None,
            6,
        )
        .unwrap(),
    );
    send(chain, authority, &ixs, &[&mint]).unwrap();
    mint.pubkey()
}

/// A Token-2022 account of `mint` for `owner`, with room for the memo-transfer extension.
fn account_2022(chain: &mut Localnet, payer: &Keypair, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    let account = Keypair::new();
    let space =
        ExtensionType::try_calculate_account_len::<Account2022>(&[ExtensionType::MemoTransfer])
            .unwrap();
    let rent = chain.minimum_balance_for_rent_exemption(space);
    let ixs = [
        solana_system_interface::instruction::create_account(
            &payer.pubkey(),
            &account.pubkey(),
            rent,
            space as u64,
            &spl_token_2022::ID,
        ),
        spl_token_2022::instruction::initialize_account3(
            &spl_token_2022::ID,
            &account.pubkey(),
            mint,
            owner,
        )
        .unwrap(),
    ];
    send(chain, payer, &ixs, &[&account]).unwrap();
    account.pubkey()
}

fn require_memos(chain: &mut Localnet, owner: &Keypair, account: &Pubkey) {
    let ix = memo_transfer::instruction::enable_required_transfer_memos(
        &spl_token_2022::ID,
        account,
        &owner.pubkey(),
        &[],
    )
    .unwrap();
    send(chain, owner, &[ix], &[]).unwrap();
}

fn vault_2022(mint: &Pubkey, id: u64) -> Vault {
    let vault = support::emissions::vault_pda(mint, id);
    Vault {
        mint: *mint,
        vault_id: id,
        vault,
        token_vault: support::emissions::token_vault_pda(&vault),
        token_program: spl_token_2022::ID,
    }
}

#[test]
fn a_memo_required_recipient_blocks_emit_by_name_until_replaced() {
    let mut f = fx();
    let authority = f.authority();
    let mint = mint_2022(&mut f.chain, &authority, None);
    let source = account_2022(&mut f.chain, &authority, &mint, &authority.pubkey());
    let mint_ix = spl_token_2022::instruction::mint_to(
        &spl_token_2022::ID,
        &mint,
        &source,
        &authority.pubkey(),
        &[],
        10 * SMALL.cap,
    )
    .unwrap();
    f.send(mint_ix);
    let owners: Vec<Keypair> = (0..2).map(|_| funded(&mut f.chain)).collect();
    let payees: Vec<Pubkey> =
        owners.iter().map(|o| account_2022(&mut f.chain, &authority, &mint, &o.pubkey())).collect();
    let v = vault_2022(&mint, 1);
    let t = now(&f.chain);
    let a = args(1, t, SMALL, recipients(&payees, &[7_500, 2_500]));

    // An account that already requires memos cannot become a recipient.
    let memo = account_2022(&mut f.chain, &authority, &mint, &owners[1].pubkey());
    let o1 = owners[1].insecure_clone();
    require_memos(&mut f.chain, &o1, &memo);
    let bad = args(1, t, SMALL, recipients(&[payees[0], memo], &[7_500, 2_500]));
    let ix = v.create_vault(&authority.pubkey(), &source, bad, &[payees[0], memo]);
    f.rejects(&authority, ix, code(EmissionsError::RecipientCannotReceive), &[source], &[v.vault]);
    f.send(v.create_vault(&authority.pubkey(), &source, a, &payees));

    // The second recipient's owner turns on required memos: emit fails by name for everyone.
    f.chain.warp(2 * HOUR);
    f.send(v.emit(&payees));
    require_memos(&mut f.chain, &o1, &payees[1]);
    f.chain.warp(2 * HOUR);
    let cranker = funded(&mut f.chain);
    let watch = [payees[0], payees[1], v.token_vault];
    f.rejects(
        &cranker,
        v.emit(&payees),
        code(EmissionsError::RecipientCannotReceive),
        &watch,
        &[v.vault],
    );
    // Nor can a memo-required account be the replacement.
    let ix = v.replace_recipient_account(&cranker.pubkey(), 1, &payees[1], &memo);
    f.rejects(&cranker, ix, code(EmissionsError::RecipientCannotReceive), &watch, &[v.vault]);
    // Anyone replaces it with a plain account of the same owner: every unit arrives.
    let plain = account_2022(&mut f.chain, &authority, &mint, &owners[1].pubkey());
    send(
        &mut f.chain,
        &cranker,
        &[v.replace_recipient_account(&cranker.pubkey(), 1, &payees[1], &plain)],
        &[],
    )
    .unwrap();
    send(&mut f.chain, &cranker, &[v.emit(&[payees[0], plain])], &[]).unwrap();
    let total = math::cumulative(&SMALL, 4).unwrap();
    let owed = expected(&[7_500, 2_500], total, false);
    assert_eq!(token_balance(&f.chain, &payees[0]), owed[0]);
    assert_eq!(token_balance(&f.chain, &payees[1]) + token_balance(&f.chain, &plain), owed[1]);
    assert_eq!(token_balance(&f.chain, &payees[1]), math::owed(2_000, 2_500).unwrap());
}

#[test]
fn create_vault_refuses_a_mint_with_a_freeze_authority_or_a_close_authority() {
    let mut chain = Localnet::new();
    let authority = Keypair::new();
    chain.airdrop(&authority.pubkey(), 100 * SOL).unwrap();
    // A classic mint with a freeze authority.
    let frozen_mint = Keypair::new();
    let rent = chain.minimum_balance_for_rent_exemption(spl_token::state::Mint::LEN);
    let ixs = [
        solana_system_interface::instruction::create_account(
            &authority.pubkey(),
            &frozen_mint.pubkey(),
            rent,
            spl_token::state::Mint::LEN as u64,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_mint2(
            &spl_token::ID,
            &frozen_mint.pubkey(),
            &authority.pubkey(),
            Some(&authority.pubkey()),
            6,
        )
        .unwrap(),
    ];
    send(&mut chain, &authority, &ixs, &[&frozen_mint]).unwrap();
    let w = World {
        authority: authority.insecure_clone(),
        mint: frozen_mint.pubkey(),
        source: Pubkey::default(),
    };
    let source =
        testing::create_token_account(&mut chain, &authority, &w.mint, &authority.pubkey())
            .unwrap();
    testing::mint_to(&mut chain, &authority, &w.mint, &source, SMALL.cap).unwrap();
    let payee =
        testing::create_token_account(&mut chain, &authority, &w.mint, &Keypair::new().pubkey())
            .unwrap();
    let v = w.vault(1);
    let t = now(&chain);
    let ix = v.create_vault(
        &authority.pubkey(),
        &source,
        args(1, t, SMALL, recipients(&[payee], &[10_000])),
        &[payee],
    );
    refused(&mut chain, &authority, ix, EmissionsError::MintHasFreezeAuthority, &source, &v.vault);

    // A Token-2022 mint with a close authority.
    let mint = mint_2022(&mut chain, &authority, Some(&authority.pubkey()));
    let source = account_2022(&mut chain, &authority, &mint, &authority.pubkey());
    let mint_ix = spl_token_2022::instruction::mint_to(
        &spl_token_2022::ID,
        &mint,
        &source,
        &authority.pubkey(),
        &[],
        SMALL.cap,
    )
    .unwrap();
    send(&mut chain, &authority, &[mint_ix], &[]).unwrap();
    let payee = account_2022(&mut chain, &authority, &mint, &Keypair::new().pubkey());
    let v = vault_2022(&mint, 1);
    let ix = v.create_vault(
        &authority.pubkey(),
        &source,
        args(1, t, SMALL, recipients(&[payee], &[10_000])),
        &[payee],
    );
    refused(&mut chain, &authority, ix, EmissionsError::MintHasCloseAuthority, &source, &v.vault);
}

/// `ix` fails with `e`; `source` keeps its balance, `vault` does not exist, the payer paid only
/// the fee.
fn refused(
    chain: &mut Localnet,
    payer: &Keypair,
    ix: Instruction,
    e: EmissionsError,
    source: &Pubkey,
    vault: &Pubkey,
) {
    let (balance, lamports) = (token_balance(chain, source), chain.get_balance(&payer.pubkey()));
    let failure = send(chain, payer, &[ix], &[]).unwrap_err();
    assert_eq!(testing::custom_error(&failure), Some(code(e)), "{:#?}", failure.logs);
    assert_eq!(token_balance(chain, source), balance);
    assert!(chain.get_account(vault).is_none());
    assert!(lamports - chain.get_balance(&payer.pubkey()) <= 5_000, "at most the fee");
}

// --- rounding dust ---

#[test]
fn rounding_dust_is_held_while_the_set_is_unchanged_and_paid_to_the_last_when_it_is_settled() {
    let mut f = fx();
    let authority = f.authority();
    let payees = f.payees.clone();
    // One unit an hour over 40/40/20 %.
    let s = Schedule { initial_per_hour: 1, decay_bps: 0, period_hours: 1, cap: 100 };
    let shares = [4_000u16, 4_000, 2_000];
    let start = now(&f.chain);
    let v = f.w.create(&mut f.chain, args(1, start, s, recipients(&payees, &shares))).unwrap();
    // After 2 units: owed 0/0/0, all 2 held. After 3: owed 1/1/0, 1 held. The remainder
    // E − Σ_{i<n} floor(E · s_i) the last would take under "the last takes the remainder"
    // falls from 2 to 1: paying it per call would need −1 from the last at the second call.
    f.chain.warp(2 * HOUR);
    let e: Emitted = event(&f.send(v.emit(&payees)));
    assert_eq!((e.amount, e.undistributed, e.settled_dust), (2, 2, 0));
    assert_eq!(f.balances(&payees), vec![0, 0, 0]);
    f.chain.warp(HOUR);
    let e: Emitted = event(&f.send(v.emit(&payees)));
    assert_eq!((e.amount, e.undistributed, e.settled_dust), (1, 1, 0));
    assert_eq!(f.balances(&payees), vec![1, 1, 0]);
    assert_eq!(token_balance(&f.chain, &v.token_vault), 100 - 3 + 1, "97 unemitted + 1 held");
    assert_eq!(v.state(&f.chain).committed_balance().unwrap(), 98);
    // A fourth hour (owed 1/1/0, 2 held), settled by a change of recipients: the last gets 2.
    f.chain.warp(HOUR);
    let new = f.w.accounts(&mut f.chain, 3);
    let logs = f.send(v.update_recipients(&authority.pubkey(), &payees, recipients(&new, &shares)));
    let e: Emitted = event(&logs);
    assert_eq!((e.amount, e.settled_dust, e.undistributed), (1, 2, 0));
    assert_eq!(f.balances(&payees), vec![1, 1, 2]);
    assert_eq!(token_balance(&f.chain, &v.token_vault), 96);
    // The new set receives what the 48 hours of the proposal's delay emit; executing the
    // proposal settles its dust to its last recipient.
    let last = f.w.accounts(&mut f.chain, 2);
    f.send(v.propose_recipients(&authority.pubkey(), recipients(&last, &[5_000, 5_000])));
    f.chain.warp(DELAY_SECS);
    let (hours, total) = due_now(&f, &v, &s);
    let logs = f.send(v.execute(&f.chain, &authority.pubkey()));
    let e: Emitted = event(&logs);
    let d = math::dust(&shares, total - 4).unwrap();
    assert_eq!((e.to_hour, e.settled_dust), (hours, d));
    let mut owed = expected(&shares, total - 4, false);
    owed[2] += d;
    assert_eq!(f.balances(&new), owed);
    assert_eq!(f.balances(&new).iter().sum::<u64>(), total - 4, "every unit paid out");
    // The last set: 3 units over 50/50 % (owed 1/1, 1 held), settled by the revoke.
    f.chain.warp(3 * HOUR);
    let back = f.w.account_of(&mut f.chain, &authority.pubkey());
    let logs = f.send(v.revoke(&authority.pubkey(), &back, &last));
    let e: Emitted = event(&logs);
    assert_eq!((e.amount, e.settled_dust), (3, 1));
    assert_eq!(f.balances(&last), vec![1, 2]);
    let total = total + 3;
    assert_eq!(token_balance(&f.chain, &back), 100 - total);
    let paid: u64 =
        [payees.clone(), new, last].concat().iter().map(|a| token_balance(&f.chain, a)).sum();
    assert_eq!(paid, total);
}
