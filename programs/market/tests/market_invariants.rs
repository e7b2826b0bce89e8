//! Randomized job lifecycles in the in-process chain, with the market invariants of DESIGN.md
//! checked after every step.
//!
//! 200 lifecycles by default (`MARKET_LIFECYCLES`; seed `MARKET_SEED`, printed) over two
//! markets, three clients and three providers, each taking a random path (complete, finalize,
//! cancel, quit and re-accept, dispute resolved with a random split and slash, dispute left to
//! the default split, expiry), with random prices, durations and clock moves, and random
//! invalid calls in between (wrong signer, wrong state, too early). After every step:
//! - per job: price = paid + burned + fee + refunded + still escrowed (from the job's events);
//! - mint supply moved only by the burned and burn-slashed amounts; the fee vault by the fees;
//! - staking: stake vault = Σ active + Σ unbonding, locked ≤ active, and Σ locked = the
//!   collateral of the jobs that hold it;
//! - a failed transaction changed nothing.

use crucible_program_tests as support;

use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use crucible_localnet::{
    testing::{mint_supply, send, token_balance},
    Localnet,
};
use crucible_market::{
    events::{DisputeResolved, JobCancelled, JobCompleted, JobCreated, JobExpired},
    state::JobState,
    ResolveDisputeArgs,
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::collections::BTreeMap;
use support::market::{default_params, escrow_pda, job_pda, Network, Party};

use support::Rng;

/// What one job's events say moved.
#[derive(Default, Debug, Clone, Copy)]
struct Flows {
    price: u64,
    paid: u64,
    burned: u64,
    fee: u64,
    refunded: u64,
}

#[derive(Default)]
struct Ledger {
    jobs: BTreeMap<Pubkey, Flows>,
    burned: u64,
    slash_burned: u64,
    fees: u64,
}

fn event<T: AnchorDeserialize + Discriminator>(data: &[u8]) -> Option<T> {
    data.strip_prefix(T::DISCRIMINATOR).and_then(|mut rest| T::deserialize(&mut rest).ok())
}

impl Ledger {
    fn record(&mut self, logs: &[String]) {
        for line in logs {
            let Some(b64) = line.strip_prefix("Program data: ") else { continue };
            let Ok(data) = base64::engine::general_purpose::STANDARD.decode(b64) else { continue };
            if let Some(e) = event::<JobCreated>(&data) {
                self.jobs.insert(e.job, Flows { price: e.price, ..Flows::default() });
            } else if let Some(e) = event::<JobCompleted>(&data) {
                let f = self.jobs.get_mut(&e.job).expect("known job");
                (f.paid, f.burned, f.fee) = (f.paid + e.paid, f.burned + e.burned, f.fee + e.fee);
                self.burned += e.burned;
                self.fees += e.fee;
            } else if let Some(e) = event::<DisputeResolved>(&data) {
                let f = self.jobs.get_mut(&e.job).expect("known job");
                (f.paid, f.burned, f.fee, f.refunded) =
                    (f.paid + e.paid, f.burned + e.burned, f.fee + e.fee, f.refunded + e.refunded);
                self.burned += e.burned;
                self.fees += e.fee;
                if e.slash_burned {
                    self.slash_burned += e.slashed;
                }
            } else if let Some(e) = event::<JobCancelled>(&data) {
                self.jobs.get_mut(&e.job).expect("known job").refunded += e.refunded;
            } else if let Some(e) = event::<JobExpired>(&data) {
                self.jobs.get_mut(&e.job).expect("known job").refunded += e.refunded;
            }
        }
    }
}

struct Sim {
    chain: Localnet,
    net: Network,
    markets: [Pubkey; 2],
    clients: Vec<Party>,
    providers: Vec<Party>,
    cranker: Keypair,
    ledger: Ledger,
    supply0: u64,
    fee_vault0: u64,
    steps: usize,
    rejected: usize,
}

impl Sim {
    fn new() -> Sim {
        let mut chain = Localnet::new();
        let net = Network::create(&mut chain);
        let m1 = net.create_market(&mut chain, 1, default_params()).unwrap();
        let mut p2 = default_params();
        (p2.burn_bps, p2.fee_bps, p2.collateral_bps, p2.expiry_slash_bps) =
            (3_333, 777, 10_000, 10_000);
        let m2 = net.create_market(&mut chain, 2, p2).unwrap();
        let clients = (0..3).map(|_| net.party(&mut chain, 10_000_000)).collect();
        let providers = (0..3).map(|_| net.provider(&mut chain, 5_000_000, 0)).collect();
        let cranker = Keypair::new();
        chain.airdrop(&cranker.pubkey(), 1_000_000_000_000).unwrap();
        let supply0 = mint_supply(&chain, &net.pool.mint);
        let fee_vault0 = token_balance(&chain, &net.fee_vault);
        Sim {
            chain,
            net,
            markets: [m1, m2],
            clients,
            providers,
            cranker,
            ledger: Ledger::default(),
            supply0,
            fee_vault0,
            steps: 0,
            rejected: 0,
        }
    }

    fn watched(&self) -> Vec<Vec<u8>> {
        let mut keys = vec![
            self.net.pool.mint,
            self.net.fee_vault,
            self.net.pool.stake_vault,
            self.net.pool.pool,
        ];
        keys.extend(self.clients.iter().map(|p| p.token));
        keys.extend(self.providers.iter().map(|p| p.token));
        keys.extend(
            self.providers
                .iter()
                .map(|p| support::staking::stake_pda(&self.net.pool.pool, &p.key.pubkey())),
        );
        keys.extend(self.ledger.jobs.keys().flat_map(|j| [*j, escrow_pda(j)]));
        keys.iter().map(|k| self.chain.get_account(k).map(|a| a.data).unwrap_or_default()).collect()
    }

    /// Sends; a failure must change nothing. Returns success.
    fn step(&mut self, payer: &Keypair, ix: Instruction) -> bool {
        self.steps += 1;
        let before = self.watched();
        let ok = match send(&mut self.chain, payer, &[ix], &[]) {
            Ok(logs) => {
                self.ledger.record(&logs);
                true
            }
            Err(f) => {
                assert_eq!(
                    before,
                    self.watched(),
                    "a failed transaction ({:?}) changed state",
                    f.err
                );
                self.rejected += 1;
                false
            }
        };
        self.check();
        ok
    }

    fn must(&mut self, payer: &Keypair, ix: Instruction) {
        assert!(self.step(payer, ix), "step {} should succeed", self.steps);
    }

    fn check(&self) {
        let c = &self.chain;
        for (job, f) in &self.ledger.jobs {
            let escrowed = token_balance(c, &escrow_pda(job));
            assert_eq!(
                f.price,
                f.paid + f.burned + f.fee + f.refunded + escrowed,
                "conservation of {job}: {f:?} + escrow {escrowed}"
            );
        }
        let supply = mint_supply(c, &self.net.pool.mint);
        assert_eq!(
            self.supply0 - supply,
            self.ledger.burned + self.ledger.slash_burned,
            "supply moved by more than the burns"
        );
        assert_eq!(
            token_balance(c, &self.net.fee_vault) - self.fee_vault0,
            self.ledger.fees,
            "fee vault"
        );
        let pool = self.net.pool.state(c);
        assert_eq!(
            token_balance(c, &self.net.pool.stake_vault),
            pool.total_active + pool.total_unbonding,
            "stake vault"
        );
        let mut locked = 0;
        for p in &self.providers {
            let s = self.net.pool.stake_of(c, &p.key.pubkey()).unwrap();
            assert!(s.locked <= s.active, "locked > active");
            locked += s.locked;
        }
        let held: u64 = self
            .ledger
            .jobs
            .keys()
            .filter_map(|j| self.net.job(c, j))
            .filter(|j| j.state != JobState::Open)
            .map(|j| j.collateral)
            .sum();
        assert_eq!(locked, held, "Σ locked vs collateral of running jobs");
    }
}

#[test]
fn randomized_job_lifecycles_keep_the_market_invariants() {
    let seed = std::env::var("MARKET_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0xFEED_u64);
    let lifecycles: u64 =
        std::env::var("MARKET_LIFECYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    println!(
        "market invariants: seed {seed}, {lifecycles} lifecycles (replay with MARKET_SEED={seed})"
    );
    let mut rng = Rng(seed);
    let mut sim = Sim::new();
    let mut paths = BTreeMap::<&str, u64>::new();
    let cranker = sim.cranker.insecure_clone();
    let arbiter = sim.net.arbiter.insecure_clone();
    for n in 0..lifecycles {
        let mi = rng.below(2) as usize;
        let market = sim.markets[mi];
        let ci = rng.below(3) as usize;
        let client = sim.clients[ci].key.insecure_clone();
        let ctoken = sim.clients[ci].token;
        let price = match rng.below(10) {
            0 => 1,
            1 => 1_000_000,
            _ => 1 + rng.below(50_000),
        };
        let duration = 1 + rng.below(7_200);
        let ix = sim.net.create_job(&client.pubkey(), &ctoken, &market, n, price, duration, None);
        sim.must(&client, ix);
        let job = job_pda(&market, &client.pubkey(), n);

        let path = rng.below(7);
        if path == 0 {
            paths.entry("cancel").and_modify(|c| *c += 1).or_insert(1);
            let ix = sim.net.cancel_job(&client.pubkey(), &ctoken, &job, &market);
            sim.must(&client, ix);
            continue;
        }
        let mut pi = rng.below(3) as usize;
        let mut provider = sim.providers[pi].key.insecure_clone();
        let ix = sim.net.accept_job(&provider.pubkey(), &job, &market);
        sim.must(&provider, ix);
        // Invalid calls in between: nothing may change.
        let intruder = sim.providers[(pi + 1) % 3].key.insecure_clone();
        let ix = sim.net.submit_result(&intruder.pubkey(), &job);
        assert!(!sim.step(&intruder, ix));
        let ix = sim.net.cancel_job(&client.pubkey(), &ctoken, &job, &market);
        assert!(!sim.step(&client, ix));

        if path == 1 {
            paths.entry("quit+reaccept+complete").and_modify(|c| *c += 1).or_insert(1);
            let ix = sim.net.quit_job(&provider.pubkey(), &job, &market, &ctoken);
            sim.must(&provider, ix);
            pi = (pi + 1) % 3;
            provider = sim.providers[pi].key.insecure_clone();
            let ix = sim.net.accept_job(&provider.pubkey(), &job, &market);
            sim.must(&provider, ix);
        }
        if path == 2 {
            paths.entry("expire").and_modify(|c| *c += 1).or_insert(1);
            let ix = sim.net.reclaim_expired(
                &cranker.pubkey(),
                &client.pubkey(),
                &ctoken,
                &job,
                &market,
                &provider.pubkey(),
            );
            assert!(!sim.step(&cranker, ix.clone()), "too early");
            sim.chain.warp(duration + 1 + rng.below(1_000));
            sim.must(&cranker, ix);
            continue;
        }
        if rng.below(4) == 0 {
            sim.chain.warp(rng.below(duration));
        }
        let ix = sim.net.submit_result(&provider.pubkey(), &job);
        sim.must(&provider, ix);
        let ptoken = sim.providers[pi].token;
        match path {
            1 | 3 => {
                paths.entry("complete").and_modify(|c| *c += 1).or_insert(1);
                let ix = sim.net.settle(
                    &client.pubkey(),
                    None,
                    &job,
                    &market,
                    &provider.pubkey(),
                    &ptoken,
                );
                sim.must(&client, ix.clone());
                assert!(!sim.step(&client, ix), "complete twice");
            }
            4 => {
                paths.entry("finalize").and_modify(|c| *c += 1).or_insert(1);
                let ix = sim.net.settle(
                    &client.pubkey(),
                    Some(&cranker.pubkey()),
                    &job,
                    &market,
                    &provider.pubkey(),
                    &ptoken,
                );
                assert!(!sim.step(&cranker, ix.clone()), "dispute window open");
                sim.chain.warp(72 * 3_600 + 1);
                sim.must(&cranker, ix);
            }
            5 => {
                paths.entry("dispute+resolve").and_modify(|c| *c += 1).or_insert(1);
                let ix = sim.net.dispute_job(&client.pubkey(), &job, &market);
                sim.must(&client, ix);
                let collateral = sim.net.job(&sim.chain, &job).unwrap().collateral;
                let share = [0, 10_000, rng.below(10_001) as u16][rng.below(3) as usize];
                let slash = match rng.below(4) {
                    0 => 0,
                    1 => collateral,
                    2 => collateral + 1,
                    _ => rng.below(collateral + 1),
                };
                let args = ResolveDisputeArgs {
                    provider_share_bps: share,
                    slash_amount: slash,
                    slash_to_client: rng.below(2) == 0,
                };
                let ix = sim.net.resolve_dispute(
                    &arbiter.pubkey(),
                    &client.pubkey(),
                    &ctoken,
                    &job,
                    &market,
                    &provider.pubkey(),
                    &ptoken,
                    args.clone(),
                );
                let ok = sim.step(&arbiter, ix);
                assert_eq!(ok, slash <= collateral, "slash {slash} of {collateral}");
                if !ok {
                    let ix = sim.net.resolve_dispute(
                        &arbiter.pubkey(),
                        &client.pubkey(),
                        &ctoken,
                        &job,
                        &market,
                        &provider.pubkey(),
                        &ptoken,
                        ResolveDisputeArgs { slash_amount: collateral, ..args },
                    );
                    sim.must(&arbiter, ix);
                }
            }
            _ => {
                paths.entry("dispute+default").and_modify(|c| *c += 1).or_insert(1);
                let ix = sim.net.dispute_job(&client.pubkey(), &job, &market);
                sim.must(&client, ix);
                let ix = sim.net.finalize_dispute(
                    &cranker.pubkey(),
                    &client.pubkey(),
                    &ctoken,
                    &job,
                    &market,
                    &provider.pubkey(),
                    &ptoken,
                );
                assert!(!sim.step(&cranker, ix.clone()), "arbitration window open");
                sim.chain.warp(7 * 86_400 + 1);
                sim.must(&cranker, ix);
            }
        }
        assert!(sim.chain.get_account(&job).is_none(), "settled jobs close");
    }
    println!(
        "market invariants: {lifecycles} lifecycles, {} steps ({} rejected as expected), invariants checked after each; paths {paths:?}",
        sim.steps, sim.rejected
    );
}
