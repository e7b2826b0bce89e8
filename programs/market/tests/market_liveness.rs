//! Liveness of a client's payment, attacked in the in-process chain: a provider bundling
//! quit_job + accept_job in one transaction before each deadline, providers taking turns, a
//! provider quitting at the last moment to dodge the expiry slash. Every attack is performed;
//! every rejection asserts the exact error (and the instruction that raised it) and that no
//! token or lamport moved; the client ends whole, with exact balances.

use crucible_program_tests as support;

use crucible_localnet::{
    testing::{self, mint_supply, send, token_balance},
    Localnet, TxFailure,
};
use crucible_market::{
    error::MarketError,
    state::{Job, JobState},
    MarketParams,
};
use solana_instruction::{error::InstructionError, Instruction};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction_error::TransactionError;
use support::market::{default_params, escrow_pda, job_pda, Network, Party};

const PRICE: u64 = 10_000;
/// Collateral of a `PRICE` job (50 %) and its expiry slash (10 % of it).
const COLLATERAL: u64 = 5_000;
const SLASH: u64 = 500;
const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;
const FEE: u64 = 5_000;

struct World {
    chain: Localnet,
    net: Network,
    market: Pubkey,
    client: Party,
    providers: Vec<Party>,
    cranker: Keypair,
}

fn world_with(params: MarketParams, providers: usize) -> World {
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let market = net.create_market(&mut chain, 1, params).unwrap();
    let client = net.party(&mut chain, 100_000);
    let providers = (0..providers).map(|_| net.provider(&mut chain, 50_000, 0)).collect();
    let cranker = Keypair::new();
    chain.airdrop(&cranker.pubkey(), 1_000_000_000).unwrap();
    World { chain, net, market, client, providers, cranker }
}

fn world(providers: usize) -> World {
    world_with(default_params(), providers)
}

/// Every balance an attack could move: tokens, supply, and lamports of every party.
#[derive(Debug, PartialEq, Eq, Clone)]
struct Snapshot {
    tokens: Vec<u64>,
    lamports: Vec<u64>,
    supply: u64,
    job: Option<Vec<u8>>,
}

impl World {
    fn key(&self, i: usize) -> Keypair {
        self.providers[i].key.insecure_clone()
    }

    fn post(&mut self, nonce: u64, duration: u64) -> Pubkey {
        let ix = self.net.create_job(
            &self.client.key.pubkey(),
            &self.client.token,
            &self.market,
            nonce,
            PRICE,
            duration,
            None,
        );
        send(&mut self.chain, &self.client.key, &[ix], &[]).unwrap();
        job_pda(&self.market, &self.client.key.pubkey(), nonce)
    }

    fn accept_ix(&self, i: usize, job: &Pubkey) -> Instruction {
        self.net.accept_job(&self.providers[i].key.pubkey(), job, &self.market)
    }

    fn quit_ix(&self, i: usize, job: &Pubkey) -> Instruction {
        self.net.quit_job(&self.providers[i].key.pubkey(), job, &self.market, &self.client.token)
    }

    fn accept(&mut self, i: usize, job: &Pubkey) {
        let (ix, key) = (self.accept_ix(i, job), self.key(i));
        send(&mut self.chain, &key, &[ix], &[]).unwrap();
    }

    fn job(&self, job: &Pubkey) -> Job {
        self.net.job(&self.chain, job).expect("job exists")
    }

    fn now(&self) -> i64 {
        self.chain.clock().unix_timestamp
    }

    /// Warps the clock to `t` (which must not be in the past).
    fn warp_to(&mut self, t: i64) {
        let now = self.now();
        assert!(t >= now, "cannot warp back from {now} to {t}");
        self.chain.warp(u64::try_from(t - now).unwrap());
    }

    fn snapshot(&self, job: &Pubkey) -> Snapshot {
        let mut tokens = vec![
            token_balance(&self.chain, &self.client.token),
            token_balance(&self.chain, &self.net.pool.stake_vault),
            token_balance(&self.chain, &self.net.fee_vault),
            token_balance(&self.chain, &escrow_pda(job)),
        ];
        tokens.extend(self.providers.iter().map(|p| token_balance(&self.chain, &p.token)));
        let lamports = self.lamport_keys().iter().map(|k| self.chain.get_balance(k)).collect();
        let mut stakes: Vec<u64> = self
            .providers
            .iter()
            .flat_map(|p| {
                let s = self.net.pool.stake_of(&self.chain, &p.key.pubkey()).unwrap();
                [s.active, s.locked, s.slashed_total, s.jobs_failed]
            })
            .collect();
        tokens.append(&mut stakes);
        Snapshot {
            tokens,
            lamports,
            supply: mint_supply(&self.chain, &self.net.pool.mint),
            job: self.chain.get_account(job).map(|a| a.data),
        }
    }

    /// Sends `ixs` in one transaction signed by `payer`; it must fail in instruction `index`
    /// with `e`, and nothing may move (tokens, stakes, the job's bytes, lamports) but the
    /// transaction fee the payer is charged.
    fn rejects(&mut self, payer: &Keypair, ixs: &[Instruction], index: u8, e: MarketError) {
        self.rejects_signed(payer, ixs, &[], index, e);
    }

    fn rejects_signed(
        &mut self,
        payer: &Keypair,
        ixs: &[Instruction],
        signers: &[&Keypair],
        index: u8,
        e: MarketError,
    ) {
        let job = ixs[0].accounts[2].pubkey;
        let mut before = self.snapshot(&job);
        let payer_before = self.chain.get_balance(&payer.pubkey());
        let failure = send(&mut self.chain, payer, ixs, signers).expect_err("must fail");
        assert_failed_with(&failure, index, e);
        let fee = FEE * (1 + signers.len() as u64);
        assert_eq!(self.chain.get_balance(&payer.pubkey()), payer_before - fee, "only the fee");
        // The payer's lamports moved by the fee alone; everything else not at all.
        let after = self.snapshot(&job);
        let payer_index = self.lamport_keys().iter().position(|k| *k == payer.pubkey());
        if let Some(i) = payer_index {
            before.lamports[i] -= fee;
        }
        assert_eq!(before, after, "something moved on a rejected {e:?}");
    }

    fn lamport_keys(&self) -> Vec<Pubkey> {
        let mut keys = vec![self.client.key.pubkey(), self.cranker.pubkey()];
        keys.extend(self.providers.iter().map(|p| p.key.pubkey()));
        keys
    }

    fn stake(&self, i: usize) -> crucible_staking::state::ProviderStake {
        self.net.pool.stake_of(&self.chain, &self.providers[i].key.pubkey()).unwrap()
    }

    fn reclaim(&mut self, job: &Pubkey, provider: usize) {
        let ix = self.net.reclaim_expired(
            &self.cranker.pubkey(),
            &self.client.key.pubkey(),
            &self.client.token,
            job,
            &self.market,
            &self.providers[provider].key.pubkey(),
        );
        let cranker = self.cranker.insecure_clone();
        send(&mut self.chain, &cranker, &[ix], &[]).unwrap();
    }
}

fn assert_failed_with(failure: &TxFailure, index: u8, e: MarketError) {
    assert_eq!(
        failure.err,
        TransactionError::InstructionError(index, InstructionError::Custom(u32::from(e))),
        "expected {e:?} in instruction {index}: {:#?}",
        failure.logs
    );
}

#[test]
fn a_provider_cannot_bundle_quit_and_reaccept_to_keep_a_job_forever() {
    let mut w = world(1);
    let client_tokens = token_balance(&w.chain, &w.client.token);
    let client_lamports = w.chain.get_balance(&w.client.key.pubkey());
    let job = w.post(1, HOUR);
    w.accept(0, &job);
    let accepted = w.job(&job);
    assert!(accepted.deadline <= accepted.lifetime_ends_at);
    let provider = w.key(0);
    // Five tries of quit + accept in one transaction, the last a second before the deadline:
    // the re-accept is refused every time, so the deadline never moves.
    for k in 1..=5i64 {
        let t = if k == 5 { accepted.deadline - 1 } else { accepted.accepted_at + k * 600 };
        w.warp_to(t);
        let bundle = [w.quit_ix(0, &job), w.accept_ix(0, &job)];
        w.rejects(&provider, &bundle, 1, MarketError::AlreadyQuit);
        let j = w.job(&job);
        assert_eq!(
            (j.state, j.deadline, j.quitter_count),
            (JobState::Running, accepted.deadline, 0)
        );
    }
    // The deadline passes: anyone returns the payment to the client, with the expiry slash.
    w.warp_to(accepted.deadline + 1);
    w.reclaim(&job, 0);
    assert!(
        w.chain.get_account(&job).is_none() && w.chain.get_account(&escrow_pda(&job)).is_none()
    );
    assert_eq!(token_balance(&w.chain, &w.client.token), client_tokens + SLASH);
    // All rent came back: the client paid only its one transaction fee.
    assert_eq!(w.chain.get_balance(&w.client.key.pubkey()), client_lamports - FEE);
    let s = w.stake(0);
    assert_eq!((s.active, s.locked, s.slashed_total, s.jobs_failed), (50_000 - SLASH, 0, SLASH, 1));
}

#[test]
fn a_quit_then_a_reaccept_in_two_transactions_is_refused_too() {
    let mut w = world(1);
    let job = w.post(1, HOUR);
    w.accept(0, &job);
    let provider = w.key(0);
    let ix = w.quit_ix(0, &job);
    send(&mut w.chain, &provider, &[ix], &[]).unwrap();
    let j = w.job(&job);
    assert_eq!((j.state, j.quitter_count, j.quitters[0]), (JobState::Open, 1, provider.pubkey()));
    w.rejects(&provider, &[w.accept_ix(0, &job)], 0, MarketError::AlreadyQuit);
    // Nobody holds it: the client takes everything back.
    let before = token_balance(&w.chain, &w.client.token);
    let client = w.client.key.insecure_clone();
    let ix = w.net.cancel_job(&client.pubkey(), &w.client.token, &job, &w.market);
    send(&mut w.chain, &client, &[ix], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.client.token), before + PRICE);
}

#[test]
fn providers_taking_turns_run_out_of_turns_and_the_client_recovers() {
    let mut w = world(6);
    let client_tokens = token_balance(&w.chain, &w.client.token);
    let job = w.post(1, HOUR);
    w.accept(0, &job);
    // A hands the job to B in one transaction (within A's grace: free).
    let a = w.key(0);
    let b = w.key(1);
    let ixs = [w.quit_ix(0, &job), w.accept_ix(1, &job)];
    send(&mut w.chain, &a, &ixs, &[&b]).unwrap();
    let j = w.job(&job);
    assert_eq!((j.provider, j.quitter_count), (b.pubkey(), 1));
    assert_eq!((w.stake(0).locked, w.stake(1).locked), (0, COLLATERAL));
    // B hands it back to A: refused, A quit this job.
    let ixs = [w.quit_ix(1, &job), w.accept_ix(0, &job)];
    w.rejects_signed(&b, &ixs, &[&a], 1, MarketError::AlreadyQuit);
    // B → C → D → E: four quitters, the list is full.
    for (from, to) in [(1, 2), (2, 3), (3, 4)] {
        let (kf, kt) = (w.key(from), w.key(to));
        let ixs = [w.quit_ix(from, &job), w.accept_ix(to, &job)];
        send(&mut w.chain, &kf, &ixs, &[&kt]).unwrap();
    }
    let j = w.job(&job);
    let keys: Vec<Pubkey> = (0..4).map(|i| w.providers[i].key.pubkey()).collect();
    assert_eq!((j.quitter_count, j.quitters.to_vec()), (4, keys));
    // E may not quit: it submits or lets the job expire.
    let (e, f) = (w.key(4), w.key(5));
    let ixs = [w.quit_ix(4, &job), w.accept_ix(5, &job)];
    w.rejects_signed(&e, &ixs, &[&f], 0, MarketError::QuitLimitReached);
    w.rejects(&e, &[w.quit_ix(4, &job)], 0, MarketError::QuitLimitReached);
    // Every quit was free (within the grace); E lets the job expire and pays the slash.
    for i in 0..4 {
        let s = w.stake(i);
        assert_eq!((s.active, s.locked, s.jobs_failed), (50_000, 0, 0));
    }
    let deadline = w.job(&job).deadline;
    w.warp_to(deadline + 1);
    w.reclaim(&job, 4);
    assert_eq!(token_balance(&w.chain, &w.client.token), client_tokens + SLASH);
    assert_eq!(w.stake(4).slashed_total, SLASH);
}

/// A market where a job of one day lives two: the lifetime bound is what stops the rotation.
fn short_lived() -> MarketParams {
    MarketParams {
        max_duration_secs: DAY,
        job_lifetime_secs: 2 * DAY,
        quit_grace_secs: HOUR,
        ..default_params()
    }
}

#[test]
fn the_lifetime_bound_stops_colluding_providers_and_the_client_recovers_at_the_bound() {
    let mut w = world_with(short_lived(), 3);
    let client_tokens = token_balance(&w.chain, &w.client.token);
    let job = w.post(1, DAY);
    let created = w.job(&job);
    assert_eq!(created.lifetime_ends_at, created.created_at + 2 * DAY as i64);
    w.accept(0, &job);
    // Just before A's deadline, A hands the job to B (a late quit: A pays the expiry slash).
    w.warp_to(created.created_at + DAY as i64 - 10);
    let (a, b, c) = (w.key(0), w.key(1), w.key(2));
    let ixs = [w.quit_ix(0, &job), w.accept_ix(1, &job)];
    send(&mut w.chain, &a, &ixs, &[&b]).unwrap();
    let j = w.job(&job);
    assert!(j.deadline <= j.lifetime_ends_at);
    assert_eq!(token_balance(&w.chain, &w.client.token), client_tokens - PRICE + SLASH);
    // Just before B's deadline, B tries to hand it to C: C's deadline would pass the bound.
    w.warp_to(j.deadline - 10);
    let ixs = [w.quit_ix(1, &job), w.accept_ix(2, &job)];
    w.rejects_signed(&b, &ixs, &[&c], 1, MarketError::LifetimeExceeded);
    // B holds on; the bound comes and the client takes everything back.
    w.warp_to(j.lifetime_ends_at);
    w.rejects(&c, &[w.accept_ix(2, &job)], 0, MarketError::JobNotOpen);
    w.warp_to(j.lifetime_ends_at + 1);
    w.reclaim(&job, 1);
    assert_eq!(token_balance(&w.chain, &w.client.token), client_tokens + 2 * SLASH);
    assert!(w.chain.get_account(&job).is_none());
    for (i, (failed, slashed)) in [(1, SLASH), (1, SLASH), (0, 0)].into_iter().enumerate() {
        let s = w.stake(i);
        assert_eq!(
            (s.locked, s.jobs_failed, s.slashed_total),
            (0, failed, slashed),
            "provider {i}"
        );
    }
}

#[test]
fn near_the_bound_nobody_can_accept_and_the_client_cancels() {
    let mut w = world_with(short_lived(), 2);
    let client_tokens = token_balance(&w.chain, &w.client.token);
    let job = w.post(1, DAY);
    let created = w.job(&job);
    // Accepted late: the deadline lands exactly on the bound, which is allowed.
    w.warp_to(created.lifetime_ends_at - DAY as i64);
    w.accept(0, &job);
    assert_eq!(w.job(&job).deadline, created.lifetime_ends_at);
    // A quits (free, within its grace); a second later B's deadline would pass the bound.
    let a = w.key(0);
    let ix = w.quit_ix(0, &job);
    send(&mut w.chain, &a, &[ix], &[]).unwrap();
    w.chain.warp(1);
    let b = w.key(1);
    w.rejects(&b, &[w.accept_ix(1, &job)], 0, MarketError::LifetimeExceeded);
    // Past the bound, still nobody; the client cancels and is whole.
    w.warp_to(created.lifetime_ends_at + 1);
    w.rejects(&b, &[w.accept_ix(1, &job)], 0, MarketError::LifetimeExceeded);
    let client = w.client.key.insecure_clone();
    let ix = w.net.cancel_job(&client.pubkey(), &w.client.token, &job, &w.market);
    send(&mut w.chain, &client, &[ix], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.client.token), client_tokens);
}

#[test]
fn a_quit_after_the_grace_window_costs_the_expiry_slash() {
    let mut w = world(1);
    let job = w.post(1, HOUR);
    w.accept(0, &job);
    let accepted = w.job(&job);
    assert_eq!(accepted.quit_grace_secs, 600);
    w.warp_to(accepted.accepted_at + 601);
    let before = w.snapshot(&job);
    let provider_lamports = w.chain.get_balance(&w.providers[0].key.pubkey());
    let provider = w.key(0);
    let ix = w.quit_ix(0, &job);
    let logs = send(&mut w.chain, &provider, &[ix], &[]).unwrap();
    // 10 % of the 5 000 collateral to the client, from the stake vault; 4 500 unlocked.
    assert_eq!(token_balance(&w.chain, &w.client.token), before.tokens[0] + SLASH);
    assert_eq!(token_balance(&w.chain, &w.net.pool.stake_vault), before.tokens[1] - SLASH);
    assert_eq!(token_balance(&w.chain, &escrow_pda(&job)), PRICE, "the price stays in escrow");
    assert_eq!(mint_supply(&w.chain, &w.net.pool.mint), before.supply);
    assert_eq!(w.chain.get_balance(&provider.pubkey()), provider_lamports - FEE);
    let s = w.stake(0);
    assert_eq!(
        (s.active, s.locked, s.slashed_total, s.jobs_failed, s.jobs_completed),
        (50_000 - SLASH, 0, SLASH, 1, 0)
    );
    let j = w.job(&job);
    assert_eq!((j.state, j.provider, j.quitter_count), (JobState::Open, Pubkey::default(), 1));
    let quit = quit_event(&logs);
    assert_eq!((quit.collateral, quit.slashed, quit.quitter_count), (COLLATERAL - SLASH, SLASH, 1));
}

#[test]
fn a_quit_within_the_grace_window_is_free_up_to_its_last_second() {
    let mut w = world(1);
    let job = w.post(1, HOUR);
    w.accept(0, &job);
    let accepted = w.job(&job);
    w.warp_to(accepted.accepted_at + 600);
    let before = w.snapshot(&job);
    let provider = w.key(0);
    let ix = w.quit_ix(0, &job);
    let logs = send(&mut w.chain, &provider, &[ix], &[]).unwrap();
    let after = w.snapshot(&job);
    assert_eq!(after.tokens[..4], before.tokens[..4], "no token moved");
    assert_eq!(after.supply, before.supply);
    let s = w.stake(0);
    assert_eq!((s.active, s.locked, s.slashed_total, s.jobs_failed), (50_000, 0, 0, 0));
    let quit = quit_event(&logs);
    assert_eq!((quit.collateral, quit.slashed), (COLLATERAL, 0));
}

#[test]
fn the_free_window_is_at_most_half_the_job_so_a_quit_at_the_deadline_always_pays() {
    // A 10-minute job: the market's 10-minute grace is capped at 5 minutes.
    let mut w = world(1);
    let client_tokens = token_balance(&w.chain, &w.client.token);
    let job = w.post(1, 600);
    assert_eq!(w.job(&job).quit_grace_secs, 300);
    w.accept(0, &job);
    let deadline = w.job(&job).deadline;
    w.warp_to(deadline);
    let provider = w.key(0);
    let ix = w.quit_ix(0, &job);
    send(&mut w.chain, &provider, &[ix], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.client.token), client_tokens - PRICE + SLASH);
    assert_eq!(w.stake(0).slashed_total, SLASH);
}

#[test]
fn quit_checks_the_signer_the_clients_account_and_the_state() {
    let mut w = world(2);
    let job = w.post(1, HOUR);
    let (a, b) = (w.key(0), w.key(1));
    w.rejects(&a, &[w.quit_ix(0, &job)], 0, MarketError::NotJobProvider);
    w.accept(0, &job);
    // Not the job's provider.
    w.rejects(&b, &[w.quit_ix(1, &job)], 0, MarketError::NotJobProvider);
    // A late quit's slash must go to the client: the provider's own account is refused.
    let accepted = w.job(&job);
    w.warp_to(accepted.accepted_at + 601);
    let own = w.providers[0].token;
    let ix = w.net.quit_job(&a.pubkey(), &job, &w.market, &own);
    w.rejects(&a, &[ix], 0, MarketError::WrongClientAccount);
    // The client closed its account: the provider makes a new one for the client and quits.
    let client = w.client.key.insecure_clone();
    let drain = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::spl_token::ID,
        &w.client.token,
        &w.providers[1].token,
        &client.pubkey(),
        &[],
        token_balance(&w.chain, &w.client.token),
    )
    .unwrap();
    let close = anchor_spl::token::spl_token::instruction::close_account(
        &anchor_spl::token::spl_token::ID,
        &w.client.token,
        &client.pubkey(),
        &client.pubkey(),
        &[],
    )
    .unwrap();
    send(&mut w.chain, &client, &[drain, close], &[]).unwrap();
    let fresh = testing::create_token_account(&mut w.chain, &a, &w.net.pool.mint, &client.pubkey())
        .unwrap();
    send(&mut w.chain, &a, &[w.net.quit_job(&a.pubkey(), &job, &w.market, &fresh)], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &fresh), SLASH);
    // Open again: quitting needs a running job.
    w.rejects(
        &a,
        &[w.net.quit_job(&a.pubkey(), &job, &w.market, &fresh)],
        0,
        MarketError::NotJobProvider,
    );
}

#[test]
fn the_lifetime_and_the_grace_are_bounded() {
    let mut w = world(0);
    let admin = w.net.admin().insecure_clone();
    let bad = |f: &dyn Fn(&mut MarketParams)| {
        let mut p = default_params();
        f(&mut p);
        p
    };
    for (params, e) in [
        (bad(&|p| p.job_lifetime_secs = p.max_duration_secs - 1), MarketError::InvalidJobLifetime),
        (bad(&|p| p.job_lifetime_secs = 120 * DAY + 1), MarketError::InvalidJobLifetime),
        (bad(&|p| p.quit_grace_secs = DAY + 1), MarketError::InvalidQuitGrace),
        (
            bad(&|p| {
                p.max_duration_secs = HOUR;
                p.quit_grace_secs = HOUR + 1;
            }),
            MarketError::InvalidQuitGrace,
        ),
    ] {
        let ix = w.net.create_market_ix(&admin.pubkey(), 9, "bad", admin.pubkey(), params);
        let before = w.chain.get_balance(&admin.pubkey());
        let failure = send(&mut w.chain, &admin, &[ix], &[]).unwrap_err();
        assert_failed_with(&failure, 0, e);
        assert_eq!(w.chain.get_balance(&admin.pubkey()), before - FEE, "no rent was taken");
        assert!(w.chain.get_account(&support::market::market_pda(9)).is_none());
        let market = w.market;
        let ix = w.net.update_market(&admin.pubkey(), &market, params, admin.pubkey());
        let failure = send(&mut w.chain, &admin, &[ix], &[]).unwrap_err();
        assert_failed_with(&failure, 0, e);
    }
    // The edges are accepted: lifetime = max duration and 120 days, grace 0 and one day.
    for (i, params) in [
        bad(&|p| p.job_lifetime_secs = p.max_duration_secs),
        bad(&|p| p.job_lifetime_secs = 120 * DAY),
        bad(&|p| p.quit_grace_secs = 0),
        bad(&|p| p.quit_grace_secs = DAY),
    ]
    .into_iter()
    .enumerate()
    {
        let ix =
            w.net.create_market_ix(&admin.pubkey(), 10 + i as u64, "edge", admin.pubkey(), params);
        send(&mut w.chain, &admin, &[ix], &[]).unwrap();
    }
    // A job keeps the lifetime and grace it was created with.
    w.providers.push(w.net.provider(&mut w.chain, 50_000, 0));
    let job = w.post(1, HOUR);
    let market = w.market;
    let changed = bad(&|p| {
        p.job_lifetime_secs = 30 * DAY;
        p.quit_grace_secs = 0;
    });
    send(
        &mut w.chain,
        &admin,
        &[w.net.update_market(&admin.pubkey(), &market, changed, admin.pubkey())],
        &[],
    )
    .unwrap();
    let j = w.job(&job);
    assert_eq!((j.lifetime_ends_at - j.created_at, j.quit_grace_secs), (14 * DAY as i64, 600));
}

fn quit_event(logs: &[String]) -> crucible_market::events::JobQuit {
    use anchor_lang::{AnchorDeserialize, Discriminator};
    use base64::Engine;
    logs.iter()
        .filter_map(|l| l.strip_prefix("Program data: "))
        .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .find_map(|d| {
            d.strip_prefix(crucible_market::events::JobQuit::DISCRIMINATOR)
                .and_then(|mut rest| crucible_market::events::JobQuit::deserialize(&mut rest).ok())
        })
        .expect("a JobQuit event")
}
