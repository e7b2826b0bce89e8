//! Wash trading against the work-rewards pool, in the cross-program simulation: a randomized
//! adversary that is both client and provider (its jobs are reserved for its own provider key)
//! trades with itself next to honest clients and providers, on two markets that record their
//! settlements in one pool paid by an emission vault. It picks its prices (edges included), when
//! it settles, when the emission and pool cranks run (or it runs them itself, bundled with its
//! settlements), and when it claims; it also tries to claim an hour before it is paid.
//!
//! Checked after every simulated hour, and at the end after a drain:
//! - the adversary never receives more work rewards than the tokens it burned, and its trading
//!   never gains: what it paid as client minus what it got back as provider and in work rewards
//!   is at least the fees it paid, so on a market with a fee wash trading strictly loses;
//! - its token accounts moved exactly as the events say (no hidden income);
//! - every claim is `floor(distributable × own burn / hour's burn)` and no hour pays more than
//!   `cap_bps` of its burn;
//! - the pool never owes more than it holds, and after the drain everything it received went to
//!   providers' claims or to the destination, to the unit.
//!
//! `WASH_SEED` (printed) and `WASH_CHAINS` (default 6, 36 hours each) control the run.

use crucible_program_tests as support;

use std::collections::BTreeMap;

use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use crucible_emissions::{
    error::EmissionsError,
    events::{WorkHourFinalized, WorkRewardClaimed},
    math::Schedule,
    work,
};
use crucible_localnet::{
    testing::{self, custom_error, send, token_balance, SOL},
    Localnet,
};
use crucible_market::{events::JobCompleted, MarketParams};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::{
    emissions::{self as em, recipients, token_vault_pda, vault_pda, Vault, HOUR},
    market::{default_params, job_pda, market_pda, Network, Party},
    work::{work_recorder_pda, WorkPoolFx},
    Rng,
};

const HOURS: u64 = 36;

fn event<T: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<T> {
    logs.iter()
        .filter_map(|l| l.strip_prefix("Program data: "))
        .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .filter_map(|d| {
            d.strip_prefix(T::DISCRIMINATOR).and_then(|mut r| T::deserialize(&mut r).ok())
        })
        .collect()
}

/// What the adversary did and got, from the events.
#[derive(Default, Debug)]
struct Books {
    jobs: u64,
    paid_as_client: u64,
    paid_to_provider: u64,
    burned: u64,
    fees: u64,
    rewards: u64,
}

struct Sim {
    chain: Localnet,
    net: Network,
    vault: Vault,
    work: WorkPoolFx,
    markets: Vec<(Pubkey, MarketParams)>,
    honest_clients: Vec<Party>,
    honest_providers: Vec<Party>,
    /// The adversary's two keys: it posts as `client`, works as `worker`.
    client: Party,
    worker: Party,
    cranker: Keypair,
    cap_bps: u16,
    nonce: u64,
    books: Books,
    /// The adversary's two token balances at the start.
    start: (u64, u64),
    /// Hours with burns, and the claims seen per hour.
    finalized: BTreeMap<u64, WorkHourFinalized>,
    claimed: BTreeMap<u64, u64>,
    rejected_early_claims: u64,
    bundles: u64,
    /// Prices go up to this (10 to 10 000 tokens, by chain).
    scale: u64,
}

impl Sim {
    fn new(rng: &mut Rng) -> Sim {
        let mut chain = Localnet::new();
        let net = Network::create(&mut chain);
        let admin = net.admin().insecure_clone();
        let mint = net.pool.mint;
        let cap_bps = match rng.below(3) {
            0 => 10_000,
            1 => 5_000,
            _ => 1 + rng.below(10_000) as u16,
        };
        let work = WorkPoolFx::new(mint, 1, 1, net.pool.reward_vault);
        let ix = work.create(&admin.pubkey(), cap_bps, work_recorder_pda());
        send(&mut chain, &admin, &[ix], &[]).expect("create_work_pool");
        let vault = Vault {
            mint,
            vault_id: 1,
            vault: vault_pda(&mint, 1),
            token_vault: token_vault_pda(&vault_pda(&mint, 1)),
            token_program: anchor_spl::token::spl_token::ID,
        };
        // 1 to 100 000 tokens an hour (so that some chains' hours pay more than their burn and
        // the cap binds, others less), a random share to work, a small decay.
        let rate = (1 + rng.below(100_000)) * em::TOKEN;
        let s =
            Schedule { initial_per_hour: rate, decay_bps: 50, period_hours: 6, cap: 10_000 * rate };
        testing::mint_to(&mut chain, &admin, &mint, &net.treasury, s.cap).unwrap();
        let share = 1_000 + rng.below(9_000) as u16;
        let payees = [net.pool.reward_vault, work.token_vault];
        let shares = [10_000 - share, share];
        let a = em::args(1, em::now(&chain), s, recipients(&payees, &shares));
        let ix = vault.create_vault(&admin.pubkey(), &net.treasury, a, &payees);
        send(&mut chain, &admin, &[ix], &[]).expect("create_vault");

        // Two markets recording in the pool: one with a fee, one without (the adversary's best
        // case: there wash trading can at most break even).
        let mut markets = Vec::new();
        for (id, fee_bps) in [(1u64, 100 + rng.below(1_000) as u16), (2, 0)] {
            let burn_bps = 1 + rng.below(5_000) as u16;
            let params = MarketParams { burn_bps, fee_bps, ..default_params() };
            let ix = net.create_market_with_work(&admin.pubkey(), id, params, work.pool);
            send(&mut chain, &admin, &[ix], &[]).expect("create_market");
            markets.push((market_pda(id), params));
        }
        let stake = 1_000_000 * em::TOKEN;
        let honest_clients =
            (0..2).map(|_| net.party(&mut chain, 1_000_000_000 * em::TOKEN)).collect();
        let honest_providers = (0..3).map(|_| net.provider(&mut chain, stake, 0)).collect();
        let client = net.party(&mut chain, 1_000_000_000 * em::TOKEN);
        let worker = net.provider(&mut chain, stake, 0);
        let cranker = Keypair::new();
        chain.airdrop(&cranker.pubkey(), 100 * SOL).unwrap();
        let start = (token_balance(&chain, &client.token), token_balance(&chain, &worker.token));
        Sim {
            chain,
            net,
            vault,
            work,
            markets,
            honest_clients,
            honest_providers,
            client,
            worker,
            cranker,
            cap_bps,
            nonce: 0,
            books: Books::default(),
            start,
            finalized: BTreeMap::new(),
            claimed: BTreeMap::new(),
            rejected_early_claims: 0,
            bundles: 0,
            scale: [10, 1_000, 10_000][rng.below(3) as usize] * em::TOKEN,
        }
    }

    /// A price at the edges now and then: one base unit, the minimum collateral, a large one;
    /// otherwise up to the chain's scale.
    fn price(&self, rng: &mut Rng) -> u64 {
        match rng.below(8) {
            0 => 1,
            1 => 100,
            2 => 100_000 * em::TOKEN,
            _ => 1 + rng.below(self.scale),
        }
    }

    /// A job posted by `client`, taken and submitted by `provider`; returns it.
    fn submitted(
        &mut self,
        client: &Party,
        provider: &Party,
        market: usize,
        price: u64,
        reserved: bool,
    ) -> Pubkey {
        self.nonce += 1;
        let (m, _) = self.markets[market];
        let c = client.key.pubkey();
        let target = reserved.then(|| provider.key.pubkey());
        let ix = self.net.create_job(&c, &client.token, &m, self.nonce, price, HOUR, target);
        send(&mut self.chain, &client.key, &[ix], &[]).expect("create_job");
        let job = job_pda(&m, &c, self.nonce);
        let p = provider.key.pubkey();
        let ixs = [self.net.accept_job(&p, &job, &m), self.net.submit_result(&p, &job)];
        send(&mut self.chain, &provider.key, &ixs, &[]).expect("accept and submit");
        job
    }

    fn complete_ix(
        &self,
        client: &Party,
        provider: &Party,
        market: usize,
        job: &Pubkey,
    ) -> Instruction {
        let (m, _) = self.markets[market];
        let (c, p) = (client.key.pubkey(), provider.key.pubkey());
        let ix = self.net.settle(&c, None, job, &m, &p, &provider.token);
        self.work.attach(&self.chain, ix, &p, &c)
    }

    fn emit_ix(&self) -> Instruction {
        self.vault.emit(&[self.net.pool.reward_vault, self.work.token_vault])
    }

    fn record(&mut self, logs: &[String], wash: bool) {
        for e in event::<JobCompleted>(logs) {
            if wash {
                self.books.jobs += 1;
                self.books.paid_as_client += e.price;
                self.books.paid_to_provider += e.paid;
                self.books.burned += e.burned;
                self.books.fees += e.fee;
            }
        }
        for e in event::<WorkHourFinalized>(logs) {
            self.finalized.insert(e.hour, e);
        }
        for e in event::<WorkRewardClaimed>(logs) {
            *self.claimed.entry(e.hour).or_default() += e.amount;
            let hour = self.finalized.get(&e.hour).expect("claimed hour was finalized");
            assert_eq!(
                e.amount,
                work::claim(hour.distributable, e.provider_burned, e.hour_burned).unwrap()
            );
            if e.provider == self.worker.key.pubkey() {
                self.books.rewards += e.amount;
            }
        }
    }

    /// Emits if anything is due (a no-op error otherwise is fine) and finalizes what it can.
    fn crank(&mut self) {
        let cranker = self.cranker.insecure_clone();
        let emit = self.emit_ix();
        let _ = send(&mut self.chain, &cranker, &[emit], &[]);
        loop {
            let ix = self.work.crank(&self.chain, 24);
            match send(&mut self.chain, &cranker, &[ix], &[]) {
                Ok(logs) => self.record(&logs, false),
                Err(f) => {
                    assert_eq!(custom_error(&f), Some(u32::from(EmissionsError::WorkPoolCaughtUp)));
                    break;
                }
            }
        }
    }

    /// Claims every finalized record of `provider`.
    fn claim_all(&mut self, provider: &Party) {
        let cursor = self.work.state(&self.chain).cursor_hours;
        for hour in self.finalized.keys().copied().filter(|h| *h < cursor).collect::<Vec<_>>() {
            let p = provider.key.pubkey();
            let Some(record) = self.work.work(&self.chain, &p, hour) else { continue };
            let ix = self.work.claim(
                &self.chain,
                &self.cranker.pubkey(),
                &p,
                &provider.token,
                hour,
                &record.rent_payer,
            );
            let cranker = self.cranker.insecure_clone();
            let logs = send(&mut self.chain, &cranker, &[ix], &[]).expect("claim_work_reward");
            self.record(&logs, false);
        }
    }

    fn hour(&mut self, rng: &mut Rng) {
        // Honest work.
        for _ in 0..rng.below(4) {
            let c = rng.below(2) as usize;
            let p = rng.below(3) as usize;
            let market = rng.below(2) as usize;
            let client = self.honest_clients[c].key.insecure_clone();
            let (cp, pp) = (
                Party { key: client.insecure_clone(), token: self.honest_clients[c].token },
                Party {
                    key: self.honest_providers[p].key.insecure_clone(),
                    token: self.honest_providers[p].token,
                },
            );
            let job = self.submitted(&cp, &pp, market, self.price(rng), false);
            let ix = self.complete_ix(&cp, &pp, market, &job);
            let logs = send(&mut self.chain, &client, &[ix], &[]).expect("honest complete_job");
            self.record(&logs, false);
        }
        // The adversary's wash trades, sometimes bundled with the cranks (and an early claim).
        let (client, worker) = (
            Party { key: self.client.key.insecure_clone(), token: self.client.token },
            Party { key: self.worker.key.insecure_clone(), token: self.worker.token },
        );
        for _ in 0..rng.below(5) {
            let market = rng.below(2) as usize;
            let job = self.submitted(&client, &worker, market, self.price(rng), true);
            let settle = self.complete_ix(&client, &worker, market, &job);
            let logs = match rng.below(3) {
                0 => {
                    // Settle, emit and crank in one transaction, then claim this very hour.
                    self.bundles += 1;
                    let v = self.vault.state(&self.chain);
                    let due = crucible_emissions::math::hours_due(v.start_ts, em::now(&self.chain));
                    let mut bundle = vec![settle];
                    if due > v.emitted_hours {
                        bundle.push(self.emit_ix());
                    }
                    // Four hours of the crank keep the bundle within a packet's 38 accounts.
                    if due > self.work.state(&self.chain).cursor_hours {
                        bundle.push(self.work.crank(&self.chain, 4));
                    }
                    let logs = send(&mut self.chain, &client.key, &bundle, &[]).expect("bundle");
                    let hour = self.work.current_hour(&self.chain);
                    let w = worker.key.pubkey();
                    if self.work.work(&self.chain, &w, hour).is_some() {
                        let claim = self.work.claim(
                            &self.chain,
                            &client.key.pubkey(),
                            &w,
                            &worker.token,
                            hour,
                            &client.key.pubkey(),
                        );
                        let before = token_balance(&self.chain, &worker.token);
                        let f = send(&mut self.chain, &client.key, &[claim], &[])
                            .expect_err("an hour is never paid before it ends");
                        let code = u32::from(EmissionsError::WorkHourNotFinalized);
                        assert_eq!(custom_error(&f), Some(code), "{:#?}", f.logs);
                        assert_eq!(token_balance(&self.chain, &worker.token), before);
                        self.rejected_early_claims += 1;
                    }
                    logs
                }
                _ => send(&mut self.chain, &client.key, &[settle], &[]).expect("complete_job"),
            };
            self.record(&logs, true);
        }
        // Cranks and claims at random moments; the clock moves by up to two hours.
        if rng.below(2) == 0 {
            self.crank();
        }
        if rng.below(2) == 0 {
            self.claim_all(&worker);
        }
        if rng.below(4) == 0 {
            let p = rng.below(3) as usize;
            let honest = Party {
                key: self.honest_providers[p].key.insecure_clone(),
                token: self.honest_providers[p].token,
            };
            self.claim_all(&honest);
        }
        self.chain.warp(HOUR / 2 + rng.below(3 * HOUR / 2));
        self.check();
    }

    fn check(&self) {
        let b = &self.books;
        // Never more work rewards than the burn, and never a gain from trading with itself.
        assert!(b.rewards <= b.burned, "{b:?}");
        let back = b.paid_to_provider + b.rewards;
        assert!(back + b.fees <= b.paid_as_client, "{b:?}");
        if b.fees > 0 {
            assert!(back < b.paid_as_client, "{b:?}");
        }
        // Its accounts moved exactly as the events say.
        let client_now = token_balance(&self.chain, &self.client.token);
        let worker_now = token_balance(&self.chain, &self.worker.token);
        assert_eq!(self.start.0 - client_now, b.paid_as_client);
        assert_eq!(worker_now - self.start.1, b.paid_to_provider + b.rewards);
        // No hour pays more than the cap of its burn; the pool never owes more than it holds.
        for (hour, paid) in &self.claimed {
            let f = &self.finalized[hour];
            assert!(*paid <= f.distributable);
            assert!(
                u128::from(f.distributable) * 10_000
                    <= u128::from(f.burned) * u128::from(self.cap_bps)
            );
        }
        let pool = self.work.state(&self.chain);
        assert!(
            token_balance(&self.chain, &self.work.token_vault)
                >= pool.reserved + pool.owed_to_destination
        );
        assert!(
            pool.total_claimed
                + pool.total_to_destination
                + pool.owed_to_destination
                + pool.reserved
                <= pool.total_received
        );
    }

    /// Every hour finalized and every record claimed: everything the pool received went to
    /// claims or to the destination.
    fn drain(&mut self) {
        self.chain.warp(2 * HOUR);
        self.crank();
        let worker = Party { key: self.worker.key.insecure_clone(), token: self.worker.token };
        self.claim_all(&worker);
        for p in 0..3 {
            let honest = Party {
                key: self.honest_providers[p].key.insecure_clone(),
                token: self.honest_providers[p].token,
            };
            self.claim_all(&honest);
        }
        // The hours' dust is owed to the destination: one more crank pays it.
        let pool = self.work.state(&self.chain);
        if pool.owed_to_destination > 0 {
            let ix = self.work.crank(&self.chain, 0);
            let cranker = self.cranker.insecure_clone();
            send(&mut self.chain, &cranker, &[ix], &[]).expect("pay the destination");
        }
        self.check();
        let pool = self.work.state(&self.chain);
        assert_eq!(pool.reserved, 0);
        assert_eq!(pool.owed_to_destination, 0);
        assert_eq!(pool.total_claimed + pool.total_to_destination, pool.total_received);
        assert_eq!(token_balance(&self.chain, &self.work.token_vault), 0);
        // What the pool received is what the vault paid it.
        let v = self.vault.state(&self.chain);
        let pool_share = v.recipients[1].share_bps;
        assert_eq!(
            pool.total_received,
            crucible_emissions::math::owed(v.total_emitted, pool_share).unwrap()
        );
    }
}

#[test]
fn wash_trading_never_pays_next_to_honest_providers() {
    let seed = std::env::var("WASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x0A5_u64);
    let chains: u64 = std::env::var("WASH_CHAINS").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    println!("wash trading: seed {seed}, {chains} chains of {HOURS} hours (replay with WASH_SEED={seed})");
    let mut totals = Books::default();
    let (mut bundles, mut hours, mut early, mut binding) = (0, 0, 0, 0);
    for c in 0..chains {
        let mut rng = Rng(seed ^ (c.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        let mut sim = Sim::new(&mut rng);
        for _ in 0..HOURS {
            sim.hour(&mut rng);
        }
        sim.drain();
        let b = &sim.books;
        println!(
            "wash trading: chain {c} (cap {} bps): {} wash jobs, paid {} as client, got back {} + {} in work rewards for {} burned, {} in fees",
            sim.cap_bps, b.jobs, b.paid_as_client, b.paid_to_provider, b.rewards, b.burned, b.fees
        );
        totals.jobs += b.jobs;
        totals.rewards += b.rewards;
        totals.burned += b.burned;
        bundles += sim.bundles;
        hours += sim.finalized.len();
        binding += sim.finalized.values().filter(|f| f.cap_binding).count();
        early += sim.rejected_early_claims;
    }
    assert!(
        totals.jobs > 0 && totals.rewards > 0,
        "the adversary traded and was paid work rewards"
    );
    println!(
        "wash trading: {} wash jobs, {} hours with work ({binding} where the cap bound), {bundles} settlements bundled with the cranks, {early} claims of an unpaid hour refused; rewards {} <= burned {}",
        totals.jobs, hours, totals.rewards, totals.burned
    );
}
