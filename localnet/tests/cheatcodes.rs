//! Surfpool's cheatcodes (`surfnet_timeTravel`, `surfnet_setAccount`, `surfnet_setTokenAccount`):
//! the clock arithmetic in process, then each method over HTTP, its happy paths and the bad
//! input it refuses without changing anything.

mod common;

use std::time::Instant;

use common::*;
use crucible_localnet::{
    rpc::{serve_with_config, RunningServer, ServerConfig},
    spl, Localnet, Pubkey, TimeTravel, TimeTravelError, MAX_TRAVEL_SECONDS, MS_PER_SLOT,
};
use serde_json::{json, Value};
use solana_epoch_schedule::EpochSchedule;
use solana_instruction::{AccountMeta, Instruction};
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

// ---- the clock, in process -------------------------------------------------------------------

#[test]
fn a_travel_to_a_timestamp_moves_the_slot_at_400_ms_a_slot() {
    let mut net = Localnet::new();
    let before = net.clock();
    let height = net.block_height();
    let now = net.now_millis();
    assert_eq!(now, before.unix_timestamp as u64 * 1000);

    let clock = net.time_travel(TimeTravel::AbsoluteTimestamp(now + 3_600_000)).unwrap();
    assert_eq!(clock.slot, before.slot + 9_000);
    assert_eq!(clock.unix_timestamp, before.unix_timestamp + 3_600);
    assert_eq!(net.clock(), clock);
    assert_eq!(net.block_height(), height + 1);

    // Milliseconds are kept: 1.5 s is 3 slots, then 0.5 s more is one more slot and a second.
    let clock = net.time_travel(TimeTravel::AbsoluteTimestamp(now + 3_601_500)).unwrap();
    assert_eq!(
        (clock.slot, clock.unix_timestamp),
        (before.slot + 9_003, before.unix_timestamp + 3_601)
    );
    assert_eq!(net.now_millis(), now + 3_601_500);
    let clock = net.time_travel(TimeTravel::AbsoluteTimestamp(now + 3_602_000)).unwrap();
    assert_eq!(
        (clock.slot, clock.unix_timestamp),
        (before.slot + 9_004, before.unix_timestamp + 3_602)
    );

    // The same timestamp again moves nothing, not even the block height.
    let height = net.block_height();
    assert_eq!(net.time_travel(TimeTravel::AbsoluteTimestamp(now + 3_602_000)).unwrap(), clock);
    assert_eq!(net.block_height(), height);
}

#[test]
fn a_travel_to_a_slot_moves_the_time_with_it() {
    let mut net = Localnet::new();
    let before = net.clock();
    let clock = net.time_travel(TimeTravel::AbsoluteSlot(before.slot + 2_500)).unwrap();
    assert_eq!(clock.slot, before.slot + 2_500);
    assert_eq!(clock.unix_timestamp, before.unix_timestamp + 1_000);
    // the current slot: nothing moves
    assert_eq!(net.time_travel(TimeTravel::AbsoluteSlot(clock.slot)).unwrap(), clock);
}

#[test]
fn a_travel_to_an_epoch_lands_on_its_first_slot() {
    let mut net = Localnet::new();
    let schedule: EpochSchedule = net.svm().get_sysvar();
    let before = net.clock();
    let target = before.epoch + 3;
    let clock = net.time_travel(TimeTravel::AbsoluteEpoch(target)).unwrap();
    let first = schedule.get_first_slot_in_epoch(target);
    assert_eq!(clock.slot, first);
    assert_eq!(clock.epoch, target);
    let seconds = ((first - before.slot) * MS_PER_SLOT / 1000) as i64;
    assert_eq!(clock.unix_timestamp, before.unix_timestamp + seconds);
    assert_eq!(clock.epoch_start_timestamp, clock.unix_timestamp);
    assert_eq!(clock.leader_schedule_epoch, schedule.get_leader_schedule_epoch(first));

    // The current epoch leaves the clock where it is (surfpool would move the slot back to the
    // epoch's first slot).
    let later = net.time_travel(TimeTravel::AbsoluteSlot(first + 10)).unwrap();
    assert_eq!(net.time_travel(TimeTravel::AbsoluteEpoch(target)).unwrap(), later);
}

#[test]
fn a_travel_backwards_or_too_far_is_refused_and_moves_nothing() {
    let mut net = Localnet::new();
    net.time_travel(TimeTravel::AbsoluteEpoch(2)).unwrap();
    let clock = net.clock();
    let now = net.now_millis();
    let height = net.block_height();
    let refusals = [
        (
            TimeTravel::AbsoluteTimestamp(now - 1),
            TimeTravelError::PastTimestamp { target: now - 1, current: now },
            format!("Cannot travel to past timestamp: target={}, current={now}", now - 1),
        ),
        (
            TimeTravel::AbsoluteSlot(clock.slot - 1),
            TimeTravelError::PastSlot { target: clock.slot - 1, current: clock.slot },
            format!(
                "Cannot travel to past slot: target={}, current={}",
                clock.slot - 1,
                clock.slot
            ),
        ),
        (
            TimeTravel::AbsoluteEpoch(1),
            TimeTravelError::PastEpoch { target: 1, current: 2 },
            "Cannot travel to past epoch: target=1, current=2".to_string(),
        ),
        (
            TimeTravel::AbsoluteTimestamp(now + MAX_TRAVEL_SECONDS * 1000 + 1),
            TimeTravelError::TooFar,
            "Cannot travel more than 100 years ahead".to_string(),
        ),
        (TimeTravel::AbsoluteTimestamp(u64::MAX), TimeTravelError::TooFar, String::new()),
        (TimeTravel::AbsoluteSlot(u64::MAX), TimeTravelError::TooFar, String::new()),
        (TimeTravel::AbsoluteEpoch(u64::MAX), TimeTravelError::TooFar, String::new()),
        (TimeTravel::AbsoluteEpoch(1_000_000), TimeTravelError::TooFar, String::new()),
    ];
    for (to, err, message) in refusals {
        let got = net.time_travel(to).unwrap_err();
        assert_eq!(got, err, "{to:?}");
        if !message.is_empty() {
            assert_eq!(got.to_string(), message);
        }
        assert_eq!(net.clock(), clock, "{to:?} moved the clock");
        assert_eq!(net.now_millis(), now);
        assert_eq!(net.block_height(), height);
    }
    // 100 years is the limit, not past it
    let clock = net.time_travel(TimeTravel::AbsoluteTimestamp(now + MAX_TRAVEL_SECONDS * 1000));
    assert_eq!(clock.unwrap().unix_timestamp as u64, now / 1000 + MAX_TRAVEL_SECONDS);
}

// ---- surfnet_timeTravel over HTTP ------------------------------------------------------------

/// The clock's `(unixTimestamp, slot)` as the server has it.
fn clock_of(server: &RunningServer) -> (i64, u64) {
    let c = call(server, "crucible_clock", json!([]));
    (c["unixTimestamp"].as_i64().unwrap(), c["slot"].as_u64().unwrap())
}

/// Slots the server's block timer may have added since `since` (one every 400 ms), plus one.
fn timer_slots(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64 / MS_PER_SLOT + 1
}

fn assert_epoch_info(info: &Value) {
    for key in
        ["absoluteSlot", "blockHeight", "epoch", "slotIndex", "slotsInEpoch", "transactionCount"]
    {
        assert!(info[key].is_u64(), "{key}: {info}");
    }
}

#[test]
fn time_travel_answers_the_epoch_info_and_moves_the_clock() {
    let server = start();
    let started = Instant::now();
    let (unix, slot) = clock_of(&server);

    let info = call(
        &server,
        "surfnet_timeTravel",
        json!([{"absoluteTimestamp": (unix as u64 + 3_600) * 1000}]),
    );
    assert_epoch_info(&info);
    let reached = info["absoluteSlot"].as_u64().unwrap();
    assert!(reached >= slot + 9_000 && reached <= slot + 9_000 + timer_slots(started), "{info}");
    assert_eq!(clock_of(&server).0, unix + 3_600);
    assert_eq!(info, call(&server, "getEpochInfo", json!([])), "the same as getEpochInfo");

    let info = call(&server, "surfnet_timeTravel", json!([{"absoluteSlot": reached + 250}]));
    assert_eq!(info["absoluteSlot"], reached + 250);
    assert_eq!(clock_of(&server).0, unix + 3_600 + 100);

    let epoch = info["epoch"].as_u64().unwrap();
    let info = call(&server, "surfnet_timeTravel", json!([{"absoluteEpoch": epoch + 1}]));
    assert_eq!(info["epoch"], epoch + 1);
    assert_eq!(info["slotIndex"], 0);

    // Without a config: one hour ahead.
    let (unix, _) = clock_of(&server);
    call(&server, "surfnet_timeTravel", json!([]));
    assert_eq!(clock_of(&server).0, unix + 3_600);
    call(&server, "surfnet_timeTravel", json!([null]));
    assert_eq!(clock_of(&server).0, unix + 7_200);

    // Transactions still confirm after days of travel.
    let payer = funded(&server, SOL);
    let to = Pubkey::new_unique();
    let tx = transfer(&payer, &to, 1_000, blockhash(&server));
    call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    assert_eq!(call(&server, "getBalance", json!([to.to_string()]))["value"], 1_000);
    server.shutdown();
}

#[test]
fn time_travel_refuses_the_past_and_bad_config_moving_nothing() {
    let server = start();
    call(&server, "surfnet_timeTravel", json!([{"absoluteEpoch": 3}]));
    let started = Instant::now();
    let (unix, slot) = clock_of(&server);
    // the epoch's first slot may land between two seconds: the milliseconds are kept
    let now = server.with_localnet(|net| net.now_millis()).unwrap();

    for (params, message) in [
        (
            json!([{"absoluteTimestamp": now - 1000}]),
            format!("Cannot travel to past timestamp: target={}, current={now}", now - 1000),
        ),
        (
            json!([{"absoluteSlot": slot - 1}]),
            format!("Cannot travel to past slot: target={}, current=", slot - 1),
        ),
        (
            json!([{"absoluteEpoch": 2}]),
            "Cannot travel to past epoch: target=2, current=3".to_string(),
        ),
    ] {
        let err = call_err(&server, "surfnet_timeTravel", params.clone());
        // surfpool's answer: an internal error whose data is the reason
        assert_eq!(err["code"], -32603, "{params}: {err}");
        let data = err["data"].as_str().unwrap_or_else(|| panic!("{params}: {err}"));
        assert!(data.starts_with(&message), "{params}: {err}");
        assert_eq!(err["message"], format!("Internal error: {data}"));
    }
    for (params, reason) in [
        (json!([{"absoluteSlot": -1}]), "`absoluteSlot` must be a non-negative integer"),
        (json!([{"absoluteSlot": 1.5}]), "`absoluteSlot` must be a non-negative integer"),
        (
            json!([{"absoluteTimestamp": "10"}]),
            "`absoluteTimestamp` must be a non-negative integer",
        ),
        (json!([{}]), "exactly one of"),
        (json!([{"absoluteSlot": slot + 1, "absoluteEpoch": 9}]), "exactly one of"),
        (json!([{"relativeSlot": 5}]), "unknown variant `relativeSlot`"),
        (json!([5]), "must be an object"),
        (json!(["probe"]), "must be an object"),
        (json!([{"absoluteSlot": slot + 1}, {}]), "at most 1 parameters"),
        (json!([{"absoluteTimestamp": u64::MAX}]), "more than 100 years"),
        (json!([{"absoluteSlot": u64::MAX}]), "more than 100 years"),
        (json!([{"absoluteEpoch": u64::MAX}]), "more than 100 years"),
    ] {
        let err = call_err(&server, "surfnet_timeTravel", params.clone());
        assert_eq!(err["code"], -32602, "{params}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(
            message.starts_with("Invalid params: ") && message.contains(reason),
            "{params}: {err}"
        );
    }
    let (unix_after, slot_after) = clock_of(&server);
    assert_eq!(unix_after, unix, "the time did not move");
    assert!(slot_after <= slot + timer_slots(started), "only the block timer moved the slot");
    server.shutdown();
}

#[test]
fn without_cheatcodes_they_are_method_not_found() {
    let server = serve_with_config(
        Localnet::new,
        ServerConfig { port: 0, cheatcodes: false, ..ServerConfig::default() },
    )
    .expect("server starts");
    let (unix, _) = clock_of(&server);
    let key = Pubkey::new_unique().to_string();
    for (method, params) in [
        ("surfnet_timeTravel", json!([])),
        ("surfnet_timeTravel", json!(["probe"])),
        ("surfnet_setAccount", json!([key, {"lamports": 5}])),
        ("surfnet_setTokenAccount", json!([key, key, {"amount": 5}])),
        ("crucible_warp", json!([60])),
    ] {
        let err = call_err(&server, method, params);
        assert_eq!(err["code"], -32601, "{method}: {err}");
        assert_eq!(err["message"], "Method not found");
    }
    assert_eq!(clock_of(&server).0, unix);
    assert_eq!(call(&server, "getBalance", json!([key]))["value"], 0);
    // everything else is served
    assert_eq!(call(&server, "getHealth", json!([])), "ok");
    server.shutdown();
}

// ---- surfnet_setAccount ----------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `getAccountInfo` (base64) of `key`: its value, null if absent.
fn account_info(server: &RunningServer, key: &Pubkey) -> Value {
    call(server, "getAccountInfo", json!([key.to_string(), {"encoding": "base64"}]))["value"]
        .clone()
}

fn data_of(info: &Value) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(info["data"][0].as_str().unwrap()).unwrap()
}

#[test]
fn set_account_creates_updates_and_removes_an_account() {
    let server = start();
    let key = Pubkey::new_unique();
    let owner = Pubkey::new_unique();
    let mut ws = Ws::connect(&server);
    let sub = ws.subscribe("accountSubscribe", json!([key.to_string(), {"encoding": "base64"}]));

    let answer = call(
        &server,
        "surfnet_setAccount",
        json!([key.to_string(), {"lamports": 5_000_000, "data": "DEADbeef00", "owner": owner.to_string(), "executable": false, "rentEpoch": 7}]),
    );
    assert_eq!(answer["value"], Value::Null);
    assert!(answer["context"]["slot"].is_u64(), "{answer}");
    let info = account_info(&server, &key);
    assert_eq!(info["lamports"], 5_000_000);
    assert_eq!(info["owner"], owner.to_string());
    assert_eq!(info["executable"], false);
    assert_eq!(info["rentEpoch"], 7);
    assert_eq!(data_of(&info), vec![0xde, 0xad, 0xbe, 0xef, 0x00]);
    let n = ws.notification("accountNotification", sub);
    assert_eq!(n["params"]["result"]["value"]["lamports"], 5_000_000);

    // A partial update keeps the other fields.
    call(&server, "surfnet_setAccount", json!([key.to_string(), {"lamports": 42}]));
    let info = account_info(&server, &key);
    assert_eq!(
        (info["lamports"].clone(), info["owner"].clone()),
        (json!(42), json!(owner.to_string()))
    );
    assert_eq!(data_of(&info), vec![0xde, 0xad, 0xbe, 0xef, 0x00]);
    call(&server, "surfnet_setAccount", json!([key.to_string(), {"data": ""}]));
    let info = account_info(&server, &key);
    assert_eq!((info["lamports"].clone(), data_of(&info)), (json!(42), vec![]));

    // A new account from a partial update: an empty system account with those fields.
    let other = Pubkey::new_unique();
    call(&server, "surfnet_setAccount", json!([other.to_string(), {"lamports": SOL}]));
    assert_eq!(call(&server, "getBalance", json!([other.to_string()]))["value"], SOL);
    assert_eq!(account_info(&server, &other)["owner"], "11111111111111111111111111111111");

    // 0 lamports removes it.
    call(&server, "surfnet_setAccount", json!([key.to_string(), {"lamports": 0}]));
    assert_eq!(account_info(&server, &key), Value::Null);
    server.shutdown();
}

#[test]
fn set_account_refuses_bad_input_changing_nothing() {
    let server = start();
    let key = Pubkey::new_unique();
    call(
        &server,
        "surfnet_setAccount",
        json!([key.to_string(), {"lamports": 1_000, "data": "0102"}]),
    );
    let before = account_info(&server, &key);
    let k = key.to_string();
    let upgradeable = "BPFLoaderUpgradeab1e11111111111111111111111";
    for (params, reason) in [
        (json!(["nope", {"lamports": 1}]), "Invalid pubkey 'nope'"),
        (json!([k]), "missing parameter 2: update"),
        (json!([k, 5]), "update must be an object"),
        (json!([k, {"lamport": 1}]), "unknown field `lamport`"),
        (json!([k, {"lamports": -1}]), "`lamports` must be a non-negative integer"),
        (json!([k, {"lamports": "1"}]), "`lamports` must be a non-negative integer"),
        (json!([k, {"data": "abc"}]), "Invalid hex data provided: odd number of digits"),
        (json!([k, {"data": "zz"}]), "Invalid hex data provided: invalid character at 0"),
        (json!([k, {"data": [1, 2]}]), "`data` must be a string"),
        (json!([k, {"owner": "nope"}]), "Invalid pubkey 'nope'"),
        (json!([k, {"executable": "yes"}]), "`executable` must be a boolean"),
        (json!([k, {"rentEpoch": 1.5}]), "`rentEpoch` must be a non-negative integer"),
        (json!([k, {"lamports": 2}, 3]), "at most 2 parameters"),
        (
            json!([k, {"lamports": 2, "executable": true, "owner": upgradeable, "data": "00"}]),
            "cannot be set",
        ),
    ] {
        let err = call_err(&server, "surfnet_setAccount", params.clone());
        assert_eq!(err["code"], -32602, "{params}: {err}");
        let message = err["message"].as_str().unwrap();
        // surfpool's own wording for an address, "Invalid params: " before the others
        let ours =
            message.starts_with("Invalid params: ") || message.starts_with("Invalid pubkey '");
        assert!(ours && message.contains(reason), "{params}: {err}");
        assert_eq!(account_info(&server, &key), before, "{params} changed the account");
    }
    server.shutdown();
}

// ---- surfnet_setTokenAccount -----------------------------------------------------------------

/// An initialized mint (6 decimals, no authority) set with `surfnet_setAccount`.
fn mint_at(server: &RunningServer, program: &Pubkey) -> Pubkey {
    let mint = Pubkey::new_unique();
    let mut data = vec![0u8; 82];
    data[44] = 6;
    data[45] = 1;
    let rent = call(server, "getMinimumBalanceForRentExemption", json!([82]));
    call(
        server,
        "surfnet_setAccount",
        json!([mint.to_string(), {"lamports": rent, "data": hex(&data), "owner": program.to_string()}]),
    );
    mint
}

fn parsed_token_account(server: &RunningServer, key: &Pubkey) -> Value {
    let info = call(server, "getAccountInfo", json!([key.to_string(), {"encoding": "jsonParsed"}]));
    info["value"]["data"]["parsed"]["info"].clone()
}

#[test]
fn set_token_account_creates_the_associated_account_the_token_program_then_uses() {
    let server = start();
    let mint = mint_at(&server, &spl::TOKEN);
    let alice = funded(&server, SOL);
    let bob = Pubkey::new_unique();
    let ata = spl::associated_token_address(&alice.pubkey(), &mint, &spl::TOKEN);
    let bob_ata = spl::associated_token_address(&bob, &mint, &spl::TOKEN);

    let answer = call(
        &server,
        "surfnet_setTokenAccount",
        json!([alice.pubkey().to_string(), mint.to_string(), {"amount": 1_000}]),
    );
    assert_eq!(answer["value"], Value::Null);
    assert!(answer["context"]["slot"].is_u64());
    call(&server, "surfnet_setTokenAccount", json!([bob.to_string(), mint.to_string(), {}]));
    let info = parsed_token_account(&server, &ata);
    assert_eq!(info["mint"], mint.to_string());
    assert_eq!(info["owner"], alice.pubkey().to_string());
    assert_eq!(info["state"], "initialized");
    assert_eq!(info["tokenAmount"]["amount"], "1000");
    let rent = call(&server, "getMinimumBalanceForRentExemption", json!([165]));
    assert_eq!(account_info(&server, &ata)["lamports"], rent, "rent-exempt");
    assert_eq!(parsed_token_account(&server, &bob_ata)["tokenAmount"]["amount"], "0");

    // SPL Token (SBF) accepts both: alice sends bob 300.
    let mut data = vec![3u8];
    data.extend_from_slice(&300u64.to_le_bytes());
    let ix = Instruction {
        program_id: spl::TOKEN,
        accounts: vec![
            AccountMeta::new(ata, false),
            AccountMeta::new(bob_ata, false),
            AccountMeta::new_readonly(alice.pubkey(), true),
        ],
        data,
    };
    let message = Message::new_with_blockhash(&[ix], Some(&alice.pubkey()), &blockhash(&server));
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[&alice]).unwrap();
    call(&server, "sendTransaction", json!([b64(&tx), {"encoding": "base64"}]));
    let balance = |key: &Pubkey| {
        call(&server, "getTokenAccountBalance", json!([key.to_string()]))["value"]["amount"].clone()
    };
    assert_eq!((balance(&ata), balance(&bob_ata)), (json!("700"), json!("300")));

    // The other fields, then unset again with "null"; the amount stays.
    let delegate = Pubkey::new_unique();
    call(
        &server,
        "surfnet_setTokenAccount",
        json!([alice.pubkey().to_string(), mint.to_string(), {"delegate": delegate.to_string(), "delegatedAmount": 50, "state": "frozen", "closeAuthority": delegate.to_string()}]),
    );
    let info = parsed_token_account(&server, &ata);
    assert_eq!(info["delegate"], delegate.to_string());
    assert_eq!(info["delegatedAmount"]["amount"], "50");
    assert_eq!(info["state"], "frozen");
    assert_eq!(info["closeAuthority"], delegate.to_string());
    assert_eq!(info["tokenAmount"]["amount"], "700");
    call(
        &server,
        "surfnet_setTokenAccount",
        json!([alice.pubkey().to_string(), mint.to_string(), {"delegate": "null", "closeAuthority": "null", "state": "initialized", "delegatedAmount": 0}]),
    );
    let info = parsed_token_account(&server, &ata);
    assert_eq!(info.get("delegate"), None, "{info}");
    assert_eq!(info.get("closeAuthority"), None, "{info}");
    assert_eq!(info["state"], "initialized");
    server.shutdown();
}

#[test]
fn set_token_account_under_token_2022() {
    let server = start();
    let mint = mint_at(&server, &spl::TOKEN_2022);
    let owner = Pubkey::new_unique();
    call(
        &server,
        "surfnet_setTokenAccount",
        json!([owner.to_string(), mint.to_string(), {"amount": 9}, spl::TOKEN_2022.to_string()]),
    );
    let ata = spl::associated_token_address(&owner, &mint, &spl::TOKEN_2022);
    assert_eq!(account_info(&server, &ata)["owner"], spl::TOKEN_2022.to_string());
    assert_eq!(parsed_token_account(&server, &ata)["tokenAmount"]["amount"], "9");
    // the same owner and mint under SPL Token is refused: the mint is not SPL Token's
    let err = call_err(
        &server,
        "surfnet_setTokenAccount",
        json!([owner.to_string(), mint.to_string(), {"amount": 1}]),
    );
    assert!(err["message"].as_str().unwrap().contains("not by the token program"), "{err}");
    server.shutdown();
}

#[test]
fn set_token_account_refuses_bad_input_changing_nothing() {
    let server = start();
    let mint = mint_at(&server, &spl::TOKEN);
    let owner = Pubkey::new_unique();
    call(
        &server,
        "surfnet_setTokenAccount",
        json!([owner.to_string(), mint.to_string(), {"amount": 5}]),
    );
    let ata = spl::associated_token_address(&owner, &mint, &spl::TOKEN);
    let before = account_info(&server, &ata);

    // Something else at the associated address of another owner.
    let squatter = Pubkey::new_unique();
    let squatted = spl::associated_token_address(&squatter, &mint, &spl::TOKEN);
    call(&server, "surfnet_setAccount", json!([squatted.to_string(), {"lamports": SOL}]));
    // A token program account that is not a mint.
    let not_a_mint = Pubkey::new_unique();
    call(
        &server,
        "surfnet_setAccount",
        json!([not_a_mint.to_string(), {"lamports": SOL, "data": "00", "owner": spl::TOKEN.to_string()}]),
    );

    let (o, m) = (owner.to_string(), mint.to_string());
    for (params, reason) in [
        (json!(["nope", m, {"amount": 1}]), "Invalid pubkey 'nope'"),
        (json!([o, "nope", {"amount": 1}]), "Invalid pubkey 'nope'"),
        (json!([o, m]), "missing parameter 3: update"),
        (json!([o, m, "x"]), "update must be an object"),
        (json!([o, m, {"amount": -1}]), "`amount` must be a non-negative integer"),
        (json!([o, m, {"ammount": 1}]), "unknown field `ammount`"),
        (json!([o, m, {"state": "thawed"}]), "Invalid token account state thawed"),
        (json!([o, m, {"delegate": "xyz"}]), "Invalid pubkey 'xyz'"),
        (json!([o, m, {"closeAuthority": 5}]), "`closeAuthority` must be a string"),
        (json!([o, m, {"amount": 1}, "11111111111111111111111111111111"]), "is neither SPL Token"),
        (json!([o, m, {"amount": 1}, "nope"]), "Invalid pubkey 'nope'"),
        (json!([o, m, {"amount": 1}, spl::TOKEN.to_string(), 5]), "at most 4 parameters"),
        (json!([o, Pubkey::new_unique().to_string(), {"amount": 1}]), "does not exist"),
        (json!([o, owner.to_string(), {"amount": 1}]), "does not exist"),
        (json!([o, not_a_mint.to_string(), {"amount": 1}]), "is not an initialized mint"),
        (json!([squatter.to_string(), m, {"amount": 1}]), "is not an initialized token account"),
    ] {
        let err = call_err(&server, "surfnet_setTokenAccount", params.clone());
        assert_eq!(err["code"], -32602, "{params}: {err}");
        let message = err["message"].as_str().unwrap();
        let ours =
            message.starts_with("Invalid params: ") || message.starts_with("Invalid pubkey '");
        assert!(ours && message.contains(reason), "{params}: {err}");
        assert_eq!(account_info(&server, &ata), before, "{params} changed the token account");
    }
    assert_eq!(account_info(&server, &squatted)["owner"], "11111111111111111111111111111111");
    server.shutdown();
}
