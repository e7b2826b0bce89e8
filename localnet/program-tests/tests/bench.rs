//! In-process measurements for `npm run bench` (ignored by `cargo test`; the bench runs it with
//! `--ignored` and reads the `BENCH_JSON` line it prints):
//! - job lifecycles per second with the same transactions the SDK sends, straight into the
//!   in-process chain (the upper bound the RPC layer is compared with), and the same
//!   transactions over JSON-RPC to the server on real sockets, sent and confirmed by a lean
//!   client from several threads (with preflight, as clients send by default, and without);
//! - SPL Token transfers per second in-process;
//! - the largest emission catch-up in one transaction (the default schedule, run to its cap);
//! - bytes and rent per job, per provider, per vault, and transaction sizes of a lifecycle.

use crucible_program_tests as support;

mod rpc_client;

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

use anchor_lang::Space;
use anchor_spl::token::spl_token;
use crucible_localnet::{
    rpc::serve,
    testing::{self, send},
    Localnet,
};
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use support::{
    emissions::{args, event, now, recipients, World},
    market::{default_params, job_pda, Network, Party},
};

fn signed(payer: &Keypair, ixs: &[Instruction], blockhash: Hash) -> VersionedTransaction {
    let message = Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &blockhash);
    VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[payer]).unwrap()
}

/// `lifecycles` job lifecycles (create, accept, submit, complete: the transactions of the
/// in-process loop) sent over JSON-RPC by `workers` threads, each a client and a provider of its
/// own, every transaction sent and confirmed before the next (`getLatestBlockhash`,
/// `sendTransaction`, `getSignatureStatuses`, as web3.js's `sendAndConfirmTransaction` does).
fn rpc_lifecycles(lifecycles: u64, workers: usize, skip_preflight: bool) -> serde_json::Value {
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let market = net.create_market(&mut chain, 1, default_params()).unwrap();
    let pairs: Vec<(Party, Party)> = (0..workers)
        .map(|_| (net.party(&mut chain, 1_000_000_000), net.provider(&mut chain, 1_000_000_000, 0)))
        .collect();
    let server = serve(move || chain, 0).expect("the server starts");
    let port = server.rpc_port;
    let next = AtomicU64::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for (client, provider) in &pairs {
            let (net, next) = (&net, &next);
            scope.spawn(move || {
                let mut rpc = rpc_client::RpcClient::connect(port);
                let (c, p) = (&client.key, &provider.key);
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= lifecycles {
                        break;
                    }
                    let job = job_pda(&market, &c.pubkey(), n);
                    let create =
                        net.create_job(&c.pubkey(), &client.token, &market, n, 10_000, 3_600, None);
                    let settle =
                        net.settle(&c.pubkey(), None, &job, &market, &p.pubkey(), &provider.token);
                    for (payer, ix) in [
                        (c, create),
                        (p, net.accept_job(&p.pubkey(), &job, &market)),
                        (p, net.submit_result(&p.pubkey(), &job)),
                        (c, settle),
                    ] {
                        let tx = signed(payer, &[ix], rpc.latest_blockhash());
                        rpc.send_and_confirm(&tx, skip_preflight);
                    }
                }
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    server.shutdown();
    serde_json::json!({
        "lifecycles": lifecycles,
        "workers": workers,
        "skipPreflight": skip_preflight,
        "seconds": secs,
        "lifecyclesPerSecond": lifecycles as f64 / secs,
        "transactionsPerSecond": (4 * lifecycles) as f64 / secs,
    })
}

fn tx_size(chain: &Localnet, payer: &Keypair, ixs: &[Instruction], signers: usize) -> usize {
    let message =
        Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &chain.latest_blockhash());
    let mut tx =
        VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[payer]).unwrap();
    tx.signatures.resize(signers.max(1), Default::default());
    bincode::serialize(&tx).unwrap().len()
}

#[test]
#[ignore = "a benchmark: run by `npm run bench`"]
fn bench_in_process() {
    let lifecycles: u64 =
        std::env::var("BENCH_LIFECYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(500);
    let transfers: u64 =
        std::env::var("BENCH_TRANSFERS").ok().and_then(|s| s.parse().ok()).unwrap_or(2_000);
    let rpc_workers: usize =
        std::env::var("BENCH_RPC_WORKERS").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let market = net.create_market(&mut chain, 1, default_params()).unwrap();
    let client = net.party(&mut chain, 1_000_000_000);
    let provider = net.provider(&mut chain, 1_000_000_000, 0);
    let (c, p) = (client.key.insecure_clone(), provider.key.insecure_clone());

    // Transaction sizes of one lifecycle.
    let job0 = job_pda(&market, &c.pubkey(), u64::MAX);
    let sizes = [
        (
            "create_job",
            tx_size(
                &chain,
                &c,
                &[net.create_job(&c.pubkey(), &client.token, &market, u64::MAX, 1, 60, None)],
                1,
            ),
        ),
        ("accept_job", tx_size(&chain, &p, &[net.accept_job(&p.pubkey(), &job0, &market)], 1)),
        ("submit_result", tx_size(&chain, &p, &[net.submit_result(&p.pubkey(), &job0)], 1)),
        (
            "complete_job",
            tx_size(
                &chain,
                &c,
                &[net.settle(&c.pubkey(), None, &job0, &market, &p.pubkey(), &provider.token)],
                1,
            ),
        ),
        (
            "resolve_dispute",
            tx_size(
                &chain,
                &net.arbiter,
                &[net.resolve_dispute(
                    &net.arbiter.pubkey(),
                    &c.pubkey(),
                    &client.token,
                    &job0,
                    &market,
                    &p.pubkey(),
                    &provider.token,
                    crucible_market::ResolveDisputeArgs {
                        provider_share_bps: 5_000,
                        slash_amount: 1,
                        slash_to_client: true,
                    },
                )],
                1,
            ),
        ),
        (
            "reclaim_expired",
            tx_size(
                &chain,
                &c,
                &[net.reclaim_expired(
                    &c.pubkey(),
                    &c.pubkey(),
                    &client.token,
                    &job0,
                    &market,
                    &p.pubkey(),
                )],
                1,
            ),
        ),
    ];
    // How many create_job fit in one transaction.
    let mut batch = 1;
    while tx_size(
        &chain,
        &c,
        &(0..batch + 1)
            .map(|n| net.create_job(&c.pubkey(), &client.token, &market, n, 1, 60, None))
            .collect::<Vec<_>>(),
        1,
    ) <= 1_232
    {
        batch += 1;
    }

    // Blocks by the clock, as the server runs its chain (a block per transaction would cost
    // in-process what the server does not pay).
    chain.set_block_per_transaction(false);
    let start = Instant::now();
    for n in 0..lifecycles {
        let job = job_pda(&market, &c.pubkey(), n);
        send(
            &mut chain,
            &c,
            &[net.create_job(&c.pubkey(), &client.token, &market, n, 10_000, 3_600, None)],
            &[],
        )
        .unwrap();
        send(&mut chain, &p, &[net.accept_job(&p.pubkey(), &job, &market)], &[]).unwrap();
        send(&mut chain, &p, &[net.submit_result(&p.pubkey(), &job)], &[]).unwrap();
        send(
            &mut chain,
            &c,
            &[net.settle(&c.pubkey(), None, &job, &market, &p.pubkey(), &provider.token)],
            &[],
        )
        .unwrap();
    }
    let lifecycle_secs = start.elapsed().as_secs_f64();
    chain.set_block_per_transaction(true);
    let rpc = rpc_lifecycles(lifecycles, rpc_workers, false);
    let rpc_skip_preflight = rpc_lifecycles(lifecycles, rpc_workers, true);

    // SPL transfers.
    let a = net.party(&mut chain, transfers);
    let b = net.party(&mut chain, 0);
    let start = Instant::now();
    for _ in 0..transfers {
        let ix = spl_token::instruction::transfer(
            &spl_token::ID,
            &a.token,
            &b.token,
            &a.key.pubkey(),
            &[],
            1,
        )
        .unwrap();
        send(&mut chain, &a.key, &[ix], &[]).unwrap();
    }
    let transfer_secs = start.elapsed().as_secs_f64();
    assert_eq!(testing::token_balance(&chain, &b.token), transfers);

    // The largest emission catch-up: the default schedule (4,583 tokens an hour, −1.02 % every
    // 730 hours, 300 M cap) emitted from start to cap in one transaction.
    const TOKEN: u64 = 1_000_000;
    let schedule = crucible_emissions::math::Schedule {
        initial_per_hour: 4_583 * TOKEN,
        decay_bps: 102,
        period_hours: 730,
        cap: 300_000_000 * TOKEN,
    };
    let w = World::new(&mut chain, 300_000_000 * TOKEN);
    let payees = w.accounts(&mut chain, 3);
    let start_ts = now(&chain);
    let vault = w
        .create(
            &mut chain,
            args(1, start_ts, schedule, recipients(&payees, &[5_000, 3_000, 2_000])),
        )
        .unwrap();
    chain.warp(25 * 8_766 * 3_600);
    let t = Instant::now();
    let logs = send(&mut chain, &w.authority, &[vault.emit(&payees)], &[]).unwrap();
    let emit_secs = t.elapsed().as_secs_f64();
    let emitted: crucible_emissions::events::Emitted = event(&logs);
    let emit_size = tx_size(&chain, &w.authority, &[vault.emit(&payees)], 1);

    let rent = |bytes: usize| chain.minimum_balance_for_rent_exemption(bytes);
    let job_bytes = 8 + crucible_market::state::Job::INIT_SPACE;
    let stake_bytes = 8 + crucible_staking::state::ProviderStake::INIT_SPACE;
    let vault_bytes = 8 + crucible_emissions::state::EmissionVault::INIT_SPACE;
    let json = serde_json::json!({
        "inProcess": {
            "lifecycles": lifecycles,
            "lifecycleSeconds": lifecycle_secs,
            "lifecyclesPerSecond": lifecycles as f64 / lifecycle_secs,
            "transactionsPerSecond": (4 * lifecycles) as f64 / lifecycle_secs,
            "splTransfers": transfers,
            "splTransfersPerSecond": transfers as f64 / transfer_secs,
        },
        "rpcLean": rpc,
        "rpcLeanSkipPreflight": rpc_skip_preflight,
        "emissionCatchUp": {
            "schedule": "4,583 tokens/hour (6 decimals), -1.02 % every 730 hours, 300 M cap",
            "hours": emitted.to_hour - emitted.from_hour,
            "periodsCrossed": emitted.periods_crossed,
            "amount": emitted.amount.to_string(),
            "reachedCap": emitted.amount == schedule.cap,
            "seconds": emit_secs,
            "transactionBytes": emit_size,
        },
        "accounts": {
            "job": { "accounts": 2, "bytes": job_bytes + 165, "rentLamports": rent(job_bytes) + rent(165), "returnedToClient": true },
            "provider": { "accounts": 1, "bytes": stake_bytes, "rentLamports": rent(stake_bytes) },
            "vault": { "accounts": 2, "bytes": vault_bytes + 165, "rentLamports": rent(vault_bytes) + rent(165) },
        },
        "transactionsPerLifecycle": { "happyPath": 4, "disputed": 5, "expired": 3, "cancelled": 2 },
        "transactionBytes": sizes.iter().map(|(n, s)| serde_json::json!({"instruction": n, "bytes": s, "limit": 1232})).collect::<Vec<_>>(),
        "createJobsPerTransaction": batch,
    });
    println!("BENCH_JSON {json}");
}
