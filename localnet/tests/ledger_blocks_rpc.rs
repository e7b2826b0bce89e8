//! Blocks on the ledger (`--ledger DIR`) over sockets: after a restart every earlier block
//! answers as it did (`getBlock` in every encoding and detail, whole replies and errors,
//! `getBlocks`, `getBlocksWithLimit`, `getBlockTime`, skipped slots, `getFirstAvailableBlock`,
//! `getBlockProduction`, `getRecentPrioritizationFees`); block notifications after a restart are
//! the blocks `getBlock` answers, the reopened block with its transactions from before the stop;
//! and the real binary killed in the middle of a burst leaves every block holding every
//! confirmed transaction, once.

mod common;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::mpsc,
    time::Duration,
};

use common::ledger::{burst, priced_transfer, rpc, serve_ledger, wait_past, TempDir, Validator};
use common::{b64, call, funded, post, transfer, Ws, SOL};
use crucible_localnet::{rpc::RunningServer, Pubkey};
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

fn slot_of(server: &RunningServer) -> u64 {
    call(server, "getSlot", json!([])).as_u64().unwrap()
}

/// The configurations `getBlock` is asked with: every encoding in full, and every detail level.
fn block_configs() -> Vec<Value> {
    let v0 = 0;
    vec![
        json!({"maxSupportedTransactionVersion": v0}),
        json!({"encoding": "jsonParsed", "maxSupportedTransactionVersion": v0}),
        json!({"encoding": "base64", "maxSupportedTransactionVersion": v0}),
        json!({"encoding": "base58", "maxSupportedTransactionVersion": v0}),
        json!({"transactionDetails": "signatures"}),
        json!({"transactionDetails": "accounts", "maxSupportedTransactionVersion": v0}),
        json!({"transactionDetails": "none", "rewards": false}),
    ]
}

/// Every answer about the blocks in `0..=last`, whole (results and errors), by request.
fn block_answers(server: &RunningServer, last: u64) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut ask = |method: &str, params: Value| {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        out.insert(format!("{method} {params}"), post(server, &body.to_string()));
    };
    for slot in 0..=last {
        for config in block_configs() {
            ask("getBlock", json!([slot, config]));
        }
        ask("getBlockTime", json!([slot]));
    }
    let slots = call(server, "getBlocks", json!([0, last]));
    ask("getBlocks", json!([0, last]));
    ask("getBlocks", json!([last / 2, last]));
    ask("getBlocksWithLimit", json!([0, slots.as_array().unwrap().len()]));
    ask("getFirstAvailableBlock", json!([]));
    ask("getRecentPrioritizationFees", json!([]));
    // Its context names the current slot, which moves on: the value is compared.
    let range = json!({"range": {"firstSlot": 0, "lastSlot": last}});
    let production = call(server, "getBlockProduction", json!([range]));
    out.insert("getBlockProduction".into(), production["value"].clone());
    out
}

#[test]
fn every_earlier_block_answers_the_same_after_a_restart() {
    let dir = TempDir::new("rpc");
    let to = Pubkey::new_unique();
    let server = serve_ledger(dir.path());
    let payer = funded(&server, 10 * SOL);
    let send = |server: &RunningServer, tx: VersionedTransaction| {
        let sig = call(server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
        let sig = sig.as_str().unwrap().to_string();
        call(server, "getTransaction", json!([sig, "json"]))["slot"].as_u64().unwrap()
    };
    // The airdrop and each transfer in a block of their own, an empty block or more after each.
    wait_past(slot_of(&server), || slot_of(&server));
    for i in 0..4 {
        let hash = common::blockhash(&server);
        let at = send(&server, priced_transfer(&payer, &to, 1000 + i, 5 * (i + 1), hash));
        wait_past(at + 1, || slot_of(&server));
    }
    let slot = slot_of(&server);
    call(&server, "surfnet_timeTravel", json!([{ "absoluteSlot": slot + 20 }]));
    let last_tx = send(&server, transfer(&payer, &to, 7, common::blockhash(&server)));
    let last = wait_past(last_tx, || slot_of(&server)) - 1;
    let before = block_answers(&server, last);
    server.shutdown();

    let server = serve_ledger(dir.path());
    let after = block_answers(&server, last);
    for (request, answer) in &before {
        assert_eq!(&after[request], answer, "{request}");
    }
    assert_eq!(after.len(), before.len());
    // What was compared: blocks with transactions, empty ones, and skipped slots.
    let in_blocks: usize = before
        .iter()
        .filter(|(request, _)| request.contains("\"signatures\""))
        .filter_map(|(_, answer)| answer["result"]["signatures"].as_array())
        .map(Vec::len)
        .sum();
    assert_eq!(in_blocks, 6); // the airdrop and the five transfers
    let fees = before["getRecentPrioritizationFees []"]["result"].as_array().unwrap().len();
    assert_eq!(fees, 6); // the airdrop's block, the four priced transfers', the last one's
    let skipped = before.values().filter(|a| a["error"]["code"] == -32007).count();
    assert!(skipped >= 18 * 8, "{skipped} answers of skipped slots");
    server.shutdown();
}

#[test]
fn blocks_notified_after_a_restart_are_those_get_block_answers() {
    let dir = TempDir::new("notified");
    let to = Pubkey::new_unique();
    let server = serve_ledger(dir.path());
    let payer = funded(&server, 10 * SOL);
    wait_past(slot_of(&server), || slot_of(&server));
    // Most often still in the open block when the server stops.
    let tx = transfer(&payer, &to, 1000, common::blockhash(&server));
    let before = call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    server.shutdown();

    let server = serve_ledger(dir.path());
    let mut ws = Ws::connect(&server);
    let logs = ws.subscribe("logsSubscribe", json!(["all", {"commitment": "confirmed"}]));
    let config = json!({"encoding": "json", "commitment": "confirmed", "showRewards": true});
    let sub = ws.subscribe("blockSubscribe", json!(["all", config]));
    let tx = transfer(&payer, &to, 2000, common::blockhash(&server));
    let sig = call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let slot = call(&server, "getTransaction", json!([sig, "json"]))["slot"].as_u64().unwrap();
    let mut notified = 0;
    loop {
        let n = ws.notification("blockNotification", sub);
        let value = &n["params"]["result"]["value"];
        let at = value["slot"].as_u64().unwrap();
        // The notification's block is the block getBlock answers, parent and blockhashes too.
        let block = call(&server, "getBlock", json!([at, {"encoding": "json"}]));
        assert_eq!(value["block"], block, "slot {at}");
        notified += 1;
        // The reopened block, notified: the logs of its transaction from before the stop are
        // notified too (the logs subscription came first).
        let signatures = block["transactions"].as_array().unwrap().iter();
        if signatures.map(|t| &t["transaction"]["signatures"][0]).any(|s| *s == before) {
            while ws.notification("logsNotification", logs)["params"]["result"]["value"]
                ["signature"]
                != before
            {}
        }
        if at >= slot {
            break;
        }
    }
    assert!(notified >= 1);
    server.shutdown();
}

// ---- the real binary, killed mid-burst -------------------------------------------------------

fn current_slot(port: u16) -> u64 {
    rpc(port, "getSlot", json!([])).unwrap().as_u64().unwrap()
}

fn block_signatures(port: u16, slot: u64) -> Vec<String> {
    let config = json!({"transactionDetails": "signatures", "rewards": false});
    let block = rpc(port, "getBlock", json!([slot, config])).unwrap();
    block["signatures"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().into()).collect()
}

#[test]
fn a_validator_killed_mid_burst_keeps_every_confirmed_transaction_in_its_block() {
    let dir = TempDir::new("kill-blocks");
    let (payer, to) = (Keypair::new(), Keypair::new().pubkey());
    let validator = Validator::start(dir.path(), &payer.pubkey());
    let port = validator.port;
    // The blocks before the burst, as answered.
    let earlier = wait_past(current_slot(port) + 2, || current_slot(port)) - 1;
    let answer = |port: u16, slot: u64| {
        rpc(port, "getBlock", json!([slot, {"maxSupportedTransactionVersion": 0}]))
    };
    let before: Vec<_> = (0..=earlier).map(|s| answer(port, s)).collect();

    let (confirmed_tx, confirmed_rx) = mpsc::channel::<(String, u64)>();
    let sender = burst(port, payer.insecure_clone(), to, 600, confirmed_tx);
    let mut confirmed = BTreeSet::new();
    while let Ok((signature, _)) = confirmed_rx.recv_timeout(Duration::from_secs(60)) {
        confirmed.insert(signature);
        if confirmed.len() == 200 {
            break;
        }
    }
    let mut validator = validator;
    validator.child.kill().unwrap(); // SIGKILL
    validator.child.wait().unwrap();
    confirmed.extend(confirmed_rx.try_iter().map(|(s, _)| s));
    let sent = sender.join().unwrap();
    assert!(confirmed.len() >= 200 && sent.len() < 600, "{} confirmed", confirmed.len());
    drop(validator);

    let validator = Validator::start(dir.path(), &payer.pubkey());
    let port = validator.port;
    let after: Vec<_> = (0..=earlier).map(|s| answer(port, s)).collect();
    assert_eq!(after, before);
    // Each transaction that landed is in the block of its slot, once; no block holds another.
    let mut landed: BTreeMap<String, u64> = BTreeMap::new();
    for (signature, _) in &sent {
        let tx = rpc(port, "getTransaction", json!([signature, "json"])).unwrap();
        if !tx.is_null() {
            landed.insert(signature.clone(), tx["slot"].as_u64().unwrap());
        }
    }
    assert!(confirmed.iter().all(|s| landed.contains_key(s)), "a confirmed transaction lost");
    let newest = *landed.values().max().unwrap();
    wait_past(newest, || current_slot(port));
    let mut in_blocks: BTreeMap<String, u64> = BTreeMap::new();
    let slots = rpc(port, "getBlocks", json!([earlier + 1, newest])).unwrap();
    for slot in slots.as_array().unwrap().iter().map(|s| s.as_u64().unwrap()) {
        for signature in block_signatures(port, slot) {
            assert!(in_blocks.insert(signature, slot).is_none(), "in two blocks");
        }
    }
    assert_eq!(in_blocks, landed);
}
