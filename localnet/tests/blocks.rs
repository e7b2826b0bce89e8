//! Blocks: the chain's blocks agree with its history (in process), and `getBlock`,
//! `getBlocks`, `getBlocksWithLimit`, `getBlockTime`, `getBlockCommitment`,
//! `getFirstAvailableBlock` and `getTransaction` in `jsonParsed` answer over sockets as
//! solana-test-validator (agave 2.3) does, errors included.

mod common;

use common::{b64, blockhash, call, call_err, funded, start, transfer, SOL};
use crucible_localnet::{rpc::RunningServer, BlockLookup, Localnet, Options, TimeTravel};
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_message::{v0, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

fn found(chain: &Localnet, slot: u64) -> crucible_localnet::Block {
    match chain.block(slot) {
        BlockLookup::Found(b) => b.clone(),
        other => panic!("slot {slot}: {other:?}"),
    }
}

#[test]
fn blocks_follow_the_history_in_process() {
    let mut chain = Localnet::new();
    let payer = Keypair::new();
    let a = chain.airdrop(&payer.pubkey(), SOL).unwrap();
    let hash = chain.latest_blockhash();
    let b = chain.send_transaction(transfer(&payer, &Keypair::new().pubkey(), 1000, hash)).unwrap();
    let (ra, rb) = (chain.transaction(&a).unwrap().clone(), chain.transaction(&b).unwrap().clone());
    let (block_a, block_b) = (found(&chain, ra.slot), found(&chain, rb.slot));
    assert_eq!(block_a.signatures, vec![a]);
    assert_eq!(block_b.signatures, vec![b]);
    assert_eq!(block_b.parent_slot, ra.slot);
    assert_eq!(block_b.previous_blockhash, block_a.blockhash);
    assert_eq!(block_b.block_height, block_a.block_height + 1);
    assert_eq!(block_b.block_time, rb.block_time);
    // The second transaction named the blockhash the first block closed with.
    assert_eq!(hash, block_a.blockhash);
    let genesis = found(&chain, 0);
    assert_eq!((genesis.parent_slot, genesis.block_height), (0, 0));
    // The current slot's block is still open.
    assert_eq!(chain.block(chain.slot()), BlockLookup::NotAvailable);

    // A time travel skips the slots it jumps over; the next block's parent is the last one.
    let before = chain.slot();
    chain.time_travel(TimeTravel::AbsoluteSlot(before + 10)).unwrap();
    assert_eq!(chain.block(before + 5), BlockLookup::Skipped);
    let parent = found(&chain, before);
    let c = chain.airdrop(&payer.pubkey(), SOL).unwrap();
    let block_c = found(&chain, before + 10);
    assert_eq!(block_c.signatures, vec![c]);
    assert_eq!((block_c.parent_slot, block_c.previous_blockhash), (before, parent.blockhash));
    assert_eq!(block_c.block_height, parent.block_height + 1);
    let slots: Vec<u64> = chain.blocks(0, u64::MAX, usize::MAX).map(|b| b.slot).collect();
    assert_eq!(slots.len() as u64, chain.blocks_in(0, chain.slot() - 1));
    assert!(!slots.contains(&(before + 1)));
}

#[test]
fn blocks_of_evicted_history_are_cleaned_up() {
    let mut chain = Localnet::with_options(Options { history_capacity: 2, ..Options::default() });
    let payer = Keypair::new();
    let first = chain.airdrop(&payer.pubkey(), SOL).unwrap();
    let first_slot = chain.transaction(&first).unwrap().slot;
    chain.airdrop(&payer.pubkey(), SOL).unwrap();
    let third = chain.airdrop(&payer.pubkey(), SOL).unwrap();
    assert!(chain.transaction(&first).is_none());
    let kept = chain.first_available_block();
    assert!(kept > first_slot);
    assert_eq!(chain.block(first_slot), BlockLookup::CleanedUp { first_available: kept });
    assert_eq!(found(&chain, chain.transaction(&third).unwrap().slot).signatures, vec![third]);
}

/// Closes the server's open block: a time travel a few slots ahead (the clock may have produced
/// a block meanwhile, so the target leaves room).
fn close_block(server: &RunningServer) -> u64 {
    let slot = call(server, "getSlot", json!([])).as_u64().unwrap();
    call(server, "surfnet_timeTravel", json!([{ "absoluteSlot": slot + 20 }]));
    slot + 20
}

fn tx_slot(server: &RunningServer, signature: &str) -> u64 {
    call(server, "getTransaction", json!([signature, "json"]))["slot"].as_u64().unwrap()
}

fn error(err: Value) -> (i64, String) {
    (err["code"].as_i64().unwrap(), err["message"].as_str().unwrap().to_string())
}

#[test]
fn get_block_answers_every_encoding_and_detail_level() {
    let server = start();
    let payer = funded(&server, 10 * SOL);
    let to = Keypair::new().pubkey();
    close_block(&server); // past genesis, whose parent is itself
    let tx = transfer(&payer, &to, 5000, blockhash(&server));
    let sig = call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let sig = sig.as_str().unwrap().to_string();
    let slot = tx_slot(&server, &sig);
    close_block(&server);

    let block = call(&server, "getBlock", json!([slot]));
    let txs = block["transactions"].as_array().unwrap();
    let ours = txs.iter().find(|t| t["transaction"]["signatures"][0] == sig).expect("in its block");
    assert_eq!(ours["meta"]["fee"], 5000);
    assert_eq!(ours["meta"]["err"], Value::Null);
    // The leader's fee reward: half of the block's signature fees (no priority fees here).
    let fees: u64 = txs.iter().map(|t| t["meta"]["fee"].as_u64().unwrap()).sum();
    let identity = call(&server, "getIdentity", json!([]))["identity"].clone();
    let rewards = block["rewards"].as_array().unwrap();
    assert_eq!(rewards.len(), 1, "{block}");
    assert_eq!(rewards[0]["pubkey"], identity);
    assert_eq!(rewards[0]["lamports"], fees / 2);
    assert_eq!(rewards[0]["rewardType"], "Fee");
    assert_eq!(rewards[0]["commission"], Value::Null);
    assert!(rewards[0]["postBalance"].as_u64().unwrap() > fees / 2);
    let no_rewards = call(&server, "getBlock", json!([slot, {"rewards": false}]));
    assert!(no_rewards.get("rewards").is_none(), "{no_rewards}");
    assert!(block["blockHeight"].is_u64() && block["blockTime"].is_i64());
    let parent =
        call(&server, "getBlock", json!([block["parentSlot"], {"transactionDetails": "none"}]));
    assert_eq!(parent["blockhash"], block["previousBlockhash"]);
    assert_eq!(parent["blockHeight"].as_u64().unwrap() + 1, block["blockHeight"].as_u64().unwrap());
    assert!(parent.get("transactions").is_none() && parent.get("signatures").is_none());
    assert_eq!(call(&server, "getBlockTime", json!([slot])), block["blockTime"]);

    let signatures = call(
        &server,
        "getBlock",
        json!([slot, {"transactionDetails": "signatures", "rewards": false}]),
    );
    assert!(signatures["signatures"].as_array().unwrap().contains(&json!(sig)));
    assert!(signatures.get("rewards").is_none());
    let accounts = call(&server, "getBlock", json!([slot, {"transactionDetails": "accounts"}]));
    let keys = &accounts["transactions"][txs.iter().position(|t| t == ours).unwrap()]
        ["transaction"]["accountKeys"];
    assert_eq!(
        keys[0],
        json!({"pubkey": payer.pubkey().to_string(), "signer": true, "writable": true, "source": "transaction"})
    );
    let base64 = call(&server, "getBlock", json!([slot, {"encoding": "base64"}]));
    assert!(base64["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["transaction"] == json!([b64(&tx), "base64"])));
    let parsed = call(&server, "getBlock", json!([slot, {"encoding": "jsonParsed"}]));
    let parsed_tx = parsed["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["transaction"]["signatures"][0] == sig)
        .unwrap()
        .clone();
    assert_eq!(
        parsed_tx["transaction"]["message"]["instructions"][0]["parsed"],
        json!({"type": "transfer", "info": {"source": payer.pubkey().to_string(), "destination": to.to_string(), "lamports": 5000}})
    );
    // getTransaction in jsonParsed is the same transaction.
    let got = call(&server, "getTransaction", json!([sig, {"encoding": "jsonParsed"}]));
    assert_eq!(got["transaction"], parsed_tx["transaction"]);
    assert_eq!(got["meta"], parsed_tx["meta"]);
}

#[test]
fn a_v0_transaction_needs_max_supported_transaction_version() {
    let server = start();
    let payer = funded(&server, 10 * SOL);
    let ix = solana_system_interface::instruction::transfer(
        &payer.pubkey(),
        &Keypair::new().pubkey(),
        1,
    );
    let message =
        v0::Message::try_compile(&payer.pubkey(), &[ix], &[], blockhash(&server)).unwrap();
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&payer]).unwrap();
    let sig = call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let slot = call(&server, "getTransaction", json!([sig, {"maxSupportedTransactionVersion": 0}]))
        ["slot"]
        .clone();
    close_block(&server);
    let err = error(call_err(&server, "getBlock", json!([slot])));
    assert_eq!(
        err,
        (-32015, "Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: \"maxSupportedTransactionVersion\": 0".into())
    );
    let err = error(call_err(&server, "getTransaction", json!([sig, {"encoding": "jsonParsed"}])));
    assert_eq!(err.0, -32015);
    let block = call(&server, "getBlock", json!([slot, {"maxSupportedTransactionVersion": 0}]));
    let ours = block["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["transaction"]["signatures"][0] == sig)
        .unwrap()
        .clone();
    assert_eq!(ours["version"], 0);
    // Signatures only: no version check, as agave.
    call(&server, "getBlock", json!([slot, {"transactionDetails": "signatures"}]));
}

#[test]
fn slot_ranges_and_errors_are_the_validators() {
    let server = start();
    funded(&server, SOL);
    let before = call(&server, "getSlot", json!([])).as_u64().unwrap();
    let landed = close_block(&server);
    close_block(&server);
    let blocks = call(&server, "getBlocks", json!([0]));
    let blocks: Vec<u64> = blocks.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert_eq!(blocks[0], 0);
    assert!(blocks.windows(2).all(|w| w[0] < w[1]));
    assert!(blocks.contains(&landed) && !blocks.contains(&(landed - 1)));
    let skipped = landed - 1;
    assert!(skipped > before);
    let upto: Vec<u64> = blocks.iter().copied().filter(|&s| s <= landed).collect();
    assert_eq!(call(&server, "getBlocks", json!([0, landed])), json!(upto));
    assert_eq!(call(&server, "getBlocks", json!([5, 2])), json!([]));
    assert_eq!(call(&server, "getBlocksWithLimit", json!([0, 2])), json!(blocks[..2]));
    assert_eq!(call(&server, "getBlocksWithLimit", json!([skipped, 1])), json!([landed]));
    assert_eq!(call(&server, "getBlocksWithLimit", json!([0, 0])), json!([]));
    assert_eq!(
        error(call_err(&server, "getBlocksWithLimit", json!([0, 500_001]))),
        (-32602, "Limit too large; max 500000".into())
    );
    let skipped_msg =
        format!("Slot {skipped} was skipped, or missing due to ledger jump to recent snapshot");
    assert_eq!(
        error(call_err(&server, "getBlock", json!([skipped]))),
        (-32007, skipped_msg.clone())
    );
    assert_eq!(error(call_err(&server, "getBlockTime", json!([skipped]))), (-32007, skipped_msg));
    let future = landed + 1_000_000;
    let missing = (-32004, format!("Block not available for slot {future}"));
    assert_eq!(error(call_err(&server, "getBlock", json!([future]))), missing);
    assert_eq!(error(call_err(&server, "getBlockTime", json!([future]))), missing);
    assert_eq!(
        error(call_err(&server, "getBlock", json!([0, {"commitment": "processed"}]))),
        (-32602, "Method does not support commitment below `confirmed`".into())
    );
    assert_eq!(error(call_err(&server, "getBlock", json!([0, {"encoding": "hex"}]))).0, -32602);
    assert_eq!(
        error(call_err(&server, "getBlock", json!([0, {"transactionDetails": "most"}]))).0,
        -32602
    );
    assert_eq!(call(&server, "getFirstAvailableBlock", json!([])), 0);
    // The range is cut at the newest block first, so it is too large only past slot 500 000.
    assert_eq!(call(&server, "getBlocks", json!([0, 500_001])), json!(blocks));
    call(&server, "surfnet_timeTravel", json!([{ "absoluteSlot": 600_000 }]));
    call(&server, "surfnet_timeTravel", json!([{ "absoluteSlot": 600_001 }]));
    assert_eq!(
        error(call_err(&server, "getBlocks", json!([0, 500_001]))),
        (-32602, "Slot range too large; max 500000".into())
    );
    assert_eq!(call(&server, "getBlocks", json!([599_000])), json!([600_000]));
    let commitment = call(&server, "getBlockCommitment", json!([0]));
    assert_eq!(commitment["commitment"], Value::Null);
    assert!(commitment["totalStake"].as_u64().unwrap() > 0);
}

/// `getBlockCommitment` follows the vote account's tower (`getVoteAccounts`): a block above the
/// root holds the validator's whole stake at its confirmation count, the blocks from it to the
/// last vote (the current slot); a rooted block, a skipped slot and a slot not reached are not
/// in the cache.
#[test]
fn block_commitment_follows_the_tower() {
    let server = start();
    // 20 blocks, 5 slots jumped over, 20 blocks: the tower's 31 slots hold both.
    server.with_localnet(|net| (0..20).for_each(|_| net.produce_block())).unwrap();
    let slot = call(&server, "getSlot", json!([])).as_u64().unwrap();
    call(&server, "surfnet_timeTravel", json!([{ "absoluteSlot": slot + 5 }]));
    server.with_localnet(|net| (0..20).for_each(|_| net.produce_block())).unwrap();
    let vote = &call(&server, "getVoteAccounts", json!([]))["current"][0];
    let stake = vote["activatedStake"].as_u64().unwrap();
    assert_eq!(vote["rootSlot"].as_u64().unwrap(), vote["lastVote"].as_u64().unwrap() - 31);
    let top = vote["lastVote"].as_u64().unwrap();
    let (mut voted, mut skipped) = (0, 0);
    for slot in top - 35..=top + 2 {
        // The server closes a block every 400 ms: an answer counts when no block closed
        // around it.
        let (answer, current) = loop {
            let before = call(&server, "getSlot", json!([])).as_u64().unwrap();
            let answer = call(&server, "getBlockCommitment", json!([slot]));
            if call(&server, "getSlot", json!([])).as_u64().unwrap() == before {
                break (answer, before);
            }
        };
        assert_eq!(answer["totalStake"], stake);
        let closed = call(&server, "getBlocks", json!([slot, current - 1]));
        let closed = closed.as_array().unwrap();
        let in_tower = slot + 31 > current && slot <= current;
        if in_tower && (slot == current || closed.first() == Some(&json!(slot))) {
            // The closed blocks from it, and the current slot's (the last vote).
            let mut expected = vec![0u64; 32];
            expected[closed.len()] = stake;
            assert_eq!(answer["commitment"], json!(expected), "slot {slot} at {current}");
            voted += 1;
        } else {
            assert_eq!(answer["commitment"], Value::Null, "slot {slot} at {current}");
            skipped += usize::from(in_tower);
        }
    }
    assert!(voted > 20 && skipped > 0, "{voted} voted, {skipped} skipped");
    let error = call_err(&server, "getBlockCommitment", json!(["ten"]));
    assert_eq!(error["code"], -32602, "{error}");
}

#[test]
fn memos_parse_in_json_parsed() {
    let server = start();
    let payer = funded(&server, SOL);
    let ix = solana_instruction::Instruction {
        program_id: crucible_localnet::spl::MEMO,
        accounts: vec![solana_instruction::AccountMeta::new_readonly(payer.pubkey(), true)],
        data: b"hello blocks".to_vec(),
    };
    let message = solana_message::Message::new_with_blockhash(
        &[ix],
        Some(&payer.pubkey()),
        &blockhash(&server),
    );
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[&payer]).unwrap();
    let sig = call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let got = call(&server, "getTransaction", json!([sig, "jsonParsed"]));
    let ix = &got["transaction"]["message"]["instructions"][0];
    assert_eq!(
        (ix["program"].clone(), ix["parsed"].clone()),
        (json!("spl-memo"), json!("hello blocks"))
    );
}

/// Sends a legacy transaction of `ixs` paid and signed by `payer`; its signature.
fn send(
    server: &RunningServer,
    payer: &Keypair,
    ixs: &[solana_instruction::Instruction],
) -> String {
    let message =
        solana_message::Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &blockhash(server));
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[payer]).unwrap();
    call(server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]))
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn lookup_tables_parse_and_v0_transactions_show_their_loaded_addresses() {
    use solana_address_lookup_table_interface::instruction as alt;
    let server = start();
    let authority = funded(&server, 10 * SOL);
    close_block(&server);
    // A slot the chain produced a block in (a skipped one is not in SlotHashes).
    let recent = call(&server, "getBlocks", json!([0]));
    let recent = recent.as_array().unwrap().last().unwrap().as_u64().unwrap();
    let (create, table) = alt::create_lookup_table(authority.pubkey(), authority.pubkey(), recent);
    let created = send(&server, &authority, &[create]);
    let to = Keypair::new().pubkey();
    let extended = send(
        &server,
        &authority,
        &[alt::extend_lookup_table(table, authority.pubkey(), Some(authority.pubkey()), vec![to])],
    );
    let got = call(&server, "getTransaction", json!([created, {"encoding": "jsonParsed"}]));
    let ix = &got["transaction"]["message"]["instructions"][0];
    assert_eq!(ix["program"], "address-lookup-table");
    assert_eq!(ix["parsed"]["type"], "createLookupTable");
    assert_eq!(ix["parsed"]["info"]["lookupTableAccount"], table.to_string());
    assert_eq!(ix["parsed"]["info"]["recentSlot"], recent);
    // The table's System CPIs (transfer, allocate, assign) parse as System instructions.
    let inner = &got["meta"]["innerInstructions"][0]["instructions"];
    assert_eq!(inner[0]["program"], "system");
    let got = call(&server, "getTransaction", json!([extended, {"encoding": "jsonParsed"}]));
    let ix = &got["transaction"]["message"]["instructions"][0];
    assert_eq!(ix["parsed"]["type"], "extendLookupTable");
    assert_eq!(ix["parsed"]["info"]["newAddresses"], json!([to.to_string()]));

    close_block(&server); // addresses extended in a slot are usable from the next one
    let ix = solana_system_interface::instruction::transfer(&authority.pubkey(), &to, SOL);
    let lookup = solana_message::AddressLookupTableAccount { key: table, addresses: vec![to] };
    let message =
        v0::Message::try_compile(&authority.pubkey(), &[ix], &[lookup], blockhash(&server))
            .unwrap();
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&authority]).unwrap();
    let sig = call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let config = json!({"encoding": "jsonParsed", "maxSupportedTransactionVersion": 0});
    let got = call(&server, "getTransaction", json!([sig, config]));
    // jsonParsed names the loaded addresses in `accountKeys` (source "lookupTable") instead.
    assert!(got["meta"].get("loadedAddresses").is_none());
    let keys = got["transaction"]["message"]["accountKeys"].as_array().unwrap();
    assert_eq!(
        keys.last().unwrap(),
        &json!({"pubkey": to.to_string(), "signer": false, "writable": true, "source": "lookupTable"})
    );
    let balances = got["meta"]["postBalances"].as_array().unwrap();
    assert_eq!((balances.len(), balances.last().unwrap().as_u64().unwrap()), (keys.len(), SOL));
    let parsed = &got["transaction"]["message"]["instructions"][0]["parsed"];
    assert_eq!(parsed["info"]["destination"], to.to_string());
    let json = call(&server, "getTransaction", json!([sig, {"maxSupportedTransactionVersion": 0}]));
    // The address index counts loaded addresses.
    let for_to = call(&server, "getSignaturesForAddress", json!([to.to_string()]));
    assert_eq!(for_to[0]["signature"], sig);
    let loaded = json!({"writable": [to.to_string()], "readonly": []});
    assert_eq!(json["meta"]["loadedAddresses"], loaded);
    assert_eq!(json["meta"]["postBalances"], got["meta"]["postBalances"]);
}

#[test]
fn blocks_of_evicted_history_answer_cleaned_up_over_sockets() {
    let server = crucible_localnet::rpc::serve(
        || Localnet::with_options(Options { history_capacity: 1, ..Options::default() }),
        0,
    )
    .expect("server starts");
    funded(&server, SOL);
    close_block(&server);
    funded(&server, SOL);
    close_block(&server);
    // The first airdrop left the one-transaction history: its block went with it.
    let first_available = call(&server, "getFirstAvailableBlock", json!([])).as_u64().unwrap();
    assert!(first_available > 0);
    assert_eq!(
        error(call_err(&server, "getBlock", json!([0]))),
        (
            -32001,
            format!(
                "Block 0 cleaned up, does not exist on node. First available block: {first_available}"
            )
        )
    );
    assert_eq!(error(call_err(&server, "getBlockTime", json!([0]))).0, -32001);
    let blocks = call(&server, "getBlocks", json!([0]));
    assert_eq!(blocks[0].as_u64().unwrap(), first_available);
}

#[test]
fn legacy_parameters_binary_encoding_and_the_current_slot() {
    let server = start();
    let payer = funded(&server, SOL);
    let tx = transfer(&payer, &Keypair::new().pubkey(), 1, blockhash(&server));
    let sig = call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let slot = tx_slot(&server, sig.as_str().unwrap());
    // The block still being filled: not available; its time is the bank's.
    let current = call(&server, "getSlot", json!([])).as_u64().unwrap();
    let now = call(&server, "getBlockTime", json!([current]));
    assert!(now.is_i64());
    close_block(&server);
    // The legacy form: a bare encoding; `binary` is a plain base58 string.
    let block = call(&server, "getBlock", json!([slot, "base58"]));
    let bytes = bincode::serialize(&tx).unwrap();
    let base58 = bs58::encode(&bytes).into_string();
    assert!(block["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["transaction"] == json!([base58, "base58"])));
    let binary = call(&server, "getBlock", json!([slot, {"encoding": "binary"}]));
    assert!(binary["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["transaction"] == json!(base58)));
    assert_eq!(call(&server, "getBlockTime", json!([slot])), block["blockTime"]);
}
