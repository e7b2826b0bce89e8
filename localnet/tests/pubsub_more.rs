//! PubSub beyond the basics: `rootSubscribe`, `slotsUpdatesSubscribe`, `blockSubscribe`, and the
//! account, program, logs and signature notifications at each commitment, in agave's order.

mod common;

use std::time::{Duration, Instant};

use common::{b64, blockhash, call, funded, start, transfer, Ws, SOL};
use crucible_localnet::{
    rpc::{serve_with_config, RunningServer, ServerConfig},
    Localnet, Pubkey,
};
use serde_json::{json, Value};
use solana_signer::Signer;

/// Every message in arrival order (kept ones first) until `done` holds for one, which is the
/// last one returned.
fn until(ws: &mut Ws, what: &str, done: impl Fn(&Value) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut out = Vec::new();
    loop {
        let msg = match ws.notifications.pop_front() {
            Some(msg) => msg,
            None => {
                assert!(Instant::now() < deadline, "no {what} within 10 s; saw {out:?}");
                match ws.next(Duration::from_millis(200)) {
                    Some(msg) => msg,
                    None => continue,
                }
            }
        };
        let last = done(&msg);
        out.push(msg);
        if last {
            return out;
        }
    }
}

/// `(method, subscription)` of a notification.
fn tag(n: &Value) -> (String, u64) {
    (
        n["method"].as_str().unwrap_or("").to_string(),
        n["params"]["subscription"].as_u64().unwrap_or(0),
    )
}

fn without_blocks() -> RunningServer {
    serve_with_config(
        Localnet::new,
        ServerConfig { port: 0, block_subscription: false, ..ServerConfig::default() },
    )
    .expect("server starts")
}

/// Waits until the open block (holding the funding airdrop) has closed.
fn next_block(server: &RunningServer) {
    let first = call(server, "getSlot", json!([])).as_u64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while call(server, "getSlot", json!([])).as_u64().unwrap() == first {
        assert!(Instant::now() < deadline, "the slot does not advance");
    }
}

fn sent_slot(server: &RunningServer, signature: &str) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = &call(server, "getSignatureStatuses", json!([[signature]]))["value"][0];
        if let Some(slot) = status["slot"].as_u64() {
            return slot;
        }
        assert!(Instant::now() < deadline, "{signature} has no status");
    }
}

#[test]
fn a_block_closes_in_the_validators_order() {
    let server = start();
    let payer = funded(&server, 10 * SOL);
    next_block(&server);
    let to = Pubkey::new_unique();
    let mut ws = Ws::connect(&server);
    let updates = ws.subscribe("slotsUpdatesSubscribe", json!([]));
    let root = ws.subscribe("rootSubscribe", json!([]));
    let slot_sub = ws.subscribe("slotSubscribe", json!([]));
    let [processed, confirmed, finalized] = ["processed", "confirmed", "finalized"]
        .map(|c| ws.subscribe("accountSubscribe", json!([to.to_string(), {"commitment": c}])));
    let default = ws.subscribe("accountSubscribe", json!([to.to_string()]));
    let logs = ws.subscribe(
        "logsSubscribe",
        json!([{"mentions": [to.to_string()]}, {"commitment": "processed"}]),
    );
    let sig_final = {
        let tx = transfer(&payer, &to, SOL, blockhash(&server));
        let sig = tx.signatures[0].to_string();
        let sub = ws.subscribe("signatureSubscribe", json!([sig, {"commitment": "finalized"}]));
        assert_eq!(
            call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}])),
            sig
        );
        (sub, sig)
    };
    let slot = sent_slot(&server, &sig_final.1);
    let seen = until(&mut ws, "the next bank", |n| {
        n["params"]["result"]["type"] == "createdBank" && n["params"]["result"]["parent"] == slot
    });
    // Only what concerns the block of the transaction, from its `completed` on.
    let start = seen
        .iter()
        .position(|n| {
            n["params"]["result"]["type"] == "completed" && n["params"]["result"]["slot"] == slot
        })
        .expect("completed");
    let order: Vec<String> = seen[start..]
        .iter()
        .map(|n| {
            let (method, sub) = tag(n);
            match method.as_str() {
                "slotsUpdatesNotification" => {
                    n["params"]["result"]["type"].as_str().unwrap().to_string()
                }
                "accountNotification" if sub == processed => "account processed".into(),
                "accountNotification" if sub == confirmed => "account confirmed".into(),
                "accountNotification" if sub == finalized => "account finalized".into(),
                "accountNotification" if sub == default => "account default".into(),
                "logsNotification" if sub == logs => "logs processed".into(),
                "signatureNotification" if sub == sig_final.0 => "signature finalized".into(),
                "rootNotification" if sub == root => "root".into(),
                "slotNotification" if sub == slot_sub => "slot".into(),
                other => panic!("unexpected {other}: {n}"),
            }
        })
        .collect();
    assert_eq!(
        order,
        [
            "completed",
            "frozen",
            "account processed",
            "logs processed",
            "optimisticConfirmation",
            "account confirmed",
            "root",
            "root",
            "account finalized",
            "account default",
            "signature finalized",
            "slot",
            "createdBank",
        ],
        "{seen:#?}"
    );
    let of = |name: &str| seen[start..].iter().find(|n| order_name(n) == name).unwrap().clone();
    let frozen = of("frozen");
    let stats = &frozen["params"]["result"]["stats"];
    assert_eq!(stats["numSuccessfulTransactions"], 1, "{stats}");
    assert_eq!(frozen["params"]["result"]["stats"]["numFailedTransactions"], 0);
    assert!(frozen["params"]["result"]["timestamp"].as_u64().unwrap() > 1_600_000_000_000);
    let root_n = seen[start..].iter().find(|n| n["method"] == "rootNotification").unwrap();
    assert_eq!(root_n["params"]["result"], slot);
    let slot_n = seen[start..].iter().find(|n| n["method"] == "slotNotification").unwrap();
    assert_eq!(slot_n["params"]["result"], json!({"parent": slot, "root": slot, "slot": slot + 1}));
    for n in seen[start..].iter().filter(|n| n["method"] == "accountNotification") {
        assert_eq!(n["params"]["result"]["context"]["slot"], slot);
        assert_eq!(n["params"]["result"]["value"]["lamports"], SOL);
    }
    // Each fired once: the signature subscription ended, the others stay.
    assert_eq!(
        ws.call("signatureUnsubscribe", json!([sig_final.0]))["error"],
        json!({"code": -32602, "message": "Invalid subscription id."})
    );
    for (method, id) in [
        ("rootUnsubscribe", root),
        ("slotsUpdatesUnsubscribe", updates),
        ("accountUnsubscribe", processed),
    ] {
        assert_eq!(ws.call(method, json!([id]))["result"], true, "{method}");
        assert_eq!(
            ws.call(method, json!([id]))["error"],
            json!({"code": -32602, "message": "Invalid subscription id."}),
            "{method} twice"
        );
    }
    // A subscription of another kind is not removed by the wrong method.
    assert_eq!(
        ws.call("rootUnsubscribe", json!([slot_sub]))["error"],
        json!({"code": -32602, "message": "Invalid subscription id."})
    );
}

fn order_name(n: &Value) -> String {
    n["params"]["result"]["type"].as_str().unwrap_or("").to_string()
}

/// `@solana/web3.js` sends `accountSubscribe` once its socket is open, often after the
/// transaction that followed `onAccountChange` executed: the change is still notified, as on a
/// validator, while the block that holds it is open.
#[test]
fn a_subscription_made_after_the_transaction_in_its_block_is_notified() {
    let server = start();
    let payer = funded(&server, 10 * SOL);
    let mut ws = Ws::connect(&server);
    for attempt in 0..10 {
        let to = Pubkey::new_unique();
        let tx = transfer(&payer, &to, SOL, blockhash(&server));
        let sig = tx.signatures[0].to_string();
        call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
        let subs = ["processed", "confirmed", "finalized"].map(|c| {
            ws.subscribe(
                "accountSubscribe",
                json!([to.to_string(), {"commitment": c, "encoding": "base64"}]),
            )
        });
        let logs = ws.subscribe("logsSubscribe", json!([{"mentions": [to.to_string()]}]));
        let sig_sub = ws.subscribe("signatureSubscribe", json!([sig, {"commitment": "confirmed"}]));
        // The block was still open when the subscriptions arrived (the slot did not move).
        if call(&server, "getSlot", json!([{"commitment": "processed"}]))
            != sent_slot(&server, &sig)
        {
            assert!(attempt < 9, "the block always closed first");
            continue;
        }
        for sub in subs {
            let n = ws.notification("accountNotification", sub);
            assert_eq!(n["params"]["result"]["value"]["lamports"], SOL);
        }
        let n = ws.notification("logsNotification", logs);
        assert_eq!(n["params"]["result"]["value"]["signature"], sig);
        let n = ws.notification("signatureNotification", sig_sub);
        assert_eq!(n["params"]["result"]["value"], json!({"err": null}));
        return;
    }
}

/// Created by the transaction, changed by a failed one (its fee), closed by a third: each is
/// notified, the closed account as agave writes a deleted one.
#[test]
fn account_notifications_follow_creation_failure_and_deletion() {
    let server = start();
    let payer = funded(&server, 10 * SOL);
    let owner = solana_keypair::Keypair::new();
    let mut ws = Ws::connect(&server);
    let sub = ws.subscribe(
        "accountSubscribe",
        json!([owner.pubkey().to_string(), {"commitment": "confirmed", "encoding": "base64"}]),
    );
    let prog = ws.subscribe(
        "programSubscribe",
        json!(["11111111111111111111111111111111", {"commitment": "finalized", "filters": [{"dataSize": 0}]}]),
    );
    call(
        &server,
        "sendTransaction",
        json!([b64(&transfer(&payer, &owner.pubkey(), SOL, blockhash(&server))), {"encoding": "base64"}]),
    );
    let n = ws.notification("accountNotification", sub);
    assert_eq!(n["params"]["result"]["value"]["lamports"], SOL);
    let n = ws.notification("programNotification", prog);
    assert!(n["params"]["result"]["value"]["pubkey"].is_string());
    // A failed transfer (more than it holds) still charges the fee.
    let failing = transfer(&owner, &payer.pubkey(), 2 * SOL, blockhash(&server));
    call(
        &server,
        "sendTransaction",
        json!([b64(&failing), {"encoding": "base64", "skipPreflight": true}]),
    );
    let n = ws.notification("accountNotification", sub);
    assert_eq!(n["params"]["result"]["value"]["lamports"], SOL - 5000);
    // Everything left goes: the account is deleted.
    let all = transfer(&owner, &payer.pubkey(), SOL - 10_000, blockhash(&server));
    call(&server, "sendTransaction", json!([b64(&all), {"encoding": "base64"}]));
    let n = ws.notification("accountNotification", sub);
    assert_eq!(
        n["params"]["result"]["value"],
        json!({"data": ["", "base64"], "executable": false, "lamports": 0,
               "owner": "11111111111111111111111111111111", "rentEpoch": 0, "space": 0})
    );
}

#[test]
fn subscriptions_refuse_an_unknown_commitment() {
    let server = start();
    let mut ws = Ws::connect(&server);
    let key = Pubkey::new_unique().to_string();
    let message = "Invalid params: unknown variant `recent`, expected one of `processed`, \
                   `confirmed`, `finalized`.";
    for (method, params) in [
        ("accountSubscribe", json!([key, {"commitment": "recent"}])),
        ("programSubscribe", json!([key, {"commitment": "recent"}])),
        ("logsSubscribe", json!(["all", {"commitment": "recent"}])),
        (
            "signatureSubscribe",
            json!([bs58::encode([1u8; 64]).into_string(), {"commitment": "recent"}]),
        ),
    ] {
        let reply = ws.call(method, params);
        assert_eq!(reply["error"], json!({"code": -32602, "message": message}), "{method}");
    }
    assert_eq!(call(&server, "crucible_stats", json!([]))["subscriptions"], 0);
}

#[test]
fn block_subscription_can_be_turned_off() {
    let server = without_blocks();
    let mut ws = Ws::connect(&server);
    for (method, params) in [("blockSubscribe", json!(["all"])), ("blockUnsubscribe", json!([1]))] {
        let reply = ws.call(method, params);
        assert_eq!(reply["error"], json!({"code": -32601, "message": "Method not found"}));
    }
}

#[test]
fn block_subscribe_refuses_bad_parameters() {
    let server = start();
    let mut ws = Ws::connect(&server);
    let err = |ws: &mut Ws, params: Value| ws.call("blockSubscribe", params)["error"].clone();
    assert_eq!(
        err(&mut ws, json!(["all", {"commitment": "processed"}])),
        json!({"code": -32602, "message": "Method does not support commitment below `confirmed`"})
    );
    assert_eq!(err(&mut ws, json!(["everything"]))["code"], -32602);
    assert_eq!(err(&mut ws, json!([{"mentionsAccountOrProgram": "nope"}]))["code"], -32602);
    assert_eq!(
        err(&mut ws, json!(["all", {"encoding": "hex"}]))["message"],
        "Invalid params: unknown variant `hex`, expected one of `binary`, `base64`, `base58`, \
         `json`, `jsonParsed`."
    );
    assert_eq!(
        err(&mut ws, json!(["all", {"transactionDetails": "some"}]))["message"],
        "Invalid params: unknown variant `some`, expected one of `full`, `signatures`, `none`, \
         `accounts`."
    );
    assert_eq!(call(&server, "crucible_stats", json!([]))["subscriptions"], 0);
}

#[test]
fn block_notifications_carry_the_blocks_transactions() {
    let server = start();
    let payer = funded(&server, 10 * SOL);
    next_block(&server);
    let to = Pubkey::new_unique();
    let mut ws = Ws::connect(&server);
    let full = ws.subscribe(
        "blockSubscribe",
        json!(["all", {"encoding": "json", "commitment": "confirmed", "showRewards": true}]),
    );
    let mentions = ws.subscribe(
        "blockSubscribe",
        json!([{"mentionsAccountOrProgram": to.to_string()}, {"transactionDetails": "signatures"}]),
    );
    let other = ws.subscribe(
        "blockSubscribe",
        json!([{"mentionsAccountOrProgram": Pubkey::new_unique().to_string()}]),
    );
    let accounts = ws.subscribe(
        "blockSubscribe",
        json!([{"mentionsAccountOrProgram": to.to_string()}, {"transactionDetails": "accounts", "maxSupportedTransactionVersion": 0}]),
    );
    let none = ws.subscribe("blockSubscribe", json!(["all", {"transactionDetails": "none"}]));
    let tx = transfer(&payer, &to, SOL, blockhash(&server));
    let sig = tx.signatures[0].to_string();
    call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let slot = sent_slot(&server, &sig);
    let seen = until(&mut ws, "the block after", |n| {
        tag(n).1 == none && n["params"]["result"]["context"]["slot"] == slot + 1
    });
    let of = |sub: u64| -> Vec<&Value> {
        seen.iter()
            .filter(|n| tag(n).1 == sub && n["params"]["result"]["context"]["slot"] == slot)
            .map(|n| &n["params"]["result"]["value"])
            .collect()
    };
    let block = &of(full)[0];
    assert_eq!(block["slot"], slot);
    assert_eq!(block["err"], Value::Null);
    let b = &block["block"];
    assert_eq!(b["parentSlot"], slot.saturating_sub(1));
    assert!(b["blockhash"].is_string() && b["previousBlockhash"].is_string());
    assert_ne!(b["blockhash"], b["previousBlockhash"]);
    assert!(b["blockTime"].is_i64() && b["blockHeight"].is_u64());
    let txs = b["transactions"].as_array().unwrap();
    assert_eq!(txs.len(), 1);
    // The leader's fee reward, as getBlock lists it.
    let rewards = b["rewards"].as_array().unwrap();
    assert_eq!(rewards.len(), 1, "{b}");
    assert_eq!(rewards[0]["lamports"], txs[0]["meta"]["fee"].as_u64().unwrap() / 2);
    assert_eq!(rewards[0]["rewardType"], "Fee");
    assert_eq!(txs[0]["transaction"]["signatures"][0], sig);
    assert_eq!(txs[0]["meta"]["err"], Value::Null);
    assert!(txs[0].get("slot").is_none() && txs[0].get("version").is_none());
    // The same block at finalized follows for the default-commitment subscriptions.
    let m = &of(mentions)[0]["block"];
    assert_eq!(m["signatures"], json!([sig]));
    assert!(m.get("transactions").is_none() && m.get("rewards").is_none());
    assert!(of(other).is_empty(), "a block that does not mention the key is not sent");
    let a = &of(accounts)[0]["block"]["transactions"][0];
    assert_eq!(a["version"], "legacy");
    assert_eq!(
        a["transaction"]["accountKeys"][0],
        json!({"pubkey": payer.pubkey().to_string(), "writable": true, "signer": true, "source": "transaction"})
    );
    assert!(a["meta"].get("logMessages").is_none());
    let n = &of(none)[0]["block"];
    assert!(n.get("transactions").is_none() && n.get("signatures").is_none());
    // The next block's parent is this one.
    let next = seen.last().unwrap();
    assert_eq!(next["params"]["result"]["value"]["block"]["previousBlockhash"], b["blockhash"]);
    assert_eq!(ws.call("blockUnsubscribe", json!([full]))["result"], true);
    assert_eq!(
        ws.call("blockUnsubscribe", json!([full]))["error"],
        json!({"code": -32602, "message": "Invalid subscription id."})
    );
}

/// A v0 transfer to an address it loads from a lookup table: the account and the `mentions`
/// filters see the loaded address, as agave's `account_keys()` does.
#[test]
fn addresses_loaded_from_a_lookup_table_are_notified() {
    use solana_address_lookup_table_interface::instruction as alt;
    use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
    use solana_transaction::versioned::VersionedTransaction;

    let server = start();
    let payer = funded(&server, 10 * SOL);
    let send = |ixs: &[solana_instruction::Instruction]| {
        let message = Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &blockhash(&server));
        let tx =
            VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[&payer]).unwrap();
        let sig = tx.signatures[0].to_string();
        call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
        sent_slot(&server, &sig)
    };
    // A slot the chain has passed is in SlotHashes.
    next_block(&server);
    let recent = call(&server, "getSlot", json!([])).as_u64().unwrap() - 1;
    let (create, table) = alt::create_lookup_table(payer.pubkey(), payer.pubkey(), recent);
    let to = Pubkey::new_unique();
    let extend = alt::extend_lookup_table(table, payer.pubkey(), Some(payer.pubkey()), vec![to]);
    send(&[create, extend]);
    // Addresses extended in a slot are usable from the next one.
    next_block(&server);

    let mut ws = Ws::connect(&server);
    let account =
        ws.subscribe("accountSubscribe", json!([to.to_string(), {"commitment": "confirmed"}]));
    let logs = ws.subscribe("logsSubscribe", json!([{"mentions": [to.to_string()]}]));
    let block = ws.subscribe(
        "blockSubscribe",
        json!([{"mentionsAccountOrProgram": to.to_string()}, {"transactionDetails": "signatures"}]),
    );
    let ix = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, SOL);
    let lookup = AddressLookupTableAccount { key: table, addresses: vec![to] };
    let message =
        v0::Message::try_compile(&payer.pubkey(), &[ix], &[lookup], blockhash(&server)).unwrap();
    assert_eq!(message.address_table_lookups.len(), 1, "the recipient is loaded");
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&payer]).unwrap();
    let sig = tx.signatures[0].to_string();
    assert_eq!(call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}])), sig);

    let n = ws.notification("accountNotification", account);
    assert_eq!(n["params"]["result"]["value"]["lamports"], SOL);
    let n = ws.notification("logsNotification", logs);
    assert_eq!(n["params"]["result"]["value"]["signature"], sig);
    let n = ws.notification("blockNotification", block);
    assert_eq!(n["params"]["result"]["value"]["block"]["signatures"], json!([sig]));
}
