//! Compute-unit measurements for `npm run bench` (ignored by `cargo test`; bench/compute-units.ts
//! runs it under valgrind's callgrind and reads the `CU_JSON` line it prints; the method is in
//! bench/README.md, "Compute units").
//!
//! Every instruction of the three programs runs once in its most expensive valid shape (eight
//! recipients, eight reward sources, `MAX_PERIODS_PER_CALL` decay periods, every payout and
//! slash, accounts created), alone in its transaction. For each, the glue's tally gives what
//! its syscalls cost on chain and what the runtime charged its CPIs' callees; callgrind, told to
//! dump at each `crucible_cu_checkpoint` call, gives the host instructions of the program's own
//! code in between. The calibration runs the same SPL Token-2022 instructions twice: as the
//! SBF binary (metered by the runtime) and natively from the crate's source, in the same glue.

use crucible_program_tests as support;

use anchor_spl::{token::spl_token, token_2022::spl_token_2022};
use crucible_localnet::{
    native::{take_tally, Tally},
    spl,
    testing::{self, SOL},
    Localnet,
};
use crucible_market::ResolveDisputeArgs;
use crucible_staking::state::{JobOutcome, StakePool};
use serde_json::{json, Value};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use support::{
    emissions::{self as em, args, recipients, World, DELAY, HOUR},
    market::{collateral_pda, default_params, fee_vault_pda, job_pda, market_pda, Network},
    staking::{pool_pda, reward_vault_pda, stake_vault_pda, Pool},
    work::{work_recorder_pda, WorkPoolFx},
};

crucible_localnet::native_program!(Token2022Native, spl_token_2022::processor::Processor::process);

/// Where callgrind dumps its counts (`--dump-before=*crucible_cu_checkpoint*`): the counts of
/// dump n are those since checkpoint n - 1.
#[inline(never)]
fn crucible_cu_checkpoint(label: &str) {
    std::hint::black_box(label);
}

fn tally_json(t: &Tally) -> Value {
    let c = |c: &crucible_localnet::native::meter::Count| json!([c.calls, c.units]);
    json!({
        "log": c(&t.log), "logData": c(&t.log_data), "invoke": c(&t.invoke),
        "sysvar": c(&t.sysvar), "returnData": c(&t.return_data), "other": c(&t.other),
        "syscallUnits": t.syscall_units(), "calleeUnits": t.callee_units,
    })
}

/// The measurements of one run, in checkpoint order.
#[derive(Default)]
struct Recorder {
    checkpoints: Vec<String>,
    rows: Vec<Value>,
}

impl Recorder {
    fn checkpoint(&mut self, label: &str) -> usize {
        self.checkpoints.push(label.to_string());
        crucible_cu_checkpoint(label);
        self.checkpoints.len()
    }

    /// Sends `ix` alone in a transaction (it must succeed) and records it as `group` /
    /// `name` (`variant` tells shapes of one instruction apart).
    #[allow(clippy::too_many_arguments)]
    fn measure(
        &mut self,
        chain: &mut Localnet,
        group: &str,
        name: &str,
        variant: &str,
        payer: &Keypair,
        ix: Instruction,
        signers: &[&Keypair],
    ) -> Vec<String> {
        self.checkpoint("setup");
        take_tally();
        let message =
            Message::new_with_blockhash(&[ix], Some(&payer.pubkey()), &chain.latest_blockhash());
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend(signers.iter().copied().filter(|s| s.pubkey() != payer.pubkey()));
        let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &all)
            .expect("the signers cover the message");
        let result = chain.send_transaction(tx);
        let tally = take_tally();
        let label = format!("{group}.{name}.{variant}");
        let dump = self.checkpoint(&label);
        let signature = result.unwrap_or_else(|f| panic!("{label}: {:?}\n{:#?}", f.err, f.logs));
        let record = chain.transaction(&signature).expect("recorded");
        self.rows.push(json!({
            "group": group, "instruction": name, "variant": variant, "dump": dump,
            "txUnits": record.meta.compute_units_consumed, "tally": tally_json(&tally),
        }));
        record.meta.logs.clone()
    }
}

fn funded(chain: &mut Localnet) -> Keypair {
    em::funded(chain)
}

// --- calibration: SPL Token-2022 as SBF and natively; SPL Token as a check ------------------

crucible_localnet::native_program!(TokenNative, spl_token::processor::Processor::process);

/// The same token instructions in a fresh chain, with the program at `id` either its SBF
/// binary or (`native`) the crate's processor through the glue. SPL Token-2022 gives the
/// calibration; SPL Token (binary 3.5.0, crate 8.0.0) is left out of it and checks the
/// estimates against units measured on SBF. The instructions are built with Token-2022's
/// builders, which encode the base instructions identically for both programs.
fn token_run(rec: &mut Recorder, group: &str, id: Pubkey, native: bool) {
    let mut chain = Localnet::new();
    match (native, id == spl::TOKEN_2022) {
        (false, _) => {}
        (true, true) => chain.add_native_program(id, Token2022Native::vm),
        (true, false) => chain.add_native_program(id, TokenNative::vm),
    }
    let payer = Keypair::new();
    chain.airdrop(&payer.pubkey(), 100 * SOL).unwrap();
    let p = payer.pubkey();
    let create = |chain: &mut Localnet, account: &Keypair, space: usize| {
        let rent = chain.minimum_balance_for_rent_exemption(space);
        let ix = solana_system_interface::instruction::create_account(
            &p,
            &account.pubkey(),
            rent,
            space as u64,
            &id,
        );
        testing::send(chain, &payer, &[ix], &[account]).unwrap();
    };
    let mint = Keypair::new();
    create(&mut chain, &mint, 82);
    let m = mint.pubkey();
    let ix = spl_token_2022::instruction::initialize_mint2(&id, &m, &p, Some(&p), 6).unwrap();
    rec.measure(&mut chain, group, "initialize_mint2", "", &payer, ix, &[]);
    let [a, b, c] = [Keypair::new(), Keypair::new(), Keypair::new()];
    for k in [&a, &b, &c] {
        create(&mut chain, k, 165);
    }
    let ix = spl_token_2022::instruction::initialize_account3(&id, &a.pubkey(), &m, &p).unwrap();
    rec.measure(&mut chain, group, "initialize_account3", "", &payer, ix, &[]);
    let ix = spl_token_2022::instruction::initialize_account3(&id, &b.pubkey(), &m, &p).unwrap();
    testing::send(&mut chain, &payer, &[ix], &[]).unwrap();
    let ix = spl_token_2022::instruction::initialize_account3(&id, &c.pubkey(), &m, &p).unwrap();
    testing::send(&mut chain, &payer, &[ix], &[]).unwrap();
    let (a, b, c) = (a.pubkey(), b.pubkey(), c.pubkey());
    let ix =
        spl_token_2022::instruction::mint_to_checked(&id, &m, &a, &p, &[], 1_000_000, 6).unwrap();
    rec.measure(&mut chain, group, "mint_to_checked", "", &payer, ix, &[]);
    #[allow(deprecated)]
    let ix = spl_token_2022::instruction::mint_to(&id, &m, &a, &p, &[], 1_000).unwrap();
    rec.measure(&mut chain, group, "mint_to", "", &payer, ix, &[]);
    let ix =
        spl_token_2022::instruction::transfer_checked(&id, &a, &m, &b, &p, &[], 500, 6).unwrap();
    rec.measure(&mut chain, group, "transfer_checked", "", &payer, ix, &[]);
    #[allow(deprecated)]
    let ix = spl_token_2022::instruction::transfer(&id, &a, &b, &p, &[], 500).unwrap();
    rec.measure(&mut chain, group, "transfer", "", &payer, ix, &[]);
    let delegate = Keypair::new().pubkey();
    let ix = spl_token_2022::instruction::approve(&id, &a, &delegate, &p, &[], 10).unwrap();
    rec.measure(&mut chain, group, "approve", "", &payer, ix, &[]);
    let ix = spl_token_2022::instruction::approve_checked(&id, &a, &m, &delegate, &p, &[], 20, 6)
        .unwrap();
    rec.measure(&mut chain, group, "approve_checked", "", &payer, ix, &[]);
    let ix = spl_token_2022::instruction::revoke(&id, &a, &p, &[]).unwrap();
    rec.measure(&mut chain, group, "revoke", "", &payer, ix, &[]);
    let ix = spl_token_2022::instruction::burn_checked(&id, &a, &m, &p, &[], 100, 6).unwrap();
    rec.measure(&mut chain, group, "burn_checked", "", &payer, ix, &[]);
    #[allow(deprecated)]
    let ix = spl_token_2022::instruction::burn(&id, &a, &m, &p, &[], 100).unwrap();
    rec.measure(&mut chain, group, "burn", "", &payer, ix, &[]);
    let ix = spl_token_2022::instruction::freeze_account(&id, &b, &m, &p, &[]).unwrap();
    rec.measure(&mut chain, group, "freeze_account", "", &payer, ix, &[]);
    let ix = spl_token_2022::instruction::thaw_account(&id, &b, &m, &p, &[]).unwrap();
    rec.measure(&mut chain, group, "thaw_account", "", &payer, ix, &[]);
    let new_owner = Keypair::new().pubkey();
    let ix = spl_token_2022::instruction::set_authority(
        &id,
        &a,
        Some(&new_owner),
        spl_token_2022::instruction::AuthorityType::CloseAccount,
        &p,
        &[],
    )
    .unwrap();
    rec.measure(&mut chain, group, "set_authority", "", &payer, ix, &[]);
    let ix = spl_token_2022::instruction::close_account(&id, &c, &p, &p, &[]).unwrap();
    rec.measure(&mut chain, group, "close_account", "", &payer, ix, &[]);
}

// --- staking --------------------------------------------------------------------------------

/// A staking pool (its locker a key) with eight emission vaults paying its reward vault.
struct StakingWorld {
    pool: Pool,
    sources: World,
    vaults: Vec<em::Vault>,
}

const UNIT: u64 = 1_000_000;

fn staking(rec: &mut Recorder) {
    let mut chain = Localnet::new();
    let admin = Keypair::new();
    chain.airdrop(&admin.pubkey(), 1_000 * SOL).unwrap();
    let mint = Keypair::new();
    testing::create_mint(&mut chain, &admin, &mint, &admin.pubkey(), 6).unwrap();
    let pool = pool_pda(&mint.pubkey());
    let pool = Pool {
        mint: mint.pubkey(),
        pool,
        stake_vault: stake_vault_pda(&pool),
        reward_vault: reward_vault_pda(&pool),
        admin,
        locker: Keypair::new(),
    };
    let a = pool.admin.insecure_clone();
    let ix = pool.init_pool(&a.pubkey(), 100, 3_600, pool.locker.pubkey());
    rec.measure(&mut chain, "staking", "init_pool", "", &a, ix, &[]);
    chain.airdrop(&pool.locker.pubkey(), SOL).unwrap();

    // Eight emission vaults paying the reward vault: the most reward sources a pool takes.
    let funding = testing::create_token_account(&mut chain, &a, &pool.mint, &a.pubkey()).unwrap();
    testing::mint_to(&mut chain, &a, &pool.mint, &funding, 1_000_000_000 * UNIT).unwrap();
    let sources = World { authority: a.insecure_clone(), mint: pool.mint, source: funding };
    let schedule = crucible_emissions::math::Schedule {
        initial_per_hour: 1_000 * UNIT,
        decay_bps: 100,
        period_hours: 24,
        cap: 10_000_000 * UNIT,
    };
    let start = em::now(&chain);
    let vaults: Vec<em::Vault> = (1..=8)
        .map(|id| {
            sources
                .create(
                    &mut chain,
                    args(id, start, schedule, recipients(&[pool.reward_vault], &[10_000])),
                )
                .unwrap()
        })
        .collect();
    let w = StakingWorld { pool, sources, vaults };
    let p = &w.pool;
    for v in &w.vaults[..7] {
        testing::send(&mut chain, &a, &[p.add_reward_source(&a.pubkey(), &v.vault)], &[]).unwrap();
    }
    let ix = p.add_reward_source(&a.pubkey(), &w.vaults[7].vault);
    rec.measure(&mut chain, "staking", "add_reward_source", "8th", &a, ix, &[]);
    let vault_keys: Vec<Pubkey> = w.vaults.iter().map(|v| v.vault).collect();

    // A provider: first stake creates its account.
    let owner = Keypair::new();
    let source = p.provider(&mut chain, &owner, 1_000 * UNIT);
    let ix = p.stake(&owner.pubkey(), &source, 500 * UNIT);
    rec.measure(&mut chain, "staking", "stake", "first", &owner, ix, &[]);
    let ix = p.stake(&owner.pubkey(), &source, 100 * UNIT);
    rec.measure(&mut chain, "staking", "stake", "again", &owner, ix, &[]);
    chain.warp(StakePool::WARMUP_SECS as u64);
    // Activation reads every source (each must have paid every hour due).
    for v in &w.vaults {
        testing::send(&mut chain, &a, &[v.emit(&[p.reward_vault])], &[]).unwrap();
    }
    let ix = p.activate_stake(&owner.pubkey(), &vault_keys);
    rec.measure(&mut chain, "staking", "activate_stake", "8 sources", &owner, ix, &[]);
    chain.warp(3 * HOUR);
    for v in &w.vaults {
        testing::send(&mut chain, &a, &[v.emit(&[p.reward_vault])], &[]).unwrap();
    }
    let ix = p.sync_rewards();
    rec.measure(&mut chain, "staking", "sync_rewards", "", &a, ix, &[]);
    let ix = p.claim_rewards(&owner.pubkey(), &source);
    rec.measure(&mut chain, "staking", "claim_rewards", "", &owner, ix, &[]);

    // Collateral: lock, unlock, slash to an account and by burning.
    let l = p.locker.insecure_clone();
    let ix = p.lock(&l.pubkey(), &owner.pubkey(), 50 * UNIT);
    rec.measure(&mut chain, "staking", "lock_collateral", "", &l, ix, &[]);
    let ix = p.unlock(&l.pubkey(), &owner.pubkey(), 10 * UNIT, JobOutcome::Failed);
    rec.measure(&mut chain, "staking", "unlock_collateral", "", &l, ix, &[]);
    let ix = p.slash(&l.pubkey(), &owner.pubkey(), 10 * UNIT, Some(source));
    rec.measure(&mut chain, "staking", "slash", "to account", &l, ix, &[]);
    let ix = p.slash(&l.pubkey(), &owner.pubkey(), 10 * UNIT, None);
    rec.measure(&mut chain, "staking", "slash", "burn", &l, ix, &[]);
    let ix = p.unlock(&l.pubkey(), &owner.pubkey(), 20 * UNIT, JobOutcome::Released);
    testing::send(&mut chain, &l, &[ix], &[]).unwrap();

    // Unstake, cancel, unstake, withdraw, close.
    let ix = p.request_unstake(&owner.pubkey(), 100 * UNIT);
    rec.measure(&mut chain, "staking", "request_unstake", "", &owner, ix, &[]);
    let ix = p.cancel_unstake(&owner.pubkey());
    rec.measure(&mut chain, "staking", "cancel_unstake", "", &owner, ix, &[]);
    let active = p.stake_of(&chain, &owner.pubkey()).unwrap().active;
    testing::send(&mut chain, &owner, &[p.request_unstake(&owner.pubkey(), active)], &[]).unwrap();
    chain.warp(3_600);
    let ix = p.withdraw(&owner.pubkey(), &source);
    rec.measure(&mut chain, "staking", "withdraw", "", &owner, ix, &[]);
    testing::send(&mut chain, &owner, &[p.claim_rewards(&owner.pubkey(), &source)], &[]).ok();
    let ix = p.close_stake(&owner.pubkey());
    rec.measure(&mut chain, "staking", "close_stake", "", &owner, ix, &[]);

    // Rewards that arrive while nobody is staked.
    chain.warp(2 * HOUR);
    for v in &w.vaults {
        testing::send(&mut chain, &a, &[v.emit(&[p.reward_vault])], &[]).unwrap();
    }
    let ix = p.sweep_unallocated(&a.pubkey(), &w.sources.source);
    rec.measure(&mut chain, "staking", "sweep_unallocated", "", &a, ix, &[]);

    // A source that ended (revoked, every hour paid) leaves the list of eight.
    let v = &w.vaults[0];
    testing::send(
        &mut chain,
        &a,
        &[v.revoke(&a.pubkey(), &w.sources.source, &[p.reward_vault])],
        &[],
    )
    .unwrap();
    let ix = p.remove_reward_source(&a.pubkey(), &v.vault);
    rec.measure(&mut chain, "staking", "remove_reward_source", "of 8", &a, ix, &[]);

    // Admin.
    let ix = p.update_pool(&a.pubkey(), Some(200), Some(7_200));
    rec.measure(&mut chain, "staking", "update_pool", "", &a, ix, &[]);
    let ix = p.set_paused(&a.pubkey(), true);
    rec.measure(&mut chain, "staking", "set_paused", "", &a, ix, &[]);
    testing::send(&mut chain, &a, &[p.set_paused(&a.pubkey(), false)], &[]).unwrap();
    let next = funded(&mut chain);
    let ix = p.propose_admin(&a.pubkey(), next.pubkey());
    rec.measure(&mut chain, "staking", "propose_admin", "", &a, ix, &[]);
    let ix = p.accept_admin(&next.pubkey());
    rec.measure(&mut chain, "staking", "accept_admin", "", &next, ix, &[]);
}

// --- market ---------------------------------------------------------------------------------

fn market(rec: &mut Recorder) {
    let mut chain = Localnet::new();
    let admin = Keypair::new();
    let pool = Pool::create_with_locker(
        &mut chain,
        admin,
        Keypair::new(),
        collateral_pda(),
        100,
        14 * 86_400,
    );
    let treasury =
        testing::create_token_account(&mut chain, &pool.admin, &pool.mint, &pool.admin.pubkey())
            .unwrap();
    let net = Network { pool, treasury, fee_vault: fee_vault_pda(), arbiter: Keypair::new() };
    chain.airdrop(&net.arbiter.pubkey(), SOL).unwrap();
    let a = net.admin().insecure_clone();
    let ix = net.init_config(&a.pubkey(), &net.treasury);
    rec.measure(&mut chain, "market", "init_config", "", &a, ix, &[]);
    let params = default_params();
    let name = "gpu-a100-80gb-sxm4-europe-west4".to_string();
    let ix = net.create_market_ix(&a.pubkey(), 1, &name, net.arbiter.pubkey(), params);
    rec.measure(&mut chain, "market", "create_market", "", &a, ix, &[]);
    let market = market_pda(1);
    let ix = net.update_market(&a.pubkey(), &market, params, net.arbiter.pubkey());
    rec.measure(&mut chain, "market", "update_market", "", &a, ix, &[]);
    let ix = net.set_market_paused(&a.pubkey(), &market, true);
    rec.measure(&mut chain, "market", "set_market_paused", "", &a, ix, &[]);
    testing::send(&mut chain, &a, &[net.set_market_paused(&a.pubkey(), &market, false)], &[])
        .unwrap();

    let client = net.party(&mut chain, 1_000_000_000);
    let provider = net.provider(&mut chain, 1_000_000_000, 0);
    let (c, pk) = (client.key.insecure_clone(), provider.key.insecure_clone());
    let cranker = funded(&mut chain);
    let mut nonce = 0u64;
    let mut job = |chain: &mut Localnet, rec: Option<&mut Recorder>| {
        nonce += 1;
        let ix = net.create_job(
            &c.pubkey(),
            &client.token,
            &market,
            nonce,
            1_000_000,
            3_600,
            Some(pk.pubkey()),
        );
        match rec {
            Some(rec) => {
                rec.measure(chain, "market", "create_job", "targeted", &c, ix, &[]);
            }
            None => {
                testing::send(chain, &c, &[ix], &[]).unwrap();
            }
        }
        job_pda(&market, &c.pubkey(), nonce)
    };
    let accept = |chain: &mut Localnet, j: &Pubkey| {
        testing::send(chain, &pk, &[net.accept_job(&pk.pubkey(), j, &market)], &[]).unwrap();
    };
    let submit = |chain: &mut Localnet, j: &Pubkey| {
        testing::send(chain, &pk, &[net.submit_result(&pk.pubkey(), j)], &[]).unwrap();
    };

    // The happy path, each step measured.
    let j = job(&mut chain, Some(rec));
    let ix = net.accept_job(&pk.pubkey(), &j, &market);
    rec.measure(&mut chain, "market", "accept_job", "", &pk, ix, &[]);
    let ix = net.submit_result(&pk.pubkey(), &j);
    rec.measure(&mut chain, "market", "submit_result", "", &pk, ix, &[]);
    let ix = net.settle(&c.pubkey(), None, &j, &market, &pk.pubkey(), &provider.token);
    rec.measure(&mut chain, "market", "complete_job", "", &c, ix, &[]);

    let j = job(&mut chain, None);
    let ix = net.cancel_job(&c.pubkey(), &client.token, &j, &market);
    rec.measure(&mut chain, "market", "cancel_job", "", &c, ix, &[]);

    // A USD-priced market, and a job posted on it against a Pyth price account.
    let usd = crucible_market::state::UsdPricing {
        feed_id: [9; 32],
        max_age_secs: 60,
        max_conf_bps: 100,
    };
    let ix =
        net.create_market_priced(&a.pubkey(), 2, &name, net.arbiter.pubkey(), params, Some(usd));
    rec.measure(&mut chain, "market", "create_market", "usd", &a, ix, &[]);
    let price = Pubkey::new_unique();
    let now = chain.clock().unix_timestamp;
    let update = crucible_common::pyth::PriceUpdateV2 {
        write_authority: Pubkey::new_unique(),
        verification_level: crucible_common::pyth::VerificationLevel::Full,
        price_message: crucible_common::pyth::PriceFeedMessage {
            feed_id: [9; 32],
            price: 50_000_000,
            conf: 100_000,
            exponent: -8,
            publish_time: now - 5,
            prev_publish_time: now - 6,
            ema_price: 50_000_000,
            ema_conf: 100_000,
        },
        posted_slot: chain.slot(),
    };
    let data = update.to_account_data().to_vec();
    let lamports = chain.minimum_balance_for_rent_exemption(data.len());
    chain.set_account(
        price,
        solana_account::Account {
            lamports,
            data,
            owner: crucible_common::pyth::RECEIVER_PROGRAM_ID,
            executable: false,
            rent_epoch: 0,
        },
    );
    let ix = net.create_job_usd(
        &c.pubkey(),
        &client.token,
        &market_pda(2),
        &price,
        1,
        12_500_000,
        u64::MAX,
        3_600,
    );
    rec.measure(&mut chain, "market", "create_job_usd", "", &c, ix, &[]);

    let j = job(&mut chain, None);
    accept(&mut chain, &j);
    submit(&mut chain, &j);
    chain.warp(params.dispute_window_secs + 1);
    let ix = net.settle(
        &c.pubkey(),
        Some(&cranker.pubkey()),
        &j,
        &market,
        &pk.pubkey(),
        &provider.token,
    );
    rec.measure(&mut chain, "market", "finalize_job", "", &cranker, ix, &[]);

    // Disputes: the arbiter splits and slashes (to the client, and burnt), or time decides.
    for (variant, to_client) in [("split, slash to client", true), ("split, slash burnt", false)] {
        let j = job(&mut chain, None);
        accept(&mut chain, &j);
        submit(&mut chain, &j);
        if to_client {
            let ix = net.dispute_job(&c.pubkey(), &j, &market);
            rec.measure(&mut chain, "market", "dispute_job", "", &c, ix, &[]);
        } else {
            testing::send(&mut chain, &c, &[net.dispute_job(&c.pubkey(), &j, &market)], &[])
                .unwrap();
        }
        let arbiter = net.arbiter.insecure_clone();
        let ix = net.resolve_dispute(
            &arbiter.pubkey(),
            &c.pubkey(),
            &client.token,
            &j,
            &market,
            &pk.pubkey(),
            &provider.token,
            ResolveDisputeArgs {
                provider_share_bps: 5_000,
                slash_amount: 1_000,
                slash_to_client: to_client,
            },
        );
        rec.measure(&mut chain, "market", "resolve_dispute", variant, &arbiter, ix, &[]);
    }
    let j = job(&mut chain, None);
    accept(&mut chain, &j);
    submit(&mut chain, &j);
    testing::send(&mut chain, &c, &[net.dispute_job(&c.pubkey(), &j, &market)], &[]).unwrap();
    chain.warp(params.arbitration_window_secs + 1);
    let ix = net.finalize_dispute(
        &cranker.pubkey(),
        &c.pubkey(),
        &client.token,
        &j,
        &market,
        &pk.pubkey(),
        &provider.token,
    );
    rec.measure(&mut chain, "market", "finalize_dispute", "", &cranker, ix, &[]);

    // A late quit (slashed), and an expiry (slashed).
    let j = job(&mut chain, None);
    accept(&mut chain, &j);
    chain.warp(params.quit_grace_secs + 1);
    let ix = net.quit_job(&pk.pubkey(), &j, &market, &client.token);
    rec.measure(&mut chain, "market", "quit_job", "late, slashed", &pk, ix, &[]);
    let j = job(&mut chain, None);
    accept(&mut chain, &j);
    chain.warp(2 * 3_600);
    let ix = net.reclaim_expired(
        &cranker.pubkey(),
        &c.pubkey(),
        &client.token,
        &j,
        &market,
        &pk.pubkey(),
    );
    rec.measure(&mut chain, "market", "reclaim_expired", "accepted, slashed", &cranker, ix, &[]);

    // Fees, treasury, admin.
    let ix = net.sweep_fees(&cranker.pubkey(), &net.treasury);
    rec.measure(&mut chain, "market", "sweep_fees", "", &cranker, ix, &[]);
    let treasury =
        testing::create_token_account(&mut chain, &a, &net.pool.mint, &a.pubkey()).unwrap();
    let ix = net.set_treasury(&a.pubkey(), &treasury);
    rec.measure(&mut chain, "market", "set_treasury", "", &a, ix, &[]);
    let next = funded(&mut chain);
    let ix = net.propose_admin(&a.pubkey(), next.pubkey());
    rec.measure(&mut chain, "market", "propose_admin", "", &a, ix, &[]);
    let ix = net.accept_admin(&next.pubkey());
    rec.measure(&mut chain, "market", "accept_admin", "", &next, ix, &[]);
}

// --- emissions ------------------------------------------------------------------------------

fn emissions(rec: &mut Recorder) {
    use crucible_emissions::{
        math::{Schedule, MAX_PERIODS_PER_CALL},
        state::MAX_RECIPIENTS,
    };
    let mut chain = Localnet::new();
    let w = World::new(&mut chain, u64::MAX / 4);
    let a = w.authority.insecure_clone();
    let owners: Vec<Keypair> = (0..MAX_RECIPIENTS).map(|_| funded(&mut chain)).collect();
    let payees: Vec<Pubkey> =
        owners.iter().map(|o| w.account_of(&mut chain, &o.pubkey())).collect();
    let shares = [1_250u16; MAX_RECIPIENTS];
    // Hourly decay periods, a rate that stays above zero and a cap far away: one emit crosses
    // as many periods as a call may.
    let schedule = Schedule {
        initial_per_hour: 1_000_000 * em::TOKEN,
        decay_bps: 1,
        period_hours: 1,
        cap: u64::MAX / 8,
    };
    let start = em::now(&chain);
    let v = w.vault(1);
    let ix = v.create_vault(
        &a.pubkey(),
        &w.source,
        args(1, start, schedule, recipients(&payees, &shares)),
        &payees,
    );
    rec.measure(&mut chain, "emissions", "create_vault", "8 recipients", &a, ix, &[]);
    chain.warp((MAX_PERIODS_PER_CALL + 2) * HOUR);
    let ix = v.emit(&payees);
    let logs = rec.measure(
        &mut chain,
        "emissions",
        "emit",
        "MAX_PERIODS_PER_CALL periods, 8 recipients",
        &a,
        ix,
        &[],
    );
    let emitted: crucible_emissions::events::Emitted = em::event(&logs);
    assert_eq!(emitted.periods_crossed as u64, MAX_PERIODS_PER_CALL);
    testing::send(&mut chain, &a, &[v.emit(&payees)], &[]).unwrap();
    // The program never takes the balance below what the schedule owes; `fund` restores it
    // when something else did (here: the token account edited to hold 1 000 less).
    let mut account = chain.get_account(&v.token_vault).unwrap();
    let amount = u64::from_le_bytes(account.data[64..72].try_into().unwrap());
    account.data[64..72].copy_from_slice(&(amount - 1_000).to_le_bytes());
    chain.set_account(v.token_vault, account);
    let ix = v.fund(&a.pubkey(), &w.source, 1_000);
    rec.measure(&mut chain, "emissions", "fund", "", &a, ix, &[]);

    // A revocable vault's recipients change at once: eight paid, eight new.
    let new_owners: Vec<Keypair> = (0..MAX_RECIPIENTS).map(|_| funded(&mut chain)).collect();
    let new: Vec<Pubkey> =
        new_owners.iter().map(|o| w.account_of(&mut chain, &o.pubkey())).collect();
    // What is due is paid first, up to as many periods as a call may cross (more: CatchUpFirst).
    chain.warp(MAX_PERIODS_PER_CALL * HOUR);
    let ix = v.update_recipients(&a.pubkey(), &payees, recipients(&new, &shares));
    let label = "MAX_PERIODS_PER_CALL periods paid to 8, 8 new";
    rec.measure(&mut chain, "emissions", "update_recipients", label, &a, ix, &[]);
    let (owners, payees) = (new_owners, new);

    let replacement = w.account_of(&mut chain, &owners[7].pubkey());
    let ix = v.replace_recipient_account(&owners[7].pubkey(), 7, &payees[7], &replacement);
    rec.measure(&mut chain, "emissions", "replace_recipient_account", "", &owners[7], ix, &[]);
    let mut payees = payees;
    payees[7] = replacement;

    let ix = v.set_paused(&a.pubkey(), true);
    rec.measure(&mut chain, "emissions", "set_paused", "", &a, ix, &[]);
    testing::send(&mut chain, &a, &[v.set_paused(&a.pubkey(), false)], &[]).unwrap();
    let next = funded(&mut chain);
    let ix = v.propose_authority(&a.pubkey(), next.pubkey());
    rec.measure(&mut chain, "emissions", "propose_authority", "", &a, ix, &[]);
    let ix = v.accept_authority(&next.pubkey());
    rec.measure(&mut chain, "emissions", "accept_authority", "", &next, ix, &[]);
    chain.warp(MAX_PERIODS_PER_CALL * HOUR);
    let dest = w.account_of(&mut chain, &next.pubkey());
    let ix = v.revoke(&next.pubkey(), &dest, &payees);
    let label = "MAX_PERIODS_PER_CALL periods paid to 8";
    rec.measure(&mut chain, "emissions", "revoke", label, &next, ix, &[]);
    let ix = v.close_vault(&next.pubkey(), &dest);
    rec.measure(&mut chain, "emissions", "close_vault", "", &next, ix, &[]);

    // A non-revocable vault: recipients change through a proposal and its delay.
    let f = w.vault(2);
    let start = em::now(&chain);
    let fixed = crucible_emissions::CreateVaultArgs {
        revocable: false,
        ..args(2, start, Schedule { cap: u64::MAX / 16, ..schedule }, recipients(&payees, &shares))
    };
    w.create(&mut chain, fixed).unwrap();
    let later: Vec<Pubkey> =
        (0..MAX_RECIPIENTS).map(|_| w.account_of(&mut chain, &Keypair::new().pubkey())).collect();
    let ix = f.propose_recipients(&a.pubkey(), recipients(&later, &shares));
    rec.measure(&mut chain, "emissions", "propose_recipients", "8 recipients", &a, ix, &[]);
    let ix = f.cancel_recipients_proposal(&a.pubkey());
    rec.measure(&mut chain, "emissions", "cancel_recipients_proposal", "", &a, ix, &[]);
    testing::send(
        &mut chain,
        &a,
        &[f.propose_recipients(&a.pubkey(), recipients(&later, &shares))],
        &[],
    )
    .unwrap();
    // Past the delay, with as many periods due as a call may cross.
    assert!(MAX_PERIODS_PER_CALL * HOUR > u64::from(DELAY));
    chain.warp(MAX_PERIODS_PER_CALL * HOUR);
    let executor = funded(&mut chain);
    let ix = f.execute_recipients_proposal(&executor.pubkey(), &payees, &later);
    rec.measure(
        &mut chain,
        "emissions",
        "execute_recipients_proposal",
        "MAX_PERIODS_PER_CALL periods paid to 8, 8 new",
        &executor,
        ix,
        &[],
    );
}

// --- work-rewards pools ----------------------------------------------------------------------

/// A work pool paid by a vault and the settlements of a market that records in it, each
/// creating the hour's and the provider's records (their most expensive shape); the crank over
/// 24 hours with records and 24 without; a claim and an hour's close.
fn work(rec: &mut Recorder) {
    use crucible_emissions::math::Schedule;
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let a = net.admin().insecure_clone();
    let mint = net.pool.mint;
    let pool = WorkPoolFx::new(mint, 1, 1, net.pool.reward_vault);
    let ix = pool.create(&a.pubkey(), 10_000, work_recorder_pda());
    rec.measure(&mut chain, "emissions", "create_work_pool", "before its vault", &a, ix, &[]);
    let schedule = Schedule {
        initial_per_hour: 1_000_000,
        decay_bps: 100,
        period_hours: 1,
        cap: u64::MAX / 8,
    };
    testing::mint_to(&mut chain, &a, &mint, &net.treasury, schedule.cap).unwrap();
    let v = em::Vault {
        mint,
        vault_id: 1,
        vault: em::vault_pda(&mint, 1),
        token_vault: em::token_vault_pda(&em::vault_pda(&mint, 1)),
        token_program: spl_token::ID,
    };
    let payees = [net.pool.reward_vault, pool.token_vault];
    let vault_args = args(1, em::now(&chain), schedule, recipients(&payees, &[5_000, 5_000]));
    let ix = v.create_vault(&a.pubkey(), &net.treasury, vault_args, &payees);
    testing::send(&mut chain, &a, &[ix], &[]).unwrap();
    let ix = net.create_market_with_work(&a.pubkey(), 1, default_params(), pool.pool);
    rec.measure(&mut chain, "market", "create_market", "with a work pool", &a, ix, &[]);
    let market = market_pda(1);

    // record_burn itself, signed by a key that is a second pool's recorder.
    let recorder = funded(&mut chain);
    let direct = WorkPoolFx::new(mint, 2, 1, net.pool.reward_vault);
    let ix = direct.create(&a.pubkey(), 10_000, recorder.pubkey());
    testing::send(&mut chain, &a, &[ix], &[]).unwrap();
    let hour = direct.current_hour(&chain);
    let provider = Pubkey::new_unique();
    let ix = Instruction {
        program_id: crucible_emissions::ID,
        accounts: anchor_lang::ToAccountMetas::to_account_metas(
            &crucible_emissions::accounts::RecordBurn {
                recorder: recorder.pubkey(),
                payer: recorder.pubkey(),
                pool: direct.pool,
                emission_vault: direct.emission_vault,
                work_hour: support::work::work_hour_pda(&direct.pool, hour),
                provider_work: support::work::provider_work_pda(&direct.pool, &provider, hour),
                system_program: solana_sdk_ids::system_program::ID,
            },
            None,
        ),
        data: anchor_lang::InstructionData::data(&crucible_emissions::instruction::RecordBurn {
            provider,
            burned: 1_000,
        }),
    };
    rec.measure(&mut chain, "emissions", "record_burn", "records created", &recorder, ix, &[]);

    let client = net.party(&mut chain, 1_000_000_000_000);
    let providers: Vec<_> = (0..4).map(|_| net.provider(&mut chain, 1_000_000_000, 0)).collect();
    let c = client.key.insecure_clone();
    let cranker = funded(&mut chain);
    let arbiter = net.arbiter.insecure_clone();
    let params = default_params();
    let mut nonce = 0u64;
    let mut submitted = |chain: &mut Localnet, i: usize, dispute: bool| {
        nonce += 1;
        let ix = net.create_job(&c.pubkey(), &client.token, &market, nonce, 1_000_000, 3_600, None);
        testing::send(chain, &c, &[ix], &[]).unwrap();
        let j = job_pda(&market, &c.pubkey(), nonce);
        let p = &providers[i].key;
        let ixs = [net.accept_job(&p.pubkey(), &j, &market), net.submit_result(&p.pubkey(), &j)];
        testing::send(chain, p, &ixs, &[]).unwrap();
        if dispute {
            testing::send(chain, &c, &[net.dispute_job(&c.pubkey(), &j, &market)], &[]).unwrap();
        }
        j
    };
    // Each settlement is its provider's first of a new hour: both records are created.
    let j = submitted(&mut chain, 0, false);
    let p = &providers[0];
    let ix = net.settle(&c.pubkey(), None, &j, &market, &p.key.pubkey(), &p.token);
    let ix = pool.attach(&chain, ix, &p.key.pubkey(), &c.pubkey());
    rec.measure(
        &mut chain,
        "market",
        "complete_job",
        "work recorded, records created",
        &c,
        ix,
        &[],
    );
    let j = submitted(&mut chain, 1, false);
    chain.warp(params.dispute_window_secs + 1);
    let p = &providers[1];
    let ix =
        net.settle(&c.pubkey(), Some(&cranker.pubkey()), &j, &market, &p.key.pubkey(), &p.token);
    let ix = pool.attach(&chain, ix, &p.key.pubkey(), &cranker.pubkey());
    let variant = "work recorded, records created";
    rec.measure(&mut chain, "market", "finalize_job", variant, &cranker, ix, &[]);
    let j = submitted(&mut chain, 2, true);
    chain.warp(HOUR);
    let p = &providers[2];
    let ix = net.resolve_dispute(
        &arbiter.pubkey(),
        &c.pubkey(),
        &client.token,
        &j,
        &market,
        &p.key.pubkey(),
        &p.token,
        ResolveDisputeArgs {
            provider_share_bps: 5_000,
            slash_amount: 1_000,
            slash_to_client: false,
        },
    );
    let ix = pool.attach(&chain, ix, &p.key.pubkey(), &arbiter.pubkey());
    rec.measure(&mut chain, "market", "resolve_dispute", variant, &arbiter, ix, &[]);
    let j = submitted(&mut chain, 3, true);
    chain.warp(params.arbitration_window_secs + 1);
    let p = &providers[3];
    let ix = net.finalize_dispute(
        &cranker.pubkey(),
        &c.pubkey(),
        &client.token,
        &j,
        &market,
        &p.key.pubkey(),
        &p.token,
    );
    let ix = pool.attach(&chain, ix, &p.key.pubkey(), &cranker.pubkey());
    rec.measure(&mut chain, "market", "finalize_dispute", variant, &cranker, ix, &[]);

    // 24 hours with a settlement each, then the crank over them and over 24 empty hours.
    let first = pool.current_hour(&chain) + 1;
    chain.warp(HOUR);
    for h in 0..24 {
        let j = submitted(&mut chain, h % 4, false);
        let p = &providers[h % 4];
        let ix = net.settle(&c.pubkey(), None, &j, &market, &p.key.pubkey(), &p.token);
        let ix = pool.attach(&chain, ix, &p.key.pubkey(), &c.pubkey());
        testing::send(&mut chain, &c, &[ix], &[]).unwrap();
        chain.warp(HOUR);
    }
    chain.warp(24 * HOUR);
    testing::send(&mut chain, &cranker, &[v.emit(&payees)], &[]).unwrap();
    while pool.state(&chain).cursor_hours < first {
        let ix = pool.crank(&chain, 24);
        testing::send(&mut chain, &cranker, &[ix], &[]).unwrap();
    }
    let ix = pool.crank(&chain, 24);
    rec.measure(
        &mut chain,
        "emissions",
        "crank_work_pool",
        "24 hours with records",
        &cranker,
        ix,
        &[],
    );
    let ix = pool.crank(&chain, 24);
    rec.measure(&mut chain, "emissions", "crank_work_pool", "24 empty hours", &cranker, ix, &[]);

    let p = &providers[0];
    let ix = pool.claim(&chain, &cranker.pubkey(), &p.key.pubkey(), &p.token, first, &c.pubkey());
    rec.measure(&mut chain, "emissions", "claim_work_reward", "the hour's last", &cranker, ix, &[]);
    let ix = pool.close_hour(first, &c.pubkey());
    rec.measure(&mut chain, "emissions", "close_work_hour", "", &cranker, ix, &[]);
}

#[test]
#[ignore = "a measurement: run by `npm run bench` under callgrind"]
fn compute_units() {
    let mut rec = Recorder::default();
    token_run(&mut rec, "t22sbf", spl::TOKEN_2022, false);
    token_run(&mut rec, "t22native", spl::TOKEN_2022, true);
    token_run(&mut rec, "tokensbf", spl::TOKEN, false);
    token_run(&mut rec, "tokennative", spl::TOKEN, true);
    staking(&mut rec);
    market(&mut rec);
    emissions(&mut rec);
    work(&mut rec);
    rec.checkpoint("end");
    let out = json!({
        "checkpoints": rec.checkpoints,
        "rows": rec.rows,
        "maxPeriodsPerCall": crucible_emissions::math::MAX_PERIODS_PER_CALL,
    });
    println!("CU_JSON {out}");
}

#[test]
fn the_token_2022_crate_and_binary_agree_on_the_program_id() {
    // The calibration runs each crate natively at its SBF binary's address (the programs check
    // account owners against their own id).
    assert_eq!(spl_token_2022::ID, spl::TOKEN_2022);
    assert_eq!(spl_token::ID, spl::TOKEN);
}
