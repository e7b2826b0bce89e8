//! The JSON-RPC and PubSub server, spoken to over real sockets.

mod common;

use std::time::{Duration, Instant};

use base64::Engine;
use common::*;
use crucible_localnet::{rpc::serve, spl, Localnet, Pubkey};
use serde_json::{json, Value};
use solana_account::Account;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_signer::Signer;

#[test]
fn protocol_errors_and_ids() {
    let server = start();

    let reply = post(&server, "{not json");
    assert_eq!(reply["error"]["code"], -32700);
    assert_eq!(reply["error"]["message"], "Parse error");
    assert_eq!(reply["id"], Value::Null);

    let reply = post(&server, r#"{"jsonrpc":"2.0","id":"abc-1","method":"noSuchMethod"}"#);
    assert_eq!(reply["error"]["code"], -32601);
    assert_eq!(reply["error"]["message"], "Method not found");
    assert_eq!(reply["id"], "abc-1");

    for bad in
        [r#"{"jsonrpc":"2.0","id":3}"#, "5", r#"{"jsonrpc":"1.0","id":3,"method":"getHealth"}"#]
    {
        let reply = post(&server, bad);
        assert_eq!(reply["error"]["code"], -32600, "{bad}: {reply}");
    }

    // ids come back exactly as sent
    for id in [json!("a string"), json!(42), json!(Value::Null), json!("7")] {
        let reply =
            post(&server, &json!({"jsonrpc": "2.0", "id": id, "method": "getHealth"}).to_string());
        assert_eq!(reply["id"], id);
        assert_eq!(reply["result"], "ok");
    }

    // invalid params: agave's wording where agave words them itself (`Error::invalid_params`),
    // "Invalid params: " before ours where jsonrpc-core would refuse the parameter's shape
    for (method, params, expected) in [
        ("getBalance", json!(["not-a-pubkey"]), "Invalid param: Invalid"),
        ("getBalance", json!(["1111"]), "Invalid param: WrongSize"),
        ("getBalance", json!([]), "Invalid params: missing parameter 1"),
        ("getBalance", json!([12]), "Invalid params: "),
        (
            "getAccountInfo",
            json!(["11111111111111111111111111111111", {"encoding": "nope"}]),
            "Invalid params: ",
        ),
        ("sendTransaction", json!(["!!!", {"encoding": "base64"}]), "invalid base64 encoding: "),
        (
            "sendTransaction",
            json!(["AAAA", {"encoding": "base64"}]),
            "failed to deserialize solana_transaction::versioned::VersionedTransaction: io error: ",
        ),
        ("sendTransaction", json!(["0OIl"]), "invalid base58 encoding: "),
        ("getSignatureStatuses", json!([["xyz"]]), "Invalid param: WrongSize"),
        ("isBlockhashValid", json!(["xyz"]), "WrongSize"),
        ("crucible_warp", json!([-5]), "Invalid params: "),
        ("crucible_warp", json!([1.5]), "Invalid params: "),
        ("crucible_warp", json!([]), "Invalid params: "),
        ("crucible_warp", json!(["10"]), "Invalid params: "),
        ("crucible_warp", json!([200u64 * 365 * 86_400]), "Invalid params: "),
        (
            "getProgramAccounts",
            json!(["11111111111111111111111111111111", {"filters": [{"memcmp": {"offset": 0, "bytes": "0OIl"}}]}]),
            "Invalid param",
        ),
    ] {
        let err = call_err(&server, method, params.clone());
        assert_eq!(err["code"], -32602, "{method} {params}: {err}");
        assert!(err["message"].as_str().unwrap().starts_with(expected), "{method} {params}: {err}");
    }

    // an oversized transaction
    let big = base64::engine::general_purpose::STANDARD.encode(vec![1u8; 1300]);
    let err = call_err(&server, "sendTransaction", json!([big, {"encoding": "base64"}]));
    assert_eq!(err["code"], -32602);
    assert_eq!(
        err["message"],
        "base64 encoded solana_transaction::versioned::VersionedTransaction too large: 1736 bytes \
         (max: encoded/raw 1644/1232)"
    );

    // batches
    let reply = post(
        &server,
        r#"[{"jsonrpc":"2.0","id":1,"method":"getHealth"},{"jsonrpc":"2.0","id":"two","method":"nope"},{"jsonrpc":"2.0","method":"getHealth"}]"#,
    );
    let replies = reply.as_array().expect("batch answer");
    assert_eq!(replies.len(), 2, "a notification gets no answer");
    assert_eq!(replies[0]["result"], "ok");
    assert_eq!(replies[1]["id"], "two");
    assert_eq!(replies[1]["error"]["code"], -32601);
    assert_eq!(post(&server, "[]")["error"]["code"], -32600);

    // HTTP level
    let (status, _) = http(&server, "GET", b"");
    assert_eq!(status, 405);
    let huge = vec![b' '; 3 << 20];
    let (status, body) = http(&server, "POST", &huge);
    assert_eq!(status, 413, "{body}");

    // still serving
    assert_eq!(call(&server, "getHealth", json!([])), "ok");
    server.shutdown();
}

#[test]
fn chain_queries() {
    let server = start();
    let version = call(&server, "getVersion", json!([]));
    assert_eq!(version["solana-core"], "2.3.13");
    assert!(version["feature-set"].is_u64());

    let latest = call(&server, "getLatestBlockhash", json!([{"commitment": "confirmed"}]));
    assert!(latest["context"]["slot"].is_u64());
    assert_eq!(latest["context"]["apiVersion"], "2.3.13");
    assert!(latest["value"]["lastValidBlockHeight"].is_u64());
    let hash = latest["value"]["blockhash"].as_str().unwrap();
    assert_eq!(call(&server, "isBlockhashValid", json!([hash]))["value"], true);
    assert_eq!(
        call(&server, "isBlockhashValid", json!([Hash::new_unique().to_string()]))["value"],
        false
    );

    let info = call(&server, "getEpochInfo", json!([]));
    for key in ["absoluteSlot", "blockHeight", "epoch", "slotIndex", "slotsInEpoch"] {
        assert!(info[key].is_u64(), "{key}: {info}");
    }
    assert!(call(&server, "getGenesisHash", json!([])).is_string());
    assert!(call(&server, "getMinimumBalanceForRentExemption", json!([0])).as_u64().unwrap() > 0);
    assert!(call(&server, "getEpochSchedule", json!([]))["slotsPerEpoch"].is_u64());

    let programs = call(&server, "crucible_programs", json!([]));
    assert!(programs
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "spl_token" && p["programId"] == spl::TOKEN.to_string()));

    // fee for a message
    let payer = Keypair::new();
    let tx = transfer(&payer, &Pubkey::new_unique(), 1, hash.parse().unwrap());
    let message = base64::engine::general_purpose::STANDARD.encode(tx.message.serialize());
    assert_eq!(call(&server, "getFeeForMessage", json!([message]))["value"], 5000);
    let stale = transfer(&payer, &Pubkey::new_unique(), 1, Hash::new_unique());
    let message = base64::engine::general_purpose::STANDARD.encode(stale.message.serialize());
    assert_eq!(call(&server, "getFeeForMessage", json!([message]))["value"], Value::Null);
    server.shutdown();
}

#[test]
fn airdrop_balance_status_and_history() {
    let server = start();
    let who = Pubkey::new_unique();
    let sig = call(&server, "requestAirdrop", json!([who.to_string(), 2 * SOL]));
    let sig = sig.as_str().unwrap().to_string();

    assert_eq!(call(&server, "getBalance", json!([who.to_string()]))["value"], 2 * SOL);
    let statuses = call(
        &server,
        "getSignatureStatuses",
        json!([[sig, "1111111111111111111111111111111111111111111111111111111111111111"], {"searchTransactionHistory": true}]),
    );
    let status = &statuses["value"][0];
    assert_eq!(status["err"], Value::Null);
    assert_eq!(status["status"], json!({"Ok": null}));
    assert_eq!(status["confirmationStatus"], "finalized");
    assert_eq!(status["confirmations"], Value::Null);
    assert!(status["slot"].is_u64());
    assert_eq!(statuses["value"][1], Value::Null);

    let tx = call(
        &server,
        "getTransaction",
        json!([sig, {"encoding": "json", "maxSupportedTransactionVersion": 0}]),
    );
    assert_eq!(tx["version"], "legacy");
    assert_eq!(tx["transaction"]["signatures"][0], sig);
    let message = &tx["transaction"]["message"];
    assert_eq!(message["header"]["numRequiredSignatures"], 1);
    assert!(message["accountKeys"].as_array().unwrap().contains(&json!(who.to_string())));
    // agave 2.3 writes a top-level instruction's stack height, 1.
    assert_eq!(message["instructions"][0]["stackHeight"], 1);
    let meta = &tx["meta"];
    assert_eq!(meta["err"], Value::Null);
    assert_eq!(meta["fee"], 5000);
    assert_eq!(meta["status"], json!({"Ok": null}));
    assert!(meta["logMessages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("success")));
    assert_eq!(meta["loadedAddresses"], json!({"writable": [], "readonly": []}));
    assert!(meta["computeUnitsConsumed"].is_u64());

    let raw = call(&server, "getTransaction", json!([sig, {"encoding": "base64"}]));
    assert_eq!(raw["transaction"][1], "base64");
    assert!(raw.get("version").is_none());
    let parsed = call(
        &server,
        "getTransaction",
        json!([sig, {"encoding": "jsonParsed", "maxSupportedTransactionVersion": 0}]),
    );
    assert_eq!(
        parsed["transaction"]["message"]["instructions"][0]["programId"],
        "11111111111111111111111111111111"
    );
    assert_eq!(
        call(
            &server,
            "getTransaction",
            json!([solana_signature::Signature::default().to_string()])
        ),
        Value::Null
    );

    let history = call(&server, "getSignaturesForAddress", json!([who.to_string()]));
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["signature"], sig);
    assert_eq!(history[0]["confirmationStatus"], "finalized");
    let sig2 = call(&server, "requestAirdrop", json!([who.to_string(), SOL]));
    let history = call(&server, "getSignaturesForAddress", json!([who.to_string(), {"limit": 1}]));
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["signature"], sig2);
    let before =
        call(&server, "getSignaturesForAddress", json!([who.to_string(), {"before": sig2}]));
    assert_eq!(before[0]["signature"], sig);
    let until = call(&server, "getSignaturesForAddress", json!([who.to_string(), {"until": sig}]));
    assert_eq!(until.as_array().unwrap().len(), 1);
    assert_eq!(until[0]["signature"], sig2);

    let account = call(&server, "getAccountInfo", json!([who.to_string(), {"encoding": "base64"}]));
    assert_eq!(account["value"]["lamports"], 3 * SOL);
    assert_eq!(account["value"]["data"], json!(["", "base64"]));
    assert_eq!(account["value"]["owner"], "11111111111111111111111111111111");
    assert_eq!(account["value"]["space"], 0);
    let missing = call(
        &server,
        "getMultipleAccounts",
        json!([[who.to_string(), Pubkey::new_unique().to_string()], {"encoding": "base64"}]),
    );
    assert_eq!(missing["value"][0]["lamports"], 3 * SOL);
    assert_eq!(missing["value"][1], Value::Null);
    let stats = call(&server, "crucible_stats", json!([]));
    assert_eq!(stats["transactions"], 2);
    server.shutdown();
}

#[test]
fn the_deprecated_crucible_warp_still_moves_slot_and_clock() {
    let server = start();
    let slot = call(&server, "getSlot", json!([])).as_u64().unwrap();
    let clock = call(&server, "crucible_clock", json!([]));
    let warped = call(&server, "crucible_warp", json!([3600]));
    assert_eq!(warped["slot"], slot + 9000);
    assert_eq!(warped["unixTimestamp"], clock["unixTimestamp"].as_i64().unwrap() + 3600);
    assert!(warped["epoch"].is_u64());
    assert_eq!(call(&server, "getSlot", json!([])), slot + 9000);
    assert_eq!(
        call(&server, "crucible_clock", json!([]))["unixTimestamp"],
        warped["unixTimestamp"]
    );
    // transactions still go through after a warp
    let payer = funded(&server, SOL);
    let tx = transfer(&payer, &Pubkey::new_unique(), 1000, blockhash(&server));
    call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    server.shutdown();
}

#[test]
fn send_failures_carry_err_and_logs() {
    let server = start();
    let payer = funded(&server, SOL);
    let hash = blockhash(&server);

    // more than it has: the System program's custom error 1, refused at preflight
    let tx = transfer(&payer, &Pubkey::new_unique(), 10 * SOL, hash);
    let err = call_err(
        &server,
        "sendTransaction",
        json!([b64(&tx), {"encoding": "base64", "preflightCommitment": "confirmed"}]),
    );
    assert_eq!(err["code"], -32002);
    assert_eq!(
        err["message"],
        "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1"
    );
    assert_eq!(err["data"]["err"], json!({"InstructionError": [0, {"Custom": 1}]}));
    assert!(!err["data"]["logs"].as_array().unwrap().is_empty());
    assert_eq!(err["data"]["accounts"], Value::Null);
    assert!(err["data"]["unitsConsumed"].is_u64());
    let status = call(&server, "getSignatureStatuses", json!([[tx.signatures[0].to_string()]]));
    assert_eq!(status["value"][0], Value::Null, "not executed");
    assert_eq!(call(&server, "getBalance", json!([payer.pubkey().to_string()]))["value"], SOL);

    // with skipPreflight it executes: fee charged, error in its status
    let sig = call(
        &server,
        "sendTransaction",
        json!([b64(&tx), {"encoding": "base64", "skipPreflight": true}]),
    );
    assert_eq!(sig, tx.signatures[0].to_string());
    let status = call(&server, "getSignatureStatuses", json!([[sig]]));
    assert_eq!(status["value"][0]["err"], json!({"InstructionError": [0, {"Custom": 1}]}));
    assert_eq!(
        status["value"][0]["status"],
        json!({"Err": {"InstructionError": [0, {"Custom": 1}]}})
    );
    assert_eq!(
        call(&server, "getBalance", json!([payer.pubkey().to_string()]))["value"],
        SOL - 5000
    );

    // the same again: already processed with preflight; without, answered and dropped
    let err = call_err(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    assert_eq!(err["data"]["err"], "AlreadyProcessed");
    let again = call(
        &server,
        "sendTransaction",
        json!([b64(&tx), {"encoding": "base64", "skipPreflight": true}]),
    );
    assert_eq!(again, sig);
    assert_eq!(
        call(&server, "getBalance", json!([payer.pubkey().to_string()]))["value"],
        SOL - 5000,
        "the fee charged once"
    );

    // unknown blockhash, in base58 (the default encoding)
    let stale = transfer(&payer, &Pubkey::new_unique(), 1, Hash::new_unique());
    let encoded = bs58::encode(bincode::serialize(&stale).unwrap()).into_string();
    let err = call_err(&server, "sendTransaction", json!([encoded]));
    assert_eq!(err["code"], -32002);
    assert_eq!(err["data"]["err"], "BlockhashNotFound");
    assert_eq!(err["data"]["logs"], json!([]));

    // a bad signature
    let mut forged = transfer(&payer, &Pubkey::new_unique(), 1, hash);
    forged.signatures[0] = solana_signature::Signature::from([7u8; 64]);
    let err = call_err(&server, "sendTransaction", json!([b64(&forged), {"encoding": "base64"}]));
    assert_eq!(err["code"], -32003);
    assert_eq!(err["message"], "Transaction signature verification failure");

    // simulation: unsigned, with a replaced blockhash
    let mut unsigned = transfer(&payer, &Pubkey::new_unique(), 1000, Hash::new_unique());
    unsigned.signatures = vec![solana_signature::Signature::default()];
    let sim = call(
        &server,
        "simulateTransaction",
        json!([b64(&unsigned), {"encoding": "base64", "replaceRecentBlockhash": true, "sigVerify": false,
            "accounts": {"addresses": [payer.pubkey().to_string()], "encoding": "base64"}}]),
    );
    assert_eq!(sim["value"]["err"], Value::Null, "{sim}");
    assert!(sim["value"]["unitsConsumed"].is_u64());
    assert_eq!(sim["value"]["returnData"], Value::Null);
    assert!(sim["value"]["replacementBlockhash"]["blockhash"].is_string());
    assert!(sim["value"]["accounts"][0]["lamports"].as_u64().unwrap() < SOL);
    let failing = transfer(&payer, &Pubkey::new_unique(), 10 * SOL, blockhash(&server));
    let sim = call(&server, "simulateTransaction", json!([b64(&failing), {"encoding": "base64"}]));
    assert_eq!(sim["value"]["err"], json!({"InstructionError": [0, {"Custom": 1}]}));
    assert!(!sim["value"]["logs"].as_array().unwrap().is_empty());
    let err = call_err(
        &server,
        "simulateTransaction",
        json!([b64(&forged), {"encoding": "base64", "sigVerify": true}]),
    );
    assert_eq!(err["code"], -32003);
    server.shutdown();
}

#[test]
fn token_accounts() {
    let server = start();
    let mint = Pubkey::new_unique();
    let owner = Pubkey::new_unique();
    let holder = Pubkey::new_unique();
    let (mint_key, holder_key) = (mint, holder);
    server
        .with_localnet(move |net| {
            let mut mint_data = vec![0u8; 82];
            mint_data[36..44].copy_from_slice(&1_500_000u64.to_le_bytes());
            mint_data[44] = 6;
            mint_data[45] = 1;
            let rent = net.minimum_balance_for_rent_exemption(165);
            net.set_account(
                mint_key,
                Account {
                    lamports: rent,
                    data: mint_data,
                    owner: spl::TOKEN,
                    executable: false,
                    rent_epoch: 0,
                },
            );
            let mut acc = vec![0u8; 165];
            acc[0..32].copy_from_slice(mint_key.as_ref());
            acc[32..64].copy_from_slice(owner.as_ref());
            acc[64..72].copy_from_slice(&1_500_000u64.to_le_bytes());
            acc[108] = 1;
            net.set_account(
                holder_key,
                Account {
                    lamports: rent,
                    data: acc,
                    owner: spl::TOKEN,
                    executable: false,
                    rent_epoch: 0,
                },
            );
        })
        .unwrap();
    let balance = call(&server, "getTokenAccountBalance", json!([holder.to_string()]));
    assert_eq!(
        balance["value"],
        json!({"amount": "1500000", "decimals": 6, "uiAmount": 1.5, "uiAmountString": "1.5"})
    );
    let supply = call(&server, "getTokenSupply", json!([mint.to_string()]));
    assert_eq!(supply["value"]["amount"], "1500000");
    let by_owner = call(
        &server,
        "getTokenAccountsByOwner",
        json!([owner.to_string(), {"mint": mint.to_string()}, {"encoding": "base64"}]),
    );
    assert_eq!(by_owner["value"][0]["pubkey"], holder.to_string());
    let by_program = call(
        &server,
        "getTokenAccountsByOwner",
        json!([owner.to_string(), {"programId": spl::TOKEN.to_string()}, {"encoding": "jsonParsed"}]),
    );
    let info = &by_program["value"][0]["account"]["data"]["parsed"]["info"];
    assert_eq!(info["tokenAmount"]["uiAmountString"], "1.5");
    assert_eq!(info["mint"], mint.to_string());
    let gpa = call(
        &server,
        "getProgramAccounts",
        json!([spl::TOKEN.to_string(), {"encoding": "base64", "filters": [{"dataSize": 165}, {"memcmp": {"offset": 32, "bytes": owner.to_string()}}]}]),
    );
    assert_eq!(gpa.as_array().unwrap().len(), 1);
    assert_eq!(gpa[0]["pubkey"], holder.to_string());
    let gpa = call(
        &server,
        "getProgramAccounts",
        json!([spl::TOKEN.to_string(), {"encoding": "base64", "withContext": true, "dataSlice": {"offset": 0, "length": 4},
            "filters": [{"memcmp": {"offset": 0, "bytes": base64::engine::general_purpose::STANDARD.encode(mint.as_ref()), "encoding": "base64"}}]}]),
    );
    assert!(gpa["context"]["slot"].is_u64());
    assert_eq!(gpa["value"].as_array().unwrap().len(), 1);
    let sliced = base64::engine::general_purpose::STANDARD
        .decode(gpa["value"][0]["account"]["data"][0].as_str().unwrap())
        .unwrap();
    assert_eq!(sliced, mint.as_ref()[..4]);
    let err = call_err(&server, "getTokenAccountBalance", json!([mint.to_string()]));
    assert_eq!(err["code"], -32602);
    server.shutdown();
}

#[test]
fn pubsub_notifications() {
    let server = start();
    let payer = funded(&server, SOL);
    let to = Pubkey::new_unique();
    let mut ws = Ws::connect(&server);

    // garbage and unknown methods do not close the connection; a notification gets no answer
    assert_eq!(ws.raw_call("{oops")["error"]["code"], -32700);
    assert_eq!(ws.call("noSuchMethod", json!([]))["error"]["code"], -32601);
    assert_eq!(ws.call("signatureSubscribe", json!(["bad"]))["error"]["code"], -32602);
    ws.send_text(r#"{"jsonrpc":"2.0","method":"ping"}"#);

    let tx = transfer(&payer, &to, 5000 * 1000, blockhash(&server));
    let sig = tx.signatures[0].to_string();
    let sig_sub = ws.subscribe(
        "signatureSubscribe",
        json!([sig, {"commitment": "confirmed", "enableReceivedNotification": false}]),
    );
    let logs_sub = ws.subscribe(
        "logsSubscribe",
        json!([{"mentions": [to.to_string()]}, {"commitment": "confirmed"}]),
    );
    let all_logs = ws.subscribe("logsSubscribe", json!(["all"]));
    let acct_sub = ws.subscribe(
        "accountSubscribe",
        json!([to.to_string(), {"encoding": "base64", "commitment": "confirmed"}]),
    );
    let slot_sub = ws.subscribe("slotSubscribe", json!([]));
    let program_sub = ws.subscribe(
        "programSubscribe",
        json!(["11111111111111111111111111111111", {"encoding": "base64", "filters": [{"dataSize": 0}]}]),
    );

    assert_eq!(call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}])), sig);

    let n = ws.notification("signatureNotification", sig_sub);
    assert_eq!(n["params"]["result"]["value"], json!({"err": null}));
    assert!(n["params"]["result"]["context"]["slot"].is_u64());
    let n = ws.notification("logsNotification", logs_sub);
    assert_eq!(n["params"]["result"]["value"]["signature"], sig);
    assert_eq!(n["params"]["result"]["value"]["err"], Value::Null);
    assert!(!n["params"]["result"]["value"]["logs"].as_array().unwrap().is_empty());
    ws.notification("logsNotification", all_logs);
    let n = ws.notification("accountNotification", acct_sub);
    assert_eq!(n["params"]["result"]["value"]["lamports"], 5_000_000);
    assert_eq!(n["params"]["result"]["value"]["data"], json!(["", "base64"]));
    let n = ws.notification("slotNotification", slot_sub);
    assert!(n["params"]["result"]["slot"].as_u64() > n["params"]["result"]["parent"].as_u64());
    let mut seen = Vec::new();
    for _ in 0..2 {
        let n = ws.notification("programNotification", program_sub);
        seen.push(n["params"]["result"]["value"]["pubkey"].as_str().unwrap().to_string());
    }
    seen.sort();
    let mut expected = vec![payer.pubkey().to_string(), to.to_string()];
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(ws.call("programUnsubscribe", json!([program_sub]))["result"], true);
    assert!(n["params"]["result"]["slot"].is_u64());

    // the signature subscription ended by itself
    assert_eq!(
        ws.call("signatureUnsubscribe", json!([sig_sub]))["error"],
        json!({"code": -32602, "message": "Invalid subscription id."})
    );
    assert_eq!(ws.call("logsUnsubscribe", json!([logs_sub]))["result"], true);
    assert_eq!(
        ws.call("logsUnsubscribe", json!([logs_sub]))["error"],
        json!({"code": -32602, "message": "Invalid subscription id."})
    );
    // a subscription of another kind is not removed by the wrong method
    assert_eq!(
        ws.call("logsUnsubscribe", json!([acct_sub]))["error"],
        json!({"code": -32602, "message": "Invalid subscription id."})
    );
    assert_eq!(ws.call("accountUnsubscribe", json!([acct_sub]))["result"], true);

    // subscribing to an already processed signature notifies at once
    let again = ws.subscribe("signatureSubscribe", json!([sig]));
    let n = ws.notification("signatureNotification", again);
    assert_eq!(n["params"]["result"]["value"]["err"], Value::Null);

    // a failed transaction notifies with its error
    let failing = transfer(&payer, &to, 10 * SOL, blockhash(&server));
    let fail_sub = ws.subscribe("signatureSubscribe", json!([failing.signatures[0].to_string()]));
    let sent = call(
        &server,
        "sendTransaction",
        json!([b64(&failing), {"encoding": "base64", "skipPreflight": true}]),
    );
    assert_eq!(sent, failing.signatures[0].to_string());
    let n = ws.notification("signatureNotification", fail_sub);
    assert_eq!(
        n["params"]["result"]["value"]["err"],
        json!({"InstructionError": [0, {"Custom": 1}]})
    );

    assert!(call(&server, "crucible_stats", json!([]))["subscriptions"].as_u64().unwrap() >= 2);
    drop(ws);
    // the closed connection's subscriptions go away
    let deadline = Instant::now() + Duration::from_secs(5);
    while call(&server, "crucible_stats", json!([]))["subscriptions"] != 0 {
        assert!(Instant::now() < deadline, "subscriptions leaked");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.shutdown();
}

#[test]
fn busy_port_is_a_clear_error() {
    let server = start();
    let err = serve(Localnet::new, server.rpc_port).err().expect("port in use");
    assert!(err.to_string().contains(&server.rpc_port.to_string()), "{err}");
    let err = serve(Localnet::new, server.rpc_port - 1).err().expect("port + 1 in use");
    assert!(err.to_string().contains("PubSub") || err.to_string().contains("JSON-RPC"), "{err}");
    server.shutdown();
}

#[test]
fn every_listed_method_is_served() {
    let server = start();
    for method in crucible_localnet::rpc::HTTP_METHODS {
        if *method == "crucible_warp" {
            continue;
        }
        let reply = post(
            &server,
            &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": []}).to_string(),
        );
        assert_ne!(reply["error"]["code"], -32601, "{method}");
    }
    let mut ws = Ws::connect(&server);
    for method in crucible_localnet::rpc::PUBSUB_METHODS {
        let reply = ws.call(method, json!([]));
        assert_ne!(reply["error"]["code"], -32601, "{method}");
    }
    // an unknown method with malformed params is still "Method not found"
    let reply = post(&server, r#"{"jsonrpc":"2.0","id":1,"method":"nope","params":{"a":1}}"#);
    assert_eq!(reply["error"]["code"], -32601);
    // agave: `Error::invalid_request()` above the largest account size
    assert_eq!(
        call_err(&server, "getMinimumBalanceForRentExemption", json!([u64::MAX])),
        json!({"code": -32600, "message": "Invalid request"})
    );
    server.shutdown();
}

#[test]
fn the_readme_names_every_method() {
    let readme = include_str!("../README.md");
    for method in
        crucible_localnet::rpc::HTTP_METHODS.iter().chain(crucible_localnet::rpc::PUBSUB_METHODS)
    {
        // PubSub's unsubscribe methods are named together ("and their `*Unsubscribe`").
        if method.ends_with("Unsubscribe") {
            continue;
        }
        assert!(
            readme.contains(&format!("`{method}`")),
            "localnet/README.md does not name `{method}`"
        );
    }
}

/// `base64+zstd` as agave's `encode_ui_account` writes it: the data zstd-compressed, then base64;
/// with `dataSlice`, the slice compressed.
#[test]
fn base64_zstd_account_data_decompresses_to_the_data() {
    let server = start();
    let key = Pubkey::new_unique();
    let data: Vec<u8> = (0..3_000u32).map(|i| (i % 7) as u8).collect();
    server
        .with_localnet({
            let data = data.clone();
            move |net| net.set_account(key, Account { lamports: SOL, data, ..Account::default() })
        })
        .unwrap();
    let decoded = |config: Value| -> Vec<u8> {
        let info = call(&server, "getAccountInfo", json!([key.to_string(), config]));
        let pair = &info["value"]["data"];
        assert_eq!(pair[1], "base64+zstd", "{info}");
        let compressed =
            base64::engine::general_purpose::STANDARD.decode(pair[0].as_str().unwrap()).unwrap();
        assert!(compressed.len() < 200, "{} bytes: compressed", compressed.len());
        zstd::stream::decode_all(&compressed[..]).unwrap()
    };
    assert_eq!(decoded(json!({"encoding": "base64+zstd"})), data);
    let slice = json!({"encoding": "base64+zstd", "dataSlice": {"offset": 10, "length": 100}});
    assert_eq!(decoded(slice), data[10..110]);
    server.shutdown();
}
