//! The three programs together under random use: the instructions of staking, market and
//! emissions (all but the one-time setup ones: `init_pool`, `init_config`, `create_market`,
//! `create_vault`, which the chain is built with), random actors (providers, clients, an attacker, the admin, the arbiter, cranks),
//! amounts at the edges (0, 1, u64::MAX), random clock moves and deliberately invalid calls.
//! Adversarial moves are mixed in, each bundled in one transaction: a flash stake around the
//! emission crank (stake → emit → unstake), a provider quitting and re-accepting a job, two
//! providers handing a job over, and the vault authority's pause → redirect → resume.
//! After every step the eight invariants of DESIGN.md are checked, and a failed transaction must
//! have changed nothing; and no exit is blocked and no reward goes where it was not earned: the
//! flash staker never earns, no job's lifetime bound moves and no running job's deadline passes
//! it, and the account the authority tries to redirect emissions to never receives any. Each chain ends with a drain: every job is closed through the cranks and
//! every provider leaves (invariant 8: everyone can always exit).
//!
//! `SYSTEM_SEED` (printed), `SYSTEM_SEQUENCES` (default 1 000, ten steps each; 100 sequences per
//! chain) control the run; set `SYSTEM_SEQUENCES=20000` for a long local run.

use crucible_program_tests as support;

use std::collections::BTreeMap;

use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use crucible_emissions::math as em;
use crucible_localnet::{
    testing::{self, anchor_account, mint_supply, send, token_balance},
    Localnet,
};
use crucible_market::{
    events::{DisputeResolved, JobCancelled, JobCompleted, JobCreated, JobExpired},
    state::{Job, JobState},
    ResolveDisputeArgs,
};
use crucible_staking::{events::Slashed, math as sm, state::ProviderStake};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::{
    emissions::{args, recipients, Vault, World as EmissionsWorld},
    market::{default_params, escrow_pda, job_pda, Network, Party},
    staking::stake_pda,
};

const HOUR: u64 = 3_600;
const STEPS: usize = 10;
const PER_CHAIN: usize = 100;

use support::Rng;

fn event<T: AnchorDeserialize + Discriminator>(data: &[u8]) -> Option<T> {
    data.strip_prefix(T::DISCRIMINATOR).and_then(|mut rest| T::deserialize(&mut rest).ok())
}

/// What the events say moved, per job and in total.
#[derive(Default)]
struct Ledger {
    /// price, then what left the escrow.
    jobs: BTreeMap<Pubkey, (u64, u64)>,
    burned: u64,
}

impl Ledger {
    fn record(&mut self, logs: &[String]) {
        for line in logs {
            let Some(b64) = line.strip_prefix("Program data: ") else { continue };
            let Ok(d) = base64::engine::general_purpose::STANDARD.decode(b64) else { continue };
            let mut out = |job: Pubkey, amount: u64| self.jobs.entry(job).or_default().1 += amount;
            if let Some(e) = event::<JobCreated>(&d) {
                self.jobs.insert(e.job, (e.price, 0));
            } else if let Some(e) = event::<JobCompleted>(&d) {
                out(e.job, e.burned + e.fee + e.paid);
                self.burned += e.burned;
            } else if let Some(e) = event::<DisputeResolved>(&d) {
                out(e.job, e.burned + e.fee + e.paid + e.refunded);
                self.burned += e.burned;
            } else if let Some(e) = event::<JobCancelled>(&d) {
                out(e.job, e.refunded);
            } else if let Some(e) = event::<JobExpired>(&d) {
                out(e.job, e.refunded);
            } else if let Some(e) = event::<Slashed>(&d) {
                if e.burned {
                    self.burned += e.amount;
                }
            }
        }
    }
}

struct Sim {
    chain: Localnet,
    net: Network,
    markets: Vec<Pubkey>,
    vault: Vault,
    payees: Vec<Pubkey>,
    providers: Vec<Party>,
    clients: Vec<Party>,
    attacker: Party,
    cranker: Keypair,
    jobs: Vec<(Pubkey, Pubkey, usize)>, // job, market, client index
    /// Each job's lifetime bound as its creation event announced it.
    lifetimes: BTreeMap<Pubkey, i64>,
    /// The admin's own account, which the pause → redirect → resume bundle aims emissions at.
    redirect: Pubkey,
    /// Adversarial bundles: attempts and how many went through (and were checked harmless).
    bundles: BTreeMap<&'static str, (usize, usize)>,
    nonce: u64,
    ledger: Ledger,
    supply0: u64,
    steps: usize,
    rejected: usize,
    checks: usize,
}

impl Sim {
    fn new() -> Sim {
        let mut chain = Localnet::new();
        let net = Network::create(&mut chain);
        let mut p2 = default_params();
        (p2.burn_bps, p2.fee_bps, p2.collateral_bps, p2.expiry_slash_bps) =
            (3_333, 777, 10_000, 10_000);
        let markets = vec![
            net.create_market(&mut chain, 1, default_params()).unwrap(),
            net.create_market(&mut chain, 2, p2).unwrap(),
        ];
        // The emission vault of the network's mint pays the staking pool 80 %, the treasury 20 %.
        let admin = net.admin().insecure_clone();
        let source =
            testing::create_token_account(&mut chain, &admin, &net.pool.mint, &admin.pubkey())
                .unwrap();
        let schedule = em::Schedule {
            initial_per_hour: 1_000_000,
            decay_bps: 500,
            period_hours: 24,
            cap: 10_000_000_000,
        };
        testing::mint_to(&mut chain, &admin, &net.pool.mint, &source, schedule.cap).unwrap();
        let world =
            EmissionsWorld { authority: admin.insecure_clone(), mint: net.pool.mint, source };
        let payees = vec![net.pool.reward_vault, net.treasury];
        let start = chain.clock().unix_timestamp;
        let vault = world
            .create(&mut chain, args(1, start, schedule, recipients(&payees, &[8_000, 2_000])))
            .unwrap();
        // Stake is activated only once this vault has paid every hour due.
        send(&mut chain, &admin, &[net.pool.add_reward_source(&admin.pubkey(), &vault.vault)], &[])
            .unwrap();
        let redirect =
            testing::create_token_account(&mut chain, &admin, &net.pool.mint, &admin.pubkey())
                .unwrap();
        let providers = (0..3).map(|_| net.provider(&mut chain, 1_000_000, 10_000_000)).collect();
        let clients = (0..3).map(|_| net.party(&mut chain, 100_000_000)).collect();
        let attacker = net.party(&mut chain, 1_000_000);
        let cranker = Keypair::new();
        chain.airdrop(&cranker.pubkey(), 1_000_000_000_000).unwrap();
        let supply0 = mint_supply(&chain, &net.pool.mint);
        Sim {
            chain,
            net,
            markets,
            vault,
            payees,
            providers,
            clients,
            attacker,
            cranker,
            jobs: Vec::new(),
            lifetimes: BTreeMap::new(),
            redirect,
            bundles: BTreeMap::new(),
            nonce: 0,
            ledger: Ledger::default(),
            supply0,
            steps: 0,
            rejected: 0,
            checks: 0,
        }
    }

    fn watched(&self) -> Vec<Vec<u8>> {
        let n = &self.net;
        let mut keys = vec![
            n.pool.mint,
            n.treasury,
            n.fee_vault,
            n.pool.stake_vault,
            n.pool.reward_vault,
            n.pool.pool,
            self.redirect,
            self.vault.vault,
            self.vault.token_vault,
        ];
        keys.extend(self.markets.iter().copied());
        for p in
            self.providers.iter().chain(self.clients.iter()).chain(std::iter::once(&self.attacker))
        {
            keys.push(p.token);
            keys.push(stake_pda(&n.pool.pool, &p.key.pubkey()));
        }
        for (job, ..) in &self.jobs {
            keys.push(*job);
            keys.push(escrow_pda(job));
        }
        keys.iter()
            .map(|k| {
                self.chain
                    .get_account(k)
                    .map(|a| (a.lamports, a.data))
                    .map(|(l, d)| [l.to_le_bytes().to_vec(), d].concat())
                    .unwrap_or_default()
            })
            .collect()
    }

    fn step(&mut self, payer: &Keypair, ix: Instruction) -> bool {
        self.step_many(payer, &[ix])
    }

    /// Several instructions in one transaction: all of them happen, or nothing does.
    fn step_many(&mut self, payer: &Keypair, ixs: &[Instruction]) -> bool {
        self.steps += 1;
        let before = self.watched();
        let ok = match send(&mut self.chain, payer, ixs, &[]) {
            Ok(logs) => {
                self.ledger.record(&logs);
                for line in &logs {
                    let Some(b64) = line.strip_prefix("Program data: ") else { continue };
                    let Ok(d) = base64::engine::general_purpose::STANDARD.decode(b64) else {
                        continue;
                    };
                    if let Some(e) = event::<JobCreated>(&d) {
                        self.lifetimes.insert(e.job, e.lifetime_ends_at);
                    }
                }
                true
            }
            Err(f) => {
                assert_eq!(
                    before,
                    self.watched(),
                    "invariant 6: a failed transaction ({:?}) changed state",
                    f.err
                );
                self.rejected += 1;
                false
            }
        };
        self.check();
        ok
    }

    fn count(&mut self, what: &'static str, ok: bool) {
        let e = self.bundles.entry(what).or_default();
        e.0 += 1;
        e.1 += usize::from(ok);
    }

    /// The eight invariants of DESIGN.md.
    fn check(&mut self) {
        self.checks += 8;
        let c = &self.chain;
        let n = &self.net;
        // 1. Per job: deposited = what left the escrow + still escrowed.
        for (job, (price, out)) in &self.ledger.jobs {
            assert_eq!(*price, out + token_balance(c, &escrow_pda(job)), "invariant 1: job {job}");
        }
        // 2. The supply moves only by burns.
        assert_eq!(
            self.supply0 - mint_supply(c, &n.pool.mint),
            self.ledger.burned,
            "invariant 2: supply"
        );
        // 3. Stake vault = Σ active + Σ unbonding; locked ≤ active; Σ locked = jobs' collateral.
        let pool = n.pool.state(c);
        let stakes: Vec<ProviderStake> = self
            .providers
            .iter()
            .chain(self.clients.iter())
            .chain(std::iter::once(&self.attacker))
            .filter_map(|p| anchor_account(c, &stake_pda(&n.pool.pool, &p.key.pubkey())))
            .collect();
        let vault = token_balance(c, &n.pool.stake_vault);
        assert_eq!(vault, pool.total_active + pool.total_unbonding, "invariant 3: vault vs totals");
        assert_eq!(
            pool.total_active,
            stakes.iter().map(|s| s.active).sum::<u64>(),
            "invariant 3: Σ active"
        );
        assert!(stakes.iter().all(|s| s.locked <= s.active), "invariant 3: locked ≤ active");
        assert!(stakes.iter().all(|s| s.warming <= s.active), "invariant 3: warming ≤ active");
        assert_eq!(
            pool.total_warming,
            stakes.iter().map(|s| s.warming).sum::<u64>(),
            "invariant 3: Σ warming"
        );
        // Rewards by stake × time: the attacker's stake only ever exists inside one transaction
        // (stake → emit → unstake), so it never earns anything.
        if let Some(a) = anchor_account::<ProviderStake>(
            c,
            &stake_pda(&n.pool.pool, &self.attacker.key.pubkey()),
        ) {
            assert_eq!(a.active, 0, "the flash stake left within its transaction");
            assert_eq!(
                a.rewards_pending + a.rewards_claimed,
                0,
                "a flash stake earned rewards for hours it did not stake through"
            );
        }
        // Liveness: no job's lifetime bound moves; a running job's deadline is within it, so
        // the client can always recover the payment once the bound has passed.
        for (j, ..) in &self.jobs {
            let Some(job) = anchor_account::<Job>(c, j) else { continue };
            assert_eq!(
                Some(&job.lifetime_ends_at),
                self.lifetimes.get(j),
                "job {j}: the lifetime bound moved"
            );
            if job.state == JobState::Running {
                assert!(job.deadline <= job.lifetime_ends_at, "job {j}: deadline past the bound");
            }
        }
        // A pause → redirect → resume never hands accrued hours to the authority's account.
        assert_eq!(token_balance(c, &self.redirect), 0, "emissions reached the redirect account");
        let held: u64 = self
            .jobs
            .iter()
            .filter_map(|(j, ..)| anchor_account::<Job>(c, j))
            .filter(|j| j.state != JobState::Open)
            .map(|j| j.collateral)
            .sum();
        assert_eq!(
            stakes.iter().map(|s| s.locked).sum::<u64>(),
            held,
            "invariant 3: Σ locked vs running jobs"
        );
        // 4. Emission: total = Σ rate(h) over the emitted hours ≤ cap.
        let v = self.vault.state(c);
        let schedule = v.schedule();
        assert_eq!(
            em::cumulative(&schedule, v.emitted_hours),
            Some(v.total_emitted),
            "invariant 4: emission total"
        );
        assert!(v.total_emitted <= schedule.cap, "invariant 4: cap");
        // 5. Reward solvency.
        let reward_vault = token_balance(c, &n.pool.reward_vault);
        let synced = sm::sync(
            sm::Accumulator {
                acc_reward_per_share: pool.acc_reward_per_share,
                remainder: pool.acc_remainder,
                remainder_base: pool.acc_remainder_base,
            },
            pool.reward_accounted,
            reward_vault,
            pool.total_active - pool.total_warming,
        )
        .expect("invariant 5: the reward vault never holds less than accounted");
        let claimable: u64 = stakes
            .iter()
            .map(|s| {
                s.rewards_pending
                    + sm::pending(s.active - s.warming, synced.acc_reward_per_share, s.reward_debt)
                        .unwrap()
            })
            .sum();
        assert!(
            claimable + pool.unallocated_rewards + synced.unallocated <= reward_vault,
            "invariant 5: solvency"
        );
        // 6 is checked on every failure (`step`); 7: parameters stay inside their bounds.
        assert!(
            pool.min_stake > 0 && pool.unbonding_secs <= 365 * 86_400,
            "invariant 7: pool bounds"
        );
        for m in &self.markets {
            let p = n.market(c, m).params;
            assert!(
                u32::from(p.burn_bps) + u32::from(p.fee_bps) <= 10_000 && p.min_collateral > 0,
                "invariant 7: market bounds"
            );
        }
    }

    fn random_step(&mut self, rng: &mut Rng) {
        let n = &self.net;
        let pi = rng.below(3) as usize;
        let ci = rng.below(3) as usize;
        let provider = self.providers[pi].key.insecure_clone();
        let ptoken = self.providers[pi].token;
        let client = self.clients[ci].key.insecure_clone();
        let ctoken = self.clients[ci].token;
        let attacker = self.attacker.key.insecure_clone();
        let cranker = self.cranker.insecure_clone();
        let admin = n.admin().insecure_clone();
        let job = if self.jobs.is_empty() {
            None
        } else {
            Some(self.jobs[rng.below(self.jobs.len() as u64) as usize])
        };
        let (ix, payer): (Instruction, Keypair) = match rng.below(46) {
            // adversarial bundles, one transaction each
            39 => {
                // Mostly a valid amount (at least the pool's minimum), sometimes the edges.
                let amount = if rng.below(4) == 0 {
                    rng.amount_or_edge(12, 5_000_000)
                } else {
                    n.pool.state(&self.chain).min_stake.max(1).saturating_add(rng.below(500_000))
                };
                let a = self.attacker.key.insecure_clone();
                // Around the crank when hours are due, else around a sync of the reward vault.
                let v = self.vault.state(&self.chain);
                let due = em::hours_due(v.start_ts, self.chain.clock().unix_timestamp)
                    > v.emitted_hours
                    && !v.paused
                    && !v.ended();
                let crank = if due { self.vault.emit(&self.payees) } else { n.pool.sync_rewards() };
                let flash = [
                    n.pool.stake(&a.pubkey(), &self.attacker.token, amount),
                    crank,
                    n.pool.request_unstake(&a.pubkey(), amount),
                ];
                let ok = self.step_many(&a, &flash);
                self.count("flash stake around emit", ok);
                self.crank();
                return;
            }
            40 => {
                // A running job, quit by its own provider.
                let running: Vec<_> = self
                    .jobs
                    .iter()
                    .copied()
                    .filter(|(j, ..)| {
                        n.job(&self.chain, j).is_some_and(|s| s.state == JobState::Running)
                    })
                    .collect();
                let Some(&(j, m, c)) = running.get(rng.below(running.len() as u64) as usize) else {
                    // None running: a provider takes an open job, for a later bundle to quit.
                    let open = self.jobs.iter().copied().find(|(j, ..)| {
                        n.job(&self.chain, j).is_some_and(|s| s.state == JobState::Open)
                    });
                    if let Some((j, m, _)) = open {
                        let ix = n.accept_job(&provider.pubkey(), &j, &m);
                        self.step(&provider, ix);
                        self.crank();
                    }
                    return;
                };
                let holder = n.job(&self.chain, &j).unwrap().provider;
                let Some(pi) = self.providers.iter().position(|p| p.key.pubkey() == holder) else {
                    return;
                };
                let provider = self.providers[pi].key.insecure_clone();
                let ct = self.clients[c].token;
                let other = self.providers[(pi + 1) % 3].key.insecure_clone();
                // Quit and re-accept (the same provider), or hand over to another one.
                let taker = if rng.below(2) == 0 { provider.insecure_clone() } else { other };
                let bundle = [
                    n.quit_job(&provider.pubkey(), &j, &m, &ct),
                    n.accept_job(&taker.pubkey(), &j, &m),
                ];
                self.steps += 1;
                let before = self.watched();
                let same = taker.pubkey() == provider.pubkey();
                let signers: Vec<&Keypair> = if same { vec![] } else { vec![&taker] };
                match send(&mut self.chain, &provider, &bundle, &signers) {
                    Ok(logs) => {
                        self.count(
                            if same { "quit + re-accept" } else { "quit + hand over" },
                            true,
                        );
                        assert_ne!(
                            taker.pubkey(),
                            provider.pubkey(),
                            "a provider re-accepted a job it quit in the same transaction"
                        );
                        self.ledger.record(&logs);
                    }
                    Err(f) => {
                        self.count(
                            if same { "quit + re-accept" } else { "quit + hand over" },
                            false,
                        );
                        assert_eq!(
                            before,
                            self.watched(),
                            "a failed bundle ({:?}) changed state",
                            f.err
                        );
                        self.rejected += 1;
                    }
                }
                self.check();
                self.crank();
                return;
            }
            41 => {
                let a = self.net.admin().insecure_clone();
                let redirect = recipients(&[self.redirect], &[10_000]);
                let back = recipients(&self.payees, &[8_000, 2_000]);
                let bundle = [
                    self.vault.set_paused(&a.pubkey(), true),
                    self.vault.update_recipients(&a.pubkey(), &self.payees, redirect),
                    self.vault.set_paused(&a.pubkey(), false),
                    self.vault.update_recipients(&a.pubkey(), &[self.redirect], back),
                ];
                let ok = self.step_many(&a, &bundle);
                self.count("pause, redirect, resume", ok);
                if ok {
                    // Every hour accrued before the change was paid to the recipients of its time.
                    let v = self.vault.state(&self.chain);
                    let due = em::hours_due(v.start_ts, self.chain.clock().unix_timestamp);
                    assert!(v.ended() || v.emitted_hours == due, "accrued hours left unpaid");
                }
                self.crank();
                return;
            }
            42 | 43 => {
                let who = self.providers[rng.below(3) as usize].key.pubkey();
                (n.pool.activate_stake(&who, &[self.vault.vault]), cranker)
            }
            // staking
            0 => (
                n.pool.stake(&provider.pubkey(), &ptoken, rng.amount_or_edge(12, 1_000_000)),
                provider,
            ),
            1 => (
                n.pool.request_unstake(&provider.pubkey(), rng.amount_or_edge(12, 500_000)),
                provider,
            ),
            2 => (n.pool.cancel_unstake(&provider.pubkey()), provider),
            3 => (n.pool.withdraw(&provider.pubkey(), &ptoken), provider),
            4 => (n.pool.claim_rewards(&provider.pubkey(), &ptoken), provider),
            5 => (n.pool.sync_rewards(), cranker),
            6 => (
                n.pool.slash(
                    &attacker.pubkey(),
                    &provider.pubkey(),
                    rng.amount_or_edge(12, 100),
                    Some(self.attacker.token),
                ),
                attacker,
            ), // invalid: not the locker
            7 => (n.pool.set_paused(&admin.pubkey(), rng.below(4) == 0), admin),
            // emissions
            8 | 9 => (self.vault.emit(&self.payees), cranker),
            10 => (self.vault.set_paused(&attacker.pubkey(), true), attacker), // invalid: not the authority
            // market
            11 | 12 => {
                self.nonce += 1;
                let m = self.markets[rng.below(2) as usize];
                let price = rng.amount_or_edge(12, 5_000_000);
                let ix = n.create_job(
                    &client.pubkey(),
                    &ctoken,
                    &m,
                    self.nonce,
                    price,
                    1 + rng.below(4 * HOUR),
                    None,
                );
                self.jobs.push((job_pda(&m, &client.pubkey(), self.nonce), m, ci));
                (ix, client)
            }
            13 => {
                let Some((j, m, _)) = job else { return };
                (n.accept_job(&provider.pubkey(), &j, &m), provider)
            }
            14 => {
                let Some((j, ..)) = job else { return };
                (n.submit_result(&provider.pubkey(), &j), provider)
            }
            15 => {
                let Some((j, m, c)) = job else { return };
                let owner = self.clients[c].key.insecure_clone();
                let Some(state) = n.job(&self.chain, &j) else { return };
                let pt = self
                    .providers
                    .iter()
                    .find(|p| p.key.pubkey() == state.provider)
                    .map(|p| p.token)
                    .unwrap_or(ptoken);
                (n.settle(&owner.pubkey(), None, &j, &m, &state.provider, &pt), owner)
            }
            16 => {
                let Some((j, m, c)) = job else { return };
                let owner = self.clients[c].key.insecure_clone();
                (n.dispute_job(&owner.pubkey(), &j, &m), owner)
            }
            17 => {
                let Some((j, m, c)) = job else { return };
                let Some(state) = n.job(&self.chain, &j) else { return };
                let pt = self
                    .providers
                    .iter()
                    .find(|p| p.key.pubkey() == state.provider)
                    .map(|p| p.token)
                    .unwrap_or(ptoken);
                let args = ResolveDisputeArgs {
                    provider_share_bps: rng.below(10_001) as u16,
                    slash_amount: if rng.below(2) == 0 {
                        rng.below(state.collateral + 2)
                    } else {
                        0
                    },
                    slash_to_client: rng.below(2) == 0,
                };
                let arbiter = if rng.below(5) == 0 { attacker } else { n.arbiter.insecure_clone() };
                (
                    n.resolve_dispute(
                        &arbiter.pubkey(),
                        &state.client,
                        &self.clients[c].token,
                        &j,
                        &m,
                        &state.provider,
                        &pt,
                        args,
                    ),
                    arbiter,
                )
            }
            18 => {
                let Some((j, m, c)) = job else { return };
                (
                    n.cancel_job(&self.clients[c].key.pubkey(), &self.clients[c].token, &j, &m),
                    self.clients[c].key.insecure_clone(),
                )
            }
            19 => {
                let Some((j, ..)) = job else { return };
                (n.accept_job(&attacker.pubkey(), &j, &self.markets[0]), attacker)
                // invalid: no stake / wrong market
            }
            // the rest of each program's instructions
            20 => {
                let Some((j, m, c)) = job else { return };
                (n.quit_job(&provider.pubkey(), &j, &m, &self.clients[c].token), provider)
            }
            21 => {
                let min = [0, 1, 100, u64::MAX][rng.below(4) as usize];
                let delay =
                    [None, Some(0), Some(86_400), Some(400 * 86_400)][rng.below(4) as usize];
                (n.pool.update_pool(&admin.pubkey(), Some(min), delay), admin)
            }
            22 => (n.pool.sweep_unallocated(&admin.pubkey(), &n.treasury), admin),
            23 => (n.pool.close_stake(&provider.pubkey()), provider),
            24 => (n.pool.propose_admin(&attacker.pubkey(), attacker.pubkey()), attacker), // invalid
            25 => {
                let m = self.markets[rng.below(2) as usize];
                let mut params = default_params();
                params.burn_bps = [0, 2_000, 9_000][rng.below(3) as usize];
                params.fee_bps = [0, 500, 2_000][rng.below(3) as usize];
                params.min_collateral = rng.below(200);
                (n.update_market(&admin.pubkey(), &m, params, n.arbiter.pubkey()), admin)
            }
            26 => {
                let m = self.markets[rng.below(2) as usize];
                (n.set_market_paused(&admin.pubkey(), &m, rng.below(3) == 0), admin)
            }
            27 => (n.set_treasury(&attacker.pubkey(), &self.attacker.token), attacker), // invalid
            28 => (n.propose_admin(&attacker.pubkey(), attacker.pubkey()), attacker),   // invalid
            29 => {
                let source = self.clients[ci].token;
                (
                    self.vault.fund(&client.pubkey(), &source, rng.amount_or_edge(12, 1_000_000)),
                    client,
                )
            }
            30 => {
                let new = recipients(&self.payees, &[8_000, 2_000]);
                (self.vault.update_recipients(&admin.pubkey(), &self.payees, new), admin)
            }
            31 => (self.vault.set_paused(&admin.pubkey(), rng.below(3) == 0), admin),
            32 => (
                self.vault.revoke(&attacker.pubkey(), &self.attacker.token, &self.payees),
                attacker,
            ), // invalid
            33 => (self.vault.close_vault(&admin.pubkey(), &n.treasury), admin), // refused until the schedule ends
            // the recipients proposal (to the same list, so the payees never change)
            34 => {
                let same = recipients(&self.payees, &[8_000, 2_000]);
                (self.vault.propose_recipients(&admin.pubkey(), same), admin)
            }
            35 => (self.vault.execute(&self.chain, &cranker.pubkey()), cranker), // valid only after the delay
            36 => (self.vault.cancel_recipients_proposal(&admin.pubkey()), admin),
            37 => (
                self.vault.replace_recipient_account(
                    &attacker.pubkey(),
                    1,
                    &self.payees[1],
                    &self.attacker.token,
                ),
                attacker,
            ), // invalid: not the recipient's owner's account
            38 => (n.sweep_fees(&attacker.pubkey(), &n.treasury), attacker), // anyone may sweep
            // the clock
            _ => {
                let span = if rng.below(4) == 0 { 4 * 86_400 } else { 2 * HOUR };
                self.chain.warp(rng.below(span));
                self.check();
                return;
            }
        };
        self.step(&payer, ix);
        self.crank();
    }

    /// Anyone's cranks: every job whose window has passed is closed.
    fn crank(&mut self) {
        let now = self.chain.clock().unix_timestamp;
        let cranker = self.cranker.insecure_clone();
        for (j, m, c) in self.jobs.clone() {
            let Some(s) = self.net.job(&self.chain, &j) else { continue };
            let pt = self.providers.iter().find(|p| p.key.pubkey() == s.provider).map(|p| p.token);
            let ctoken = self.clients[c].token;
            let ix = match s.state {
                JobState::Submitted if now > s.dispute_deadline => self.net.settle(
                    &s.client,
                    Some(&cranker.pubkey()),
                    &j,
                    &m,
                    &s.provider,
                    &pt.unwrap(),
                ),
                JobState::Disputed if now > s.disputed_at + s.arbitration_window_secs as i64 => {
                    self.net.finalize_dispute(
                        &cranker.pubkey(),
                        &s.client,
                        &ctoken,
                        &j,
                        &m,
                        &s.provider,
                        &pt.unwrap(),
                    )
                }
                JobState::Running if now > s.deadline => self.net.reclaim_expired(
                    &cranker.pubkey(),
                    &s.client,
                    &ctoken,
                    &j,
                    &m,
                    &s.provider,
                ),
                _ => continue,
            };
            assert!(self.step(&cranker, ix), "a crank of a due job must succeed");
        }
    }

    /// Invariant 8: everyone can exit. Every job ends (cancelled or cranked), every provider
    /// unstakes what it has and withdraws after the unbonding delay, every reward is claimable.
    fn drain(&mut self) {
        let admin = self.net.admin().insecure_clone();
        let pool = self.net.pool.pool;
        let unpause = self.net.pool.set_paused(&admin.pubkey(), false);
        let unpause_markets: Vec<_> = self
            .markets
            .iter()
            .map(|m| self.net.set_market_paused(&admin.pubkey(), m, false))
            .collect();
        for (j, m, c) in self.jobs.clone() {
            if self.net.job(&self.chain, &j).is_some_and(|s| s.state == JobState::Open) {
                let owner = self.clients[c].key.insecure_clone();
                let ix = self.net.cancel_job(&owner.pubkey(), &self.clients[c].token, &j, &m);
                assert!(
                    self.step(&owner, ix),
                    "invariant 8: a client can always cancel an open job"
                );
            }
        }
        self.chain.warp(30 * 86_400);
        self.crank();
        assert!(
            self.jobs.iter().all(|(j, ..)| self.net.job(&self.chain, j).is_none()),
            "every job closed"
        );
        self.step(&admin, unpause);
        for ix in unpause_markets {
            self.step(&admin, ix);
        }
        for i in 0..self.providers.len() {
            let p = self.providers[i].key.insecure_clone();
            let Some(s) =
                anchor_account::<ProviderStake>(&self.chain, &stake_pda(&pool, &p.pubkey()))
            else {
                continue;
            };
            assert_eq!(s.locked, 0, "no collateral is left locked");
            if s.active > 0 {
                assert!(
                    self.step(&p, self.net.pool.request_unstake(&p.pubkey(), s.active)),
                    "invariant 8: unstake"
                );
            }
        }
        self.chain.warp(15 * 86_400);
        for i in 0..self.providers.len() {
            let p = self.providers[i].key.insecure_clone();
            let token = self.providers[i].token;
            let Some(s) =
                anchor_account::<ProviderStake>(&self.chain, &stake_pda(&pool, &p.pubkey()))
            else {
                continue;
            };
            if s.unbonding > 0 {
                assert!(
                    self.step(&p, self.net.pool.withdraw(&p.pubkey(), &token)),
                    "invariant 8: withdraw"
                );
            }
            let claim = self.net.pool.claim_rewards(&p.pubkey(), &token);
            self.step(&p, claim);
        }
        // The flash staker's stake waits out its unbonding like anyone's.
        let a = self.attacker.key.insecure_clone();
        if anchor_account::<ProviderStake>(&self.chain, &stake_pda(&pool, &a.pubkey()))
            .is_some_and(|s| s.unbonding > 0)
        {
            let ix = self.net.pool.withdraw(&a.pubkey(), &self.attacker.token);
            assert!(self.step(&a, ix), "invariant 8: the flash staker withdraws too");
        }
        assert_eq!(
            token_balance(&self.chain, &self.net.pool.stake_vault),
            0,
            "all stake left the vault"
        );
    }
}

#[test]
fn the_three_programs_keep_the_invariants_under_random_use() {
    let seed = std::env::var("SYSTEM_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_u64);
    let sequences: usize =
        std::env::var("SYSTEM_SEQUENCES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000);
    println!("system invariants: seed {seed}, {sequences} sequences of {STEPS} steps (replay with SYSTEM_SEED={seed})");
    let mut rng = Rng(seed);
    let (mut steps, mut rejected, mut checks, mut jobs) = (0, 0, 0, 0);
    let mut bundles: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let mut done = 0;
    while done < sequences {
        let mut sim = Sim::new();
        for _ in 0..PER_CHAIN.min(sequences - done) {
            for _ in 0..STEPS {
                sim.random_step(&mut rng);
            }
            done += 1;
        }
        sim.drain();
        steps += sim.steps;
        rejected += sim.rejected;
        checks += sim.checks;
        jobs += sim.jobs.len();
        for (k, (tried, ok)) in &sim.bundles {
            let e = bundles.entry(k).or_default();
            e.0 += tried;
            e.1 += ok;
        }
    }
    for (k, (tried, ok)) in &bundles {
        println!(
            "system invariants: bundle {k}: {tried} tried, {ok} went through, none broke a rule"
        );
    }
    println!(
        "system invariants: {done} sequences, {steps} transactions ({rejected} rejected, each checked to change nothing), {jobs} jobs, {checks} invariant checks; every chain drained"
    );
}
