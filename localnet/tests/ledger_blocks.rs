//! Blocks on the ledger (`--ledger DIR`): a chain stopped and started again answers for every
//! earlier block as it did (`getBlock` in every encoding and detail, `getBlocks`,
//! `getBlocksWithLimit`, `getBlockTime`, skipped slots, `getFirstAvailableBlock`,
//! `getBlockProduction`, `getRecentPrioritizationFees`); the block open at the stop closes after
//! the restart holding its transactions, at the slot `getTransaction` names; evicted blocks stay
//! evicted; a ledger of the previous format is refused with its format; and the real binary
//! killed in the middle of a burst leaves every block holding every confirmed transaction.

mod common;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
    sync::mpsc,
    time::Duration,
};

use common::ledger::{
    burst, open_with, priced_transfer, rpc, serve_ledger, stored_block_slots, wait_past, TempDir,
    Validator,
};
use common::{b64, call, funded, post, transfer, Ws, SOL};
use crucible_localnet::{
    rpc::RunningServer, Block, BlockLookup, Localnet, OpenLedger, Options, Pubkey, TimeTravel,
};
use redb::{Database, ReadableTable, TableDefinition};
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

fn open(dir: &Path) -> Localnet {
    open_with(dir, Options::default())
}

fn with_history(capacity: usize) -> Options {
    Options { history_capacity: capacity, ..Options::default() }
}

fn found(net: &Localnet, slot: u64) -> Block {
    match net.block(slot) {
        BlockLookup::Found(b) => b.clone(),
        other => panic!("slot {slot}: {other:?}"),
    }
}

/// What the chain answers about its blocks: every slot's standing up to the current one, the
/// blocks, the first available block, the prioritization fees and the produced-block count.
#[derive(Debug, PartialEq)]
struct Blocks {
    slots: Vec<String>,
    blocks: Vec<Block>,
    first_available: u64,
    fees: Vec<(u64, u64)>,
    produced: u64,
}

fn blocks_of(net: &Localnet) -> Blocks {
    Blocks {
        slots: (0..=net.slot()).map(|s| format!("{s}: {:?}", net.block(s))).collect(),
        blocks: net.blocks(0, u64::MAX, usize::MAX).cloned().collect(),
        first_available: net.first_available_block(),
        fees: net.recent_prioritization_fees(&[]),
        produced: net.blocks_in(0, net.slot() - 1),
    }
}

#[test]
fn blocks_and_skipped_slots_survive_a_restart() {
    let dir = TempDir::new("blocks");
    let (payer, to) = (Keypair::new(), Pubkey::new_unique());
    let mut net = open(dir.path());
    net.airdrop(&payer.pubkey(), 10 * SOL).unwrap();
    for i in 0..5 {
        let tx = priced_transfer(&payer, &to, 1000 + i, 10 * (i + 1), net.latest_blockhash());
        net.send_transaction(tx).unwrap();
    }
    let slot = net.slot();
    net.time_travel(TimeTravel::AbsoluteSlot(slot + 25)).unwrap();
    net.airdrop(&payer.pubkey(), SOL).unwrap();
    net.produce_block(); // an empty block
    let before = blocks_of(&net);
    assert_eq!(before.fees.len(), 7); // a block each: the airdrops and the transfers
    assert_eq!(before.slots.iter().filter(|s| s.ends_with("Skipped")).count(), 24);
    let last = before.blocks.last().unwrap().clone();
    drop(net);
    assert_eq!(stored_block_slots(dir.path()).len(), before.blocks.len());

    let mut net = open(dir.path());
    assert_eq!(blocks_of(&net), before);
    // The next block follows on from the last one kept.
    let signature = net.airdrop(&payer.pubkey(), SOL).unwrap();
    let block = found(&net, net.transaction(&signature).unwrap().slot);
    assert_eq!(block.signatures, vec![signature]);
    assert_eq!(
        (block.parent_slot, block.previous_blockhash, block.block_height),
        (last.slot, last.blockhash, last.block_height + 1)
    );
}

#[test]
fn the_open_block_closes_after_a_restart_with_its_transactions() {
    let dir = TempDir::new("open-block");
    let (payer, to) = (Keypair::new(), Pubkey::new_unique());
    let mut net = open(dir.path());
    net.set_block_per_transaction(false);
    net.produce_block();
    let parent = found(&net, 0);
    let a = net.airdrop(&payer.pubkey(), SOL).unwrap();
    let b = net.send_transaction(transfer(&payer, &to, 1000, net.latest_blockhash())).unwrap();
    let slot = net.slot();
    assert_eq!(net.block(slot), BlockLookup::NotAvailable);
    net.commit().unwrap();
    drop(net);

    // Restarted, the chain is still in that slot, its block still open: the transactions
    // recorded in it (which getTransaction places there) close with it.
    let mut net = open(dir.path());
    net.set_block_per_transaction(false);
    assert_eq!((net.slot(), net.block(slot)), (slot, BlockLookup::NotAvailable));
    assert_eq!(net.transaction(&b).unwrap().slot, slot);
    let c = net.send_transaction(transfer(&payer, &to, 2000, net.latest_blockhash())).unwrap();
    net.produce_block();
    let block = found(&net, slot);
    assert_eq!(block.signatures, vec![a, b, c]);
    assert_eq!(
        (block.parent_slot, block.previous_blockhash, block.block_height),
        (parent.slot, parent.blockhash, parent.block_height + 1)
    );
    drop(net);
    assert_eq!(found(&open(dir.path()), slot), block);
}

#[test]
fn evicted_blocks_stay_evicted() {
    let dir = TempDir::new("evicted");
    let payer = Keypair::new();
    let mut net = open_with(dir.path(), with_history(3));
    let signatures: Vec<_> = (0..6).map(|_| net.airdrop(&payer.pubkey(), SOL).unwrap()).collect();
    let first = net.first_available_block();
    assert!(first > 0);
    let before = blocks_of(&net);
    drop(net);

    let net = open_with(dir.path(), with_history(3));
    assert_eq!(blocks_of(&net), before);
    assert_eq!(net.block(0), BlockLookup::CleanedUp { first_available: first });
    drop(net);
    assert!(stored_block_slots(dir.path()).iter().all(|&s| s >= first));

    // A smaller history at the restart evicts more: the blocks go with their transactions.
    let net = open_with(dir.path(), with_history(1));
    let fewer = net.first_available_block();
    assert!(fewer > first);
    let newest = net.transaction(&signatures[5]).unwrap().slot;
    assert_eq!(found(&net, newest).signatures, vec![signatures[5]]);
    assert_eq!(net.block(first), BlockLookup::CleanedUp { first_available: fewer });
    drop(net);
    assert!(stored_block_slots(dir.path()).iter().all(|&s| s >= fewer));

    // A larger one does not bring them back.
    let net = open_with(dir.path(), with_history(100));
    assert_eq!(net.first_available_block(), fewer);
    assert_eq!(net.block(first), BlockLookup::CleanedUp { first_available: fewer });
    assert_eq!(found(&net, newest).signatures, vec![signatures[5]]);
}

#[test]
fn a_ledger_of_the_previous_format_is_refused_with_its_format() {
    let dir = TempDir::new("format");
    drop(open(dir.path()));
    let file = dir.path().join("ledger.redb");
    {
        // The chain state's first field is the format (a u32, little-endian).
        let meta = TableDefinition::<&str, &[u8]>::new("meta");
        let db = Database::open(&file).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(meta).unwrap();
            let mut bytes = table.get("chain").unwrap().unwrap().value().to_vec();
            bytes[..4].copy_from_slice(&2u32.to_le_bytes());
            table.insert("chain", bytes.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let bytes = std::fs::read(&file).unwrap();
    let err = OpenLedger::open(dir.path(), false).err().expect("refused");
    assert_eq!(
        err,
        format!(
            "the ledger {} cannot be opened: it was written in format 2, this validator reads \
             format 3 (nothing in it was changed; start with --reset to begin a new ledger \
             there, or choose another --ledger)",
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}

// ---- over sockets ----------------------------------------------------------------------------

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
    call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    server.shutdown();

    let server = serve_ledger(dir.path());
    let mut ws = Ws::connect(&server);
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
