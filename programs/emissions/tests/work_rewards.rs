//! Work rewards capped by burn: a work pool paid by an emission vault hands each hour's
//! receipt to the providers whose settlements burned in that hour, pro rata to their burn and
//! never more than `cap_bps` of it; the rest (and every hour without work) goes to the pool's
//! destination, exactly to the unit. Every rejection is named and moves nothing.

use crucible_program_tests as support;

use crucible_emissions::{
    error::EmissionsError,
    events::{WorkHourFinalized, WorkNotRecorded, WorkRecorded, WorkRewardClaimed},
    math::{self, Schedule},
    state::WorkPool,
    work,
};
use crucible_localnet::{
    testing::{self, custom_error, send, token_balance, SOL},
    Localnet,
};
use crucible_market::error::MarketError;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::{
    emissions::{self as em, events, recipients, token_vault_pda, vault_pda, Vault, HOUR},
    market::{default_params, job_pda, market_pda, Network, Party},
    work::{provider_work_pda, work_hour_pda, work_recorder_pda, WorkPoolFx},
};

/// 100 tokens an hour (6 decimals), 30 % to the work pool.
const RATE: u64 = 100_000_000;
const WORK_SHARE: u16 = 3_000;
const MARKET_ID: u64 = 1;

struct W {
    chain: Localnet,
    net: Network,
    vault: Vault,
    work: WorkPoolFx,
    market: Pubkey,
    providers: Vec<Party>,
    client: Party,
    cranker: Keypair,
    nonce: u64,
}

fn schedule() -> Schedule {
    Schedule { initial_per_hour: RATE, decay_bps: 100, period_hours: 5, cap: 1_000 * RATE }
}

/// A network whose work pool (created before its vault) receives 30 % of a vault's emission
/// and pays the staking pool's reward vault what it does not distribute; one market records
/// its settlements in it.
fn world(cap_bps: u16) -> W {
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let admin = net.admin().insecure_clone();
    let mint = net.pool.mint;
    let work = WorkPoolFx::new(mint, 1, 1, net.pool.reward_vault);
    send(&mut chain, &admin, &[work.create(&admin.pubkey(), cap_bps, work_recorder_pda())], &[])
        .expect("create_work_pool");
    assert!(!work.state(&chain).started, "the vault does not exist yet");

    let vault = Vault {
        mint,
        vault_id: 1,
        vault: vault_pda(&mint, 1),
        token_vault: token_vault_pda(&vault_pda(&mint, 1)),
        token_program: anchor_spl::token::spl_token::ID,
    };
    let s = schedule();
    testing::mint_to(&mut chain, &admin, &mint, &net.treasury, s.cap).unwrap();
    let payees = [net.pool.reward_vault, work.token_vault];
    let args =
        em::args(1, em::now(&chain), s, recipients(&payees, &[10_000 - WORK_SHARE, WORK_SHARE]));
    send(
        &mut chain,
        &admin,
        &[vault.create_vault(&admin.pubkey(), &net.treasury, args, &payees)],
        &[],
    )
    .expect("create_vault");

    let ix = net.create_market_with_work(&admin.pubkey(), MARKET_ID, default_params(), work.pool);
    send(&mut chain, &admin, &[ix], &[]).expect("create_market");
    let providers = (0..3).map(|_| net.provider(&mut chain, 100_000_000, 0)).collect();
    let client = net.party(&mut chain, 1_000_000_000_000);
    let cranker = Keypair::new();
    chain.airdrop(&cranker.pubkey(), 10 * SOL).unwrap();
    W {
        chain,
        net,
        vault,
        work,
        market: market_pda(MARKET_ID),
        providers,
        client,
        cranker,
        nonce: 0,
    }
}

impl W {
    fn provider(&self, i: usize) -> Pubkey {
        self.providers[i].key.pubkey()
    }

    /// A job of `price` taken and submitted by provider `i`; returns its address.
    fn submitted(&mut self, i: usize, price: u64) -> Pubkey {
        self.nonce += 1;
        let client = self.client.key.insecure_clone();
        let c = client.pubkey();
        let ix = self.net.create_job(
            &c,
            &self.client.token,
            &self.market,
            self.nonce,
            price,
            HOUR,
            None,
        );
        send(&mut self.chain, &client, &[ix], &[]).expect("create_job");
        let job = job_pda(&self.market, &c, self.nonce);
        let p = self.providers[i].key.insecure_clone();
        let accept = self.net.accept_job(&p.pubkey(), &job, &self.market);
        let submit = self.net.submit_result(&p.pubkey(), &job);
        send(&mut self.chain, &p, &[accept, submit], &[]).expect("accept and submit");
        job
    }

    /// `complete_job` of provider `i`'s job, recording its burn (rent paid by the client).
    fn complete_ix(&self, i: usize, job: &Pubkey) -> Instruction {
        let c = self.client.key.pubkey();
        let p = &self.providers[i];
        let ix = self.net.settle(&c, None, job, &self.market, &p.key.pubkey(), &p.token);
        self.work.attach(&self.chain, ix, &p.key.pubkey(), &c)
    }

    /// A job of `price` done by provider `i` and completed now; returns the logs.
    fn settle(&mut self, i: usize, price: u64) -> Vec<String> {
        let job = self.submitted(i, price);
        let ix = self.complete_ix(i, &job);
        let client = self.client.key.insecure_clone();
        send(&mut self.chain, &client, &[ix], &[]).expect("complete_job")
    }

    fn emit(&mut self) {
        let ix = self.vault.emit(&[self.net.pool.reward_vault, self.work.token_vault]);
        let cranker = self.cranker.insecure_clone();
        send(&mut self.chain, &cranker, &[ix], &[]).expect("emit");
    }

    fn crank(&mut self, n: u64) -> Vec<String> {
        let ix = self.work.crank(&self.chain, n);
        let cranker = self.cranker.insecure_clone();
        send(&mut self.chain, &cranker, &[ix], &[]).expect("crank_work_pool")
    }

    fn claim(&mut self, i: usize, hour: u64) -> Vec<String> {
        let p = &self.providers[i];
        let ix = self.work.claim(
            &self.chain,
            &self.cranker.pubkey(),
            &p.key.pubkey(),
            &p.token,
            hour,
            &self.client.key.pubkey(),
        );
        let cranker = self.cranker.insecure_clone();
        send(&mut self.chain, &cranker, &[ix], &[]).expect("claim_work_reward")
    }

    fn pool(&self) -> WorkPool {
        self.work.state(&self.chain)
    }

    fn balance(&self, account: &Pubkey) -> u64 {
        token_balance(&self.chain, account)
    }

    /// What the vault has paid the work pool so far (its cumulative share, as `emit` pays it).
    fn paid_to_pool(&self) -> u64 {
        let v = self.vault.state(&self.chain);
        math::owed(v.total_emitted, WORK_SHARE).unwrap()
    }

    /// `ixs` signed by `payer` fail with custom error `code`; no token balance, lamport or byte
    /// of the watched accounts changes (but the payer's signature fee).
    fn rejects(&mut self, payer: &Keypair, ixs: &[Instruction], code: u32, watched: &[Pubkey]) {
        let snapshot = |chain: &Localnet, fee: u64| -> Vec<Option<(u64, Vec<u8>)>> {
            watched
                .iter()
                .map(|a| {
                    chain.get_account(a).map(|x| {
                        let paid = if *a == payer.pubkey() { fee } else { 0 };
                        (x.lamports + paid, x.data)
                    })
                })
                .collect()
        };
        let before = snapshot(&self.chain, 0);
        let failure = send(&mut self.chain, payer, ixs, &[]).expect_err("must fail");
        assert_eq!(custom_error(&failure), Some(code), "{:#?}", failure.logs);
        let after = snapshot(&self.chain, 5_000);
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            assert!(
                b == a,
                "a rejected transaction changed {} (payer {}): {:?} -> {:?}",
                watched[i],
                payer.pubkey(),
                b.as_ref().map(|x| x.0),
                a.as_ref().map(|x| x.0)
            );
        }
    }

    /// Every account a claim or crank could move.
    fn watched(&self, hour: u64) -> Vec<Pubkey> {
        let mut v = vec![
            self.work.pool,
            self.work.token_vault,
            self.net.pool.reward_vault,
            work_hour_pda(&self.work.pool, hour),
            self.client.key.pubkey(),
            self.client.token,
            self.cranker.pubkey(),
        ];
        for p in &self.providers {
            v.push(p.token);
            v.push(provider_work_pda(&self.work.pool, &p.key.pubkey(), hour));
        }
        v
    }
}

/// Anchor's `AccountNotInitialized`: a record that was claimed (closed).
const ACCOUNT_NOT_INITIALIZED: u32 = 3_012;

fn code(e: EmissionsError) -> u32 {
    u32::from(e)
}

fn market_code(e: MarketError) -> u32 {
    u32::from(e)
}

/// Burn of a settled price at the default economics (20 %).
fn burn(price: u64) -> u64 {
    price * 2_000 / 10_000
}

#[test]
fn an_hours_receipt_goes_to_its_providers_pro_rata_to_burn_and_the_rest_to_the_destination() {
    // Cap 100 %: a burn of 2 × 3 + 4 tokens in hour 0 against 30 tokens received for it.
    let mut w = world(10_000);
    let logs = w.settle(0, 10_000_000);
    let rec: WorkRecorded = em::event(&logs);
    assert_eq!((rec.hour, rec.burned, rec.hour_burned), (0, burn(10_000_000), burn(10_000_000)));
    w.settle(0, 20_000_000);
    w.settle(1, 20_000_000);
    let burned = [burn(30_000_000), burn(20_000_000)];
    let total: u64 = burned.iter().sum();
    assert_eq!(w.work.hour(&w.chain, 0).unwrap().burned, total);
    assert_eq!(w.work.work(&w.chain, &w.provider(0), 0).unwrap().burned, burned[0]);

    // The first crank starts following the vault (created after the pool); then, too early:
    // the hour is not over, so the vault has not paid it.
    let cranker = w.cranker.insecure_clone();
    w.crank(1);
    assert!(w.pool().started);
    assert_eq!(w.pool().cursor_hours, 0);
    let watched = w.watched(0);
    let ix = w.work.crank(&w.chain, 1);
    w.rejects(&cranker, &[ix], code(EmissionsError::WorkPoolCaughtUp), &watched);
    let ix = w.work.claim(
        &w.chain,
        &cranker.pubkey(),
        &w.provider(0),
        &w.providers[0].token,
        0,
        &cranker.pubkey(),
    );
    w.rejects(&cranker, &[ix], code(EmissionsError::WorkHourNotFinalized), &watched);

    w.chain.warp(HOUR);
    w.emit();
    let received = w.paid_to_pool();
    assert_eq!(received, RATE * u64::from(WORK_SHARE) / 10_000);
    let destination_before = w.balance(&w.net.pool.reward_vault);
    let logs = w.crank(1);
    let fin: WorkHourFinalized = em::event(&logs);
    assert_eq!((fin.emission, fin.burned), (received, total));
    // The burn (10 tokens) is below the receipt (30): the cap of 100 % of the burn binds.
    assert_eq!(fin.distributable, total);
    assert!(fin.cap_binding);
    assert_eq!(w.balance(&w.net.pool.reward_vault) - destination_before, received - total);

    // Claims: the provider's share, whoever sends them; the record's rent back to the client.
    let client_lamports = w.chain.get_balance(&w.client.key.pubkey());
    let rent =
        w.chain.get_account(&provider_work_pda(&w.work.pool, &w.provider(0), 0)).unwrap().lamports;
    let before = w.balance(&w.providers[0].token);
    let logs = w.claim(0, 0);
    let c: WorkRewardClaimed = em::event(&logs);
    assert_eq!(c.amount, work::claim(total, burned[0], total).unwrap());
    assert_eq!(w.balance(&w.providers[0].token) - before, c.amount);
    assert_eq!(w.chain.get_balance(&w.client.key.pubkey()), client_lamports + rent);
    // Nothing is paid twice: the record is gone, a second claim is refused and moves nothing.
    let watched = w.watched(0);
    let again = w.work.claim(
        &w.chain,
        &cranker.pubkey(),
        &w.provider(0),
        &w.providers[0].token,
        0,
        &cranker.pubkey(),
    );
    w.rejects(&cranker, &[again], ACCOUNT_NOT_INITIALIZED, &watched);
    assert_eq!(w.pool().total_claimed, c.amount);

    // The last claim of the hour leaves its dust to the destination, exactly.
    let logs = w.claim(1, 0);
    let last: WorkRewardClaimed = em::event(&logs);
    assert_eq!(c.amount + last.amount + last.dust, total);
    let hour = w.work.hour(&w.chain, 0).unwrap();
    assert_eq!(hour.claimed_burn, hour.burned);
    let pool = w.pool();
    assert_eq!(pool.reserved, 0);
    assert_eq!(pool.owed_to_destination, last.dust);
    // Every token the pool received is accounted for.
    assert_eq!(pool.total_received, received);
    assert_eq!(pool.total_claimed + pool.total_to_destination + pool.owed_to_destination, received);
    assert_eq!(w.balance(&w.work.token_vault), pool.owed_to_destination);

    // A closed hour returns its rent to whoever paid it (the first settlement's client).
    let rent_payer = hour.rent_payer;
    assert_eq!(rent_payer, w.client.key.pubkey());
    let ix = w.work.close_hour(0, &rent_payer);
    send(&mut w.chain, &cranker, &[ix], &[]).expect("close_work_hour");
    assert!(w.work.hour(&w.chain, 0).is_none());
}

#[test]
fn the_cap_limits_rewards_to_a_share_of_the_burn_and_hours_without_work_pay_the_destination() {
    // Cap 50 %: one provider burns 40 tokens; the hour's receipt is 30; it gets 20.
    let mut w = world(5_000);
    w.settle(2, 200_000_000);
    w.chain.warp(3 * HOUR);
    w.emit();
    let received = w.paid_to_pool();
    let destination_before = w.balance(&w.net.pool.reward_vault);
    let logs = w.crank(3);
    let fin: WorkHourFinalized = em::event(&logs);
    assert_eq!(fin.distributable, burn(200_000_000) / 2);
    assert!(fin.distributable < fin.emission);
    // Hours 1 and 2 had no work: all of them, and what hour 0 left, went to the destination.
    assert_eq!(
        w.balance(&w.net.pool.reward_vault) - destination_before,
        received - fin.distributable
    );
    let before = w.balance(&w.providers[2].token);
    w.claim(2, 0);
    assert_eq!(w.balance(&w.providers[2].token) - before, burn(200_000_000) / 2);
    assert_eq!(w.balance(&w.work.token_vault), 0);
    let pool = w.pool();
    assert_eq!(pool.total_claimed + pool.total_to_destination, pool.total_received);
    assert_eq!(pool.total_received, received);
}

#[test]
fn when_the_crank_runs_does_not_change_what_an_hour_is_paid() {
    // Same work in hours 0..8; one pool is emitted and cranked every hour, the other once.
    let burns: [u64; 8] = [3, 0, 7, 1, 0, 0, 12, 5];
    let mut hourly = world(10_000);
    let mut once = world(10_000);
    for (h, b) in burns.iter().enumerate() {
        for w in [&mut hourly, &mut once] {
            if *b > 0 {
                w.settle(h % 3, b * 5_000_000);
            }
            w.chain.warp(HOUR);
        }
        hourly.emit();
        hourly.crank(1);
    }
    once.emit();
    once.crank(8);
    let mut totals = [0u64; 2];
    for (h, b) in burns.iter().enumerate() {
        let h = h as u64;
        match (hourly.work.hour(&hourly.chain, h), once.work.hour(&once.chain, h)) {
            (Some(a), Some(o)) => {
                assert!(*b > 0);
                assert!(
                    a.emission.abs_diff(o.emission) <= 2,
                    "hour {h}: {} vs {}",
                    a.emission,
                    o.emission
                );
                totals[0] += a.emission;
                totals[1] += o.emission;
            }
            (None, None) => assert_eq!(*b, 0),
            _ => panic!("hour {h} recorded in one world only"),
        }
    }
    // Whatever the timing, everything received is either reserved for an hour or delivered.
    for w in [&hourly, &once] {
        let pool = w.pool();
        assert_eq!(pool.total_received, w.paid_to_pool());
        assert_eq!(pool.reserved + pool.total_to_destination, pool.total_received);
    }
    assert_eq!(hourly.pool().total_received, once.pool().total_received);
}

#[test]
fn every_wrong_account_or_signer_is_refused_by_name_and_nothing_moves() {
    let mut w = world(10_000);
    let client = w.client.key.insecure_clone();
    let job = w.submitted(0, 10_000_000);
    let mut watched = w.watched(0);
    watched.extend([job, w.providers[0].token]);
    let c = client.pubkey();
    let p = w.providers[0].key.pubkey();
    let plain = w.net.settle(&c, None, &job, &w.market, &p, &w.providers[0].token);

    // A market with a pool needs its accounts: without them, the settlement is refused.
    let missing = std::slice::from_ref(&plain);
    w.rejects(&client, missing, market_code(MarketError::WorkAccountsMissing), &watched);
    // Another pool (same mint, same recorder) is not the market's.
    let other = WorkPoolFx::new(w.net.pool.mint, 2, 1, w.net.pool.reward_vault);
    let admin = w.net.admin().insecure_clone();
    send(&mut w.chain, &admin, &[other.create(&admin.pubkey(), 10_000, work_recorder_pda())], &[])
        .unwrap();
    let ix = other.attach(&w.chain, plain.clone(), &p, &c);
    w.rejects(&client, &[ix], market_code(MarketError::WrongWorkPool), &watched);
    // The record of another hour, or of another provider.
    let mut ix = w.work.attach(&w.chain, plain.clone(), &p, &c);
    let n = ix.accounts.len();
    ix.accounts[n - 6].pubkey = work_hour_pda(&w.work.pool, 1);
    w.rejects(&client, &[ix], code(EmissionsError::WrongWorkHour), &watched);
    let mut ix = w.work.attach(&w.chain, plain.clone(), &p, &c);
    ix.accounts[n - 5].pubkey = provider_work_pda(&w.work.pool, &w.provider(1), 0);
    w.rejects(&client, &[ix], code(EmissionsError::WrongProviderWork), &watched);

    // Nobody but the market's recorder PDA can record a burn.
    let forged = Instruction {
        program_id: crucible_emissions::ID,
        accounts: anchor_lang::ToAccountMetas::to_account_metas(
            &crucible_emissions::accounts::RecordBurn {
                recorder: c,
                payer: c,
                pool: w.work.pool,
                emission_vault: w.work.emission_vault,
                work_hour: work_hour_pda(&w.work.pool, 0),
                provider_work: provider_work_pda(&w.work.pool, &c, 0),
                system_program: solana_sdk_ids::system_program::ID,
            },
            None,
        ),
        data: anchor_lang::InstructionData::data(&crucible_emissions::instruction::RecordBurn {
            provider: c,
            burned: 1_000_000_000,
        }),
    };
    w.rejects(&client, &[forged], code(EmissionsError::NotTheRecorder), &watched);

    // The settlement itself goes through with the right accounts.
    let ix = w.work.attach(&w.chain, plain, &p, &c);
    send(&mut w.chain, &client, &[ix], &[]).expect("complete_job");
    w.chain.warp(HOUR);
    w.emit();

    // A crank that names a wrong address for an hour with burns (to skip it) is refused.
    let cranker = w.cranker.insecure_clone();
    let mut ix = w.work.crank(&w.chain, 1);
    let last = ix.accounts.len() - 1;
    ix.accounts[last].pubkey = Keypair::new().pubkey();
    let watched = w.watched(0);
    w.rejects(&cranker, &[ix], code(EmissionsError::WorkHoursMismatch), &watched);
    w.crank(1);

    // Claims: to an account the provider does not own; with another rent payer.
    let ix = w.work.claim(&w.chain, &cranker.pubkey(), &p, &w.client.token, 0, &c);
    w.rejects(&cranker, &[ix], code(EmissionsError::WrongProviderAccount), &watched);
    let mut ix = w.work.claim(&w.chain, &cranker.pubkey(), &p, &w.providers[0].token, 0, &c);
    ix.accounts[5].pubkey = cranker.pubkey();
    w.rejects(&cranker, &[ix], code(EmissionsError::WrongRentPayer), &watched);
    // An hour with unclaimed burn cannot be closed.
    let ix = w.work.close_hour(0, &c);
    w.rejects(&cranker, &[ix], code(EmissionsError::WorkHourHasClaims), &watched);
    w.claim(0, 0);
}

#[test]
fn a_pool_is_bounded_at_creation_and_a_market_takes_only_its_own_kind() {
    let mut w = world(10_000);
    let admin = w.net.admin().insecure_clone();
    let watched = [admin.pubkey()];
    for cap in [0u16, 10_001] {
        let p = WorkPoolFx::new(w.net.pool.mint, 9, 1, w.net.pool.reward_vault);
        let ix = p.create(&admin.pubkey(), cap, work_recorder_pda());
        w.rejects(&admin, &[ix], code(EmissionsError::InvalidWorkCap), &watched);
    }
    // A destination of another mint.
    let other_mint = Keypair::new();
    testing::create_mint(&mut w.chain, &admin, &other_mint, &admin.pubkey(), 6).unwrap();
    let foreign =
        testing::create_token_account(&mut w.chain, &admin, &other_mint.pubkey(), &admin.pubkey())
            .unwrap();
    let p = WorkPoolFx::new(w.net.pool.mint, 9, 1, foreign);
    let ix = p.create(&admin.pubkey(), 10_000, work_recorder_pda());
    w.rejects(&admin, &[ix], code(EmissionsError::WrongWorkDestination), &watched);
    // A market refuses a pool whose recorder is not the market program's PDA.
    let p = WorkPoolFx::new(w.net.pool.mint, 10, 1, w.net.pool.reward_vault);
    send(&mut w.chain, &admin, &[p.create(&admin.pubkey(), 10_000, admin.pubkey())], &[]).unwrap();
    let ix = w.net.create_market_with_work(&admin.pubkey(), 2, default_params(), p.pool);
    w.rejects(
        &admin,
        &[ix],
        market_code(MarketError::InvalidWorkPool),
        &[admin.pubkey(), market_pda(2)],
    );
    // A pool created after its vault follows it from its next unpaid hour.
    w.chain.warp(5 * HOUR);
    w.emit();
    let late = WorkPoolFx::new(w.net.pool.mint, 11, 1, w.net.pool.reward_vault);
    send(&mut w.chain, &admin, &[late.create(&admin.pubkey(), 10_000, work_recorder_pda())], &[])
        .unwrap();
    let s = late.state(&w.chain);
    assert!(s.started);
    assert_eq!((s.cursor_hours, s.range_end), (5, 5));
}

#[test]
fn settlements_never_fail_for_the_pools_sake() {
    let mut w = world(10_000);
    // Anyone can send lamports to the next hour's record address: the record is still created.
    let hour_record = work_hour_pda(&w.work.pool, 0);
    let cranker = w.cranker.insecure_clone();
    let tip =
        solana_system_interface::instruction::transfer(&cranker.pubkey(), &hour_record, 1_000);
    send(&mut w.chain, &cranker, &[tip], &[]).unwrap();
    let work_record = provider_work_pda(&w.work.pool, &w.provider(0), 0);
    let tip =
        solana_system_interface::instruction::transfer(&cranker.pubkey(), &work_record, 1_000);
    send(&mut w.chain, &cranker, &[tip], &[]).unwrap();
    w.settle(0, 10_000_000);
    assert_eq!(w.work.hour(&w.chain, 0).unwrap().burned, burn(10_000_000));

    // Revoked vault: the settlement goes through and records nothing.
    let admin = w.net.admin().insecure_clone();
    let ix = w.vault.revoke(
        &admin.pubkey(),
        &w.net.treasury,
        &[w.net.pool.reward_vault, w.work.token_vault],
    );
    send(&mut w.chain, &admin, &[ix], &[]).expect("revoke");
    w.chain.warp(HOUR);
    let logs = w.settle(1, 10_000_000);
    let skipped: Vec<WorkNotRecorded> = events(&logs);
    assert_eq!(skipped.len(), 1);
    assert!(w.work.hour(&w.chain, 1).is_none());
    // The hours of an ended vault still finalize (for what it paid), and claims pay.
    w.chain.warp(HOUR);
    w.crank(2);
    w.claim(0, 0);
    let pool = w.pool();
    assert_eq!(pool.reserved, 0);
    assert_eq!(
        pool.total_claimed + pool.total_to_destination + pool.owed_to_destination,
        pool.total_received
    );
}

/// The shared vectors of the pool's arithmetic, `tests/vectors/work.json`, which the SDK's
/// mirror is checked against (`tests/emissions.work.test.ts`). The test fails when the
/// committed file differs from what `crucible_emissions::work` computes; `UPDATE_VECTORS=1`
/// rewrites it (then `npx prettier --write tests/vectors/work.json`).
#[test]
fn the_committed_work_vectors_are_what_the_program_math_computes() {
    use serde_json::{json, Value};
    let mut rng = support::Rng(1_515);
    let mut hours = Vec::new();
    for _ in 0..60 {
        let weight = rng.below(1 << 40);
        let after = if weight == 0 { 0 } else { rng.below(weight + 1) };
        let before = if after == 0 { 0 } else { rng.below(after + 1) };
        let amount = rng.below(u64::MAX);
        let e = work::hour_emission(amount, before, after, weight).unwrap();
        hours.push(json!({
            "amount": amount.to_string(), "before": before.to_string(),
            "after": after.to_string(), "weight": weight.to_string(), "emission": e.to_string(),
        }));
    }
    let mut claims = Vec::new();
    for i in 0..60 {
        let cap_bps = if i < 3 { [1, 5_000, 10_000][i] } else { 1 + rng.below(10_000) as u16 };
        let burned = 1 + rng.below(u64::MAX - 1);
        let own = 1 + rng.below(burned);
        let emission = rng.below(u64::MAX);
        let d = work::distributable(emission, burned, cap_bps).unwrap();
        let c = work::claim(d, own, burned).unwrap();
        claims.push(json!({
            "emission": emission.to_string(), "burned": burned.to_string(), "capBps": cap_bps,
            "own": own.to_string(), "distributable": d.to_string(), "claim": c.to_string(),
        }));
    }
    let fresh = json!({
        "comment": "Generated by programs/emissions/tests/work_rewards.rs from crucible_emissions::work, the code crank_work_pool and claim_work_reward run (UPDATE_VECTORS=1 cargo test --manifest-path localnet/Cargo.toml -p crucible-program-tests --test work_rewards, then npx prettier --write tests/vectors/work.json); do not edit. Integers are decimal strings.",
        "hours": hours,
        "claims": claims,
    });
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/work.json");
    if std::env::var("UPDATE_VECTORS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, serde_json::to_string_pretty(&fresh).unwrap() + "\n").unwrap();
        return;
    }
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_VECTORS=1)", path.display())),
    )
    .expect("JSON");
    assert!(committed == fresh, "{} differs: run with UPDATE_VECTORS=1", path.display());
}

/// The pool's destination is the staking pool's reward vault, which it pays late (when it is
/// cranked) for hours already over. Registered as the pool's reward source, it keeps a stake
/// that arrives meanwhile from sharing them: activation waits until the pool is caught up, and a
/// bundle that cranks then activates syncs the payment before the new weight counts.
#[test]
fn a_stake_activated_while_the_pool_is_behind_does_not_share_what_it_pays_late() {
    use crucible_staking::{error::StakingError, state::StakePool};
    let mut w = world(5_000);
    let admin = w.net.admin().insecure_clone();
    let pool = &w.net.pool;
    let add_vault = pool.add_reward_source(&admin.pubkey(), &w.vault.vault);
    let add_work = pool.add_reward_source(&admin.pubkey(), &w.work.pool);
    send(&mut w.chain, &admin, &[add_vault, add_work], &[]).expect("add_reward_source");
    // A work pool's destination is fixed: it stays registered.
    let ix = pool.remove_reward_source(&admin.pubkey(), &w.work.pool);
    let watched = [w.net.pool.pool];
    w.rejects(&admin, &[ix], u32::from(StakingError::RewardSourceStillPaying), &watched);

    w.settle(0, 100_000_000);
    let attacker = w.net.provider(&mut w.chain, 50_000_000, 0);
    w.chain.warp(StakePool::WARMUP_SECS as u64 + HOUR);
    w.emit();
    let a = attacker.key.insecure_clone();
    let sources = [w.vault.vault, w.work.pool];
    let activate = w.net.pool.activate_stake(&a.pubkey(), &sources);
    // The pool has hours the vault paid that it has not delivered yet: activation waits.
    let watched = [w.net.pool.pool, stake_of(&w, &a.pubkey())];
    let early = std::slice::from_ref(&activate);
    w.rejects(&a, early, u32::from(StakingError::RewardSourceBehind), &watched);
    // Crank and activate in one transaction: the late payment is synced before the weight.
    let destination_before = w.balance(&w.net.pool.reward_vault);
    let crank = w.work.crank(&w.chain, 24);
    send(&mut w.chain, &a, &[crank, activate], &[]).expect("crank, then activate");
    assert!(w.balance(&w.net.pool.reward_vault) > destination_before, "the pool paid late");
    let claim = w.net.pool.claim_rewards(&a.pubkey(), &attacker.token);
    let watched = [attacker.token, w.net.pool.reward_vault];
    w.rejects(&a, &[claim], u32::from(StakingError::NothingToClaim), &watched);
}

fn stake_of(w: &W, owner: &Pubkey) -> Pubkey {
    support::staking::stake_pda(&w.net.pool.pool, owner)
}
