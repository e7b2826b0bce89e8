//! The cluster methods, over real sockets: what a one-node solana-test-validator (agave 2.3)
//! answers for its supply, inflation, leaders, votes and nodes, and its errors.

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::Duration,
};

use base64::Engine;
use crucible_localnet::{
    chain::{VALIDATOR_COMMISSION, VALIDATOR_STAKE_LAMPORTS},
    rpc::{serve, RunningServer},
    Localnet, Pubkey, FAUCET_LAMPORTS,
};
use serde_json::{json, Value};
use solana_account::ReadableAccount;
use solana_epoch_schedule::EpochSchedule;
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_stake_interface::state::{Authorized, Lockup};
use solana_transaction::versioned::VersionedTransaction;

const SOL: u64 = 1_000_000_000;

/// An epoch of solana-test-validator's schedule (432,000 slots of 400 ms), in seconds.
const EPOCH_SECONDS: u64 = 432_000 * 400 / 1_000;

fn start() -> RunningServer {
    serve(Localnet::new, 0).expect("server starts")
}

/// One JSON-RPC call over HTTP/1.0; the whole reply object.
fn rpc(server: &RunningServer, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", server.rpc_port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (_, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body:?}"))
}

fn call(server: &RunningServer, method: &str, params: Value) -> Value {
    let reply = rpc(server, method, params);
    assert!(reply.get("error").is_none(), "{method}: {reply}");
    reply["result"].clone()
}

/// The error of a call that must fail: (code, message).
fn call_err(server: &RunningServer, method: &str, params: Value) -> (i64, String) {
    let reply = rpc(server, method, params.clone());
    assert!(reply.get("result").is_none(), "{method} {params} should fail: {reply}");
    (
        reply["error"]["code"].as_i64().unwrap(),
        reply["error"]["message"].as_str().unwrap().to_string(),
    )
}

fn warp(server: &RunningServer, seconds: u64) -> Value {
    call(server, "crucible_warp", json!([seconds]))
}

fn identity(server: &RunningServer) -> String {
    call(server, "getIdentity", json!([]))["identity"].as_str().unwrap().to_string()
}

fn epoch_schedule(server: &RunningServer) -> EpochSchedule {
    let s = call(server, "getEpochSchedule", json!([]));
    EpochSchedule {
        slots_per_epoch: s["slotsPerEpoch"].as_u64().unwrap(),
        leader_schedule_slot_offset: s["leaderScheduleSlotOffset"].as_u64().unwrap(),
        warmup: s["warmup"].as_bool().unwrap(),
        first_normal_epoch: s["firstNormalEpoch"].as_u64().unwrap(),
        first_normal_slot: s["firstNormalSlot"].as_u64().unwrap(),
    }
}

/// Closes `n` blocks at once (the server closes one every 400 ms).
fn produce_blocks(server: &RunningServer, n: u64) {
    server.with_localnet(move |net| (0..n).for_each(|_| net.produce_block())).unwrap();
}

/// The validator's vote account as `getVoteAccounts` lists it (past slot 0, where the node has
/// not voted yet and is delinquent).
fn vote_account(server: &RunningServer) -> Value {
    produce_blocks(server, 1);
    let status = call(server, "getVoteAccounts", json!([]));
    assert_eq!(status["current"].as_array().unwrap().len(), 1, "{status}");
    assert_eq!(status["delinquent"], json!([]));
    status["current"][0].clone()
}

fn send(server: &RunningServer, payer: &Keypair, signers: &[&Keypair], ixs: &[Instruction]) {
    let hash: Hash = call(server, "getLatestBlockhash", json!([]))["value"]["blockhash"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let message = Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &hash);
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), signers).unwrap();
    let wire = base64::engine::general_purpose::STANDARD.encode(bincode::serialize(&tx).unwrap());
    call(server, "sendTransaction", json!([wire, {"encoding": "base64"}]));
}

fn funded(server: &RunningServer, lamports: u64) -> Keypair {
    let kp = Keypair::new();
    call(server, "requestAirdrop", json!([kp.pubkey().to_string(), lamports]));
    kp
}

/// Creates a stake account of `lamports` with `lockup`, staker and withdrawer `payer`.
fn stake_account(
    server: &RunningServer,
    payer: &Keypair,
    lamports: u64,
    lockup: Lockup,
) -> Keypair {
    let stake = Keypair::new();
    let ixs = solana_stake_interface::instruction::create_account(
        &payer.pubkey(),
        &stake.pubkey(),
        &Authorized::auto(&payer.pubkey()),
        &lockup,
        lamports,
    );
    send(server, payer, &[payer, &stake], &ixs);
    stake
}

#[test]
fn the_supply_is_every_lamport_on_the_chain() {
    let server = start();
    let sum = || {
        server
            .with_localnet(|net| {
                net.svm().accounts_db().inner.values().map(|a| a.lamports()).sum::<u64>()
            })
            .unwrap()
    };
    let supply = call(&server, "getSupply", json!([]));
    let total = supply["value"]["total"].as_u64().unwrap();
    assert_eq!(total, sum());
    let genesis_total = total;
    // the faucet, the vote and the stake account, and the programs' and sysvars' rent
    assert!(genesis_total > FAUCET_LAMPORTS + 2 * VALIDATOR_STAKE_LAMPORTS, "{supply}");
    assert!(genesis_total < FAUCET_LAMPORTS + 2 * VALIDATOR_STAKE_LAMPORTS + 100 * SOL);
    assert_eq!(supply["value"]["circulating"], total);
    assert_eq!(supply["value"]["nonCirculating"], 0);
    assert_eq!(supply["value"]["nonCirculatingAccounts"], json!([]));
    assert!(supply["context"]["slot"].is_u64());

    // a transfer's fee stays in the supply while its block is open; as the block closes half is
    // burned (the supply shrinks by exactly that) and half paid to the leader
    let alice = funded(&server, 10 * SOL);
    server.with_localnet(|net| net.produce_block()).unwrap();
    let total = call(&server, "getSupply", json!([]))["value"]["total"].as_u64().unwrap();
    assert_eq!(total, sum(), "no fee in flight once the block closed");
    let ix =
        solana_system_interface::instruction::transfer(&alice.pubkey(), &Pubkey::new_unique(), SOL);
    send(&server, &alice, &[&alice], &[ix]);
    let during = call(&server, "getSupply", json!([{"commitment": "confirmed"}]));
    let during = during["value"]["total"].as_u64().unwrap();
    // (the server's own 400 ms block may have closed it already)
    assert!(during == total || during == total - 2_500, "{during} from {total}");
    server.with_localnet(|net| net.produce_block()).unwrap();
    let after = call(&server, "getSupply", json!([{"commitment": "confirmed"}]));
    assert_eq!(after["value"]["total"].as_u64().unwrap(), total - 2_500);
    assert_eq!(after["value"]["total"].as_u64().unwrap(), sum());

    // a stake account whose lockup is in force is not circulating
    let locked = stake_account(
        &server,
        &alice,
        3 * SOL,
        Lockup { unix_timestamp: 0, epoch: 1_000, custodian: Pubkey::default() },
    );
    let free = stake_account(&server, &alice, 2 * SOL, Lockup::default());
    let supply = call(&server, "getSupply", json!([]));
    let total = supply["value"]["total"].as_u64().unwrap();
    assert_eq!(supply["value"]["nonCirculating"], 3 * SOL);
    assert_eq!(supply["value"]["circulating"], total - 3 * SOL);
    assert_eq!(supply["value"]["nonCirculatingAccounts"], json!([locked.pubkey().to_string()]));
    let short = call(&server, "getSupply", json!([{"excludeNonCirculatingAccountsList": true}]));
    assert_eq!(short["value"]["nonCirculating"], 3 * SOL);
    assert_eq!(short["value"]["nonCirculatingAccounts"], json!([]));

    let non_circulating =
        call(&server, "getLargestAccounts", json!([{"filter": "nonCirculating"}]))["value"].clone();
    assert_eq!(
        non_circulating,
        json!([{"address": locked.pubkey().to_string(), "lamports": 3 * SOL}])
    );
    let circulating =
        call(&server, "getLargestAccounts", json!([{"filter": "circulating"}]))["value"].clone();
    let listed = |list: &Value, key: &Pubkey| {
        list.as_array().unwrap().iter().any(|a| a["address"] == key.to_string())
    };
    assert!(!listed(&circulating, &locked.pubkey()));
    assert!(circulating.as_array().unwrap().len() <= 20);
    assert!(circulating[0]["lamports"].as_u64().unwrap() > 400_000_000 * SOL);
    assert!(
        listed(&circulating, &free.pubkey())
            || circulating[19]["lamports"].as_u64() >= Some(2 * SOL)
    );

    let (code, message) = call_err(&server, "getSupply", json!(["confirmed"]));
    assert_eq!(code, -32602, "{message}");
    let (code, _) =
        call_err(&server, "getSupply", json!([{"excludeNonCirculatingAccountsList": "yes"}]));
    assert_eq!(code, -32602);
    server.shutdown();
}

#[test]
fn the_largest_accounts_are_the_faucet_and_the_validator() {
    let server = start();
    let largest = call(&server, "getLargestAccounts", json!([]));
    let list = largest["value"].as_array().unwrap();
    assert_eq!(list.len(), 20);
    assert_eq!(list[0]["address"], identity(&server));
    let faucet_balance = call(&server, "getBalance", json!([identity(&server)]))["value"].clone();
    assert_eq!(list[0]["lamports"], faucet_balance);
    for pair in list.windows(2) {
        assert!(pair[0]["lamports"].as_u64() >= pair[1]["lamports"].as_u64(), "{largest}");
    }
    let vote = vote_account(&server);
    let validator: Vec<&Value> = list[1..3].iter().map(|a| &a["address"]).collect();
    assert!(validator.contains(&&vote["votePubkey"]), "{largest}");
    assert!(list[1..3].iter().all(|a| a["lamports"] == VALIDATOR_STAKE_LAMPORTS));

    let (code, message) = call_err(&server, "getLargestAccounts", json!([{"filter": "rich"}]));
    assert_eq!(code, -32602);
    assert_eq!(
        message,
        "Invalid params: unknown variant `rich`, expected `circulating` or `nonCirculating`."
    );
    let (code, _) = call_err(&server, "getLargestAccounts", json!([{"filter": 3}]));
    assert_eq!(code, -32602);
    server.shutdown();
}

#[test]
fn the_validator_is_one_vote_account_with_its_stake() {
    let server = start();
    produce_blocks(&server, 40);
    // into epoch 1, so that an epoch boundary does not fall between two calls
    warp(&server, EPOCH_SECONDS + 3_600);
    produce_blocks(&server, 40);
    let vote = vote_account(&server);
    let slot = call(&server, "getSlot", json!([])).as_u64().unwrap();
    assert_eq!(vote["nodePubkey"], identity(&server));
    assert_eq!(vote["commission"], VALIDATOR_COMMISSION);
    assert_eq!(vote["epochVoteAccount"], true);
    let last_vote = vote["lastVote"].as_u64().unwrap();
    assert!(last_vote <= slot && last_vote + 5 > slot, "{vote} at {slot}");
    assert_eq!(vote["rootSlot"].as_u64().unwrap(), last_vote - 31);

    // the accounts behind it are real: owned by the Vote and Stake programs
    let vote_key = vote["votePubkey"].as_str().unwrap();
    let info = call(&server, "getAccountInfo", json!([vote_key, {"encoding": "base64"}]));
    assert_eq!(info["value"]["owner"], "Vote111111111111111111111111111111111111111");
    assert_eq!(info["value"]["lamports"], VALIDATOR_STAKE_LAMPORTS);
    let stakes = call(
        &server,
        "getProgramAccounts",
        json!(["Stake11111111111111111111111111111111111111", {"encoding": "base64"}]),
    );
    assert_eq!(stakes.as_array().unwrap().len(), 1, "{stakes}");
    let stake = &stakes[0]["account"];
    assert_eq!(stake["lamports"], VALIDATOR_STAKE_LAMPORTS);
    let rent = call(&server, "getMinimumBalanceForRentExemption", json!([200])).as_u64().unwrap();
    assert_eq!(vote["activatedStake"].as_u64().unwrap(), VALIDATOR_STAKE_LAMPORTS - rent);
    let by_vote = call(
        &server,
        "getProgramAccounts",
        json!(["Vote111111111111111111111111111111111111111", {"encoding": "base64"}]),
    );
    assert_eq!(by_vote.as_array().unwrap().len(), 1);
    assert_eq!(by_vote[0]["pubkey"], vote_key);

    // credits: 16 per rooted block, at most the last 5 epochs, each following the one before
    let credits = vote["epochCredits"].as_array().unwrap();
    // epoch 0 (the blocks before the warp), epoch 1 (after it)
    assert_eq!(credits.len(), 2, "{vote}");
    let first_epoch_blocks = server.with_localnet(|net| net.blocks_in(1, 431_999)).unwrap();
    assert_eq!(credits[0], json!([0, 16 * first_epoch_blocks, 0]));
    let schedule = epoch_schedule(&server);
    let root = vote["rootSlot"].as_u64().unwrap();
    let last = credits.last().unwrap();
    assert_eq!(last[0], schedule.get_epoch(root));
    let rooted_blocks = server.with_localnet(move |net| net.blocks_in(1, root)).unwrap();
    assert_eq!(last[1], 16 * rooted_blocks, "{vote}");
    for pair in credits.windows(2) {
        assert_eq!(pair[1][2], pair[0][1], "{vote}");
        assert!(pair[1][1].as_u64() > pair[1][2].as_u64());
    }

    // a stake account can be delegated to it
    let alice = funded(&server, 10 * SOL);
    let stake = stake_account(&server, &alice, 2 * SOL, Lockup::default());
    let vote_pubkey: Pubkey = vote_key.parse().unwrap();
    let ix = solana_stake_interface::instruction::delegate_stake(
        &stake.pubkey(),
        &alice.pubkey(),
        &vote_pubkey,
    );
    send(&server, &alice, &[&alice], &[ix]);

    // filters
    let only = call(&server, "getVoteAccounts", json!([{"votePubkey": vote_key}]));
    assert_eq!(only["current"].as_array().unwrap().len(), 1);
    let other = call(
        &server,
        "getVoteAccounts",
        json!([{"votePubkey": Pubkey::new_unique().to_string(), "commitment": "finalized"}]),
    );
    assert_eq!(other, json!({"current": [], "delinquent": []}));
    // with no slack at all the node's last vote is too old: delinquent (it has stake, so listed)
    let strict = call(&server, "getVoteAccounts", json!([{"delinquentSlotDistance": 0}]));
    assert_eq!(strict["current"], json!([]));
    assert_eq!(strict["delinquent"][0]["votePubkey"], vote_key);

    for bad in ["nope", "1111111111111111111111111111111111111111111111"] {
        let (code, message) = call_err(&server, "getVoteAccounts", json!([{"votePubkey": bad}]));
        assert_eq!(code, -32602);
        assert!(message.starts_with("Invalid param: "), "{message}");
    }
    let (code, _) = call_err(&server, "getVoteAccounts", json!([{"delinquentSlotDistance": -1}]));
    assert_eq!(code, -32602);
    server.shutdown();
}

#[test]
fn a_young_chain_has_no_root_and_no_credits() {
    let server = start();
    let vote = vote_account(&server);
    // fewer than 32 votes (the server closes a block every 400 ms): no root, no credits yet
    assert!(vote["lastVote"].as_u64().unwrap() < 32, "{vote}");
    assert_eq!(vote["rootSlot"], 0);
    assert_eq!(vote["epochCredits"], json!([]));
    server.shutdown();
}

#[test]
fn the_cluster_is_one_node() {
    let server = start();
    let nodes = call(&server, "getClusterNodes", json!([]));
    let nodes = nodes.as_array().unwrap();
    assert_eq!(nodes.len(), 1);
    let node = &nodes[0];
    assert_eq!(node["pubkey"], identity(&server));
    assert_eq!(node["rpc"], format!("127.0.0.1:{}", server.rpc_port));
    assert_eq!(node["pubsub"], format!("127.0.0.1:{}", server.ws_port));
    let version = call(&server, "getVersion", json!([]));
    assert_eq!(node["version"], version["solana-core"]);
    assert_eq!(node["featureSet"], version["feature-set"]);
    let genesis: Hash =
        call(&server, "getGenesisHash", json!([])).as_str().unwrap().parse().unwrap();
    assert_eq!(node["shredVersion"], solana_shred_version::compute_shred_version(&genesis, None));
    for service in [
        "gossip",
        "tvu",
        "tpu",
        "tpuQuic",
        "tpuForwards",
        "tpuForwardsQuic",
        "tpuVote",
        "serveRepair",
    ] {
        assert_eq!(node[service], Value::Null, "{service}");
    }
    assert_eq!(call(&server, "getSlotLeader", json!([])), node["pubkey"]);
    server.shutdown();
}

#[test]
fn the_node_leads_every_slot_of_the_known_epochs() {
    let server = start();
    warp(&server, 25 * 86_400);
    let me = identity(&server);
    let info = call(&server, "getEpochInfo", json!([]));
    let (epoch, slots_in_epoch) =
        (info["epoch"].as_u64().unwrap(), info["slotsInEpoch"].as_u64().unwrap());
    let schedule = epoch_schedule(&server);

    let leaders = call(&server, "getLeaderSchedule", json!([]));
    let indexes: Vec<u64> = (0..slots_in_epoch).collect();
    assert_eq!(leaders.as_object().unwrap().len(), 1, "one leader");
    assert_eq!(leaders[&me], json!(indexes));
    // a slot's epoch; the slot alone, a config alone, both; the identity filter
    let next = schedule.get_first_slot_in_epoch(epoch + 1);
    let next_len = schedule.get_slots_in_epoch(epoch + 1);
    let next_schedule = call(&server, "getLeaderSchedule", json!([next + 5]));
    assert_eq!(next_schedule[&me].as_array().unwrap().len() as u64, next_len);
    assert_eq!(call(&server, "getLeaderSchedule", json!([{"identity": me}])), leaders);
    assert_eq!(call(&server, "getLeaderSchedule", json!([null, {"identity": me}])), leaders);
    assert_eq!(
        call(
            &server,
            "getLeaderSchedule",
            json!([next, {"identity": Pubkey::new_unique().to_string()}])
        ),
        json!({})
    );
    // beyond the next epoch, or more than 10 epochs back: no schedule
    let far = schedule.get_first_slot_in_epoch(epoch + 2);
    assert_eq!(call(&server, "getLeaderSchedule", json!([far])), Value::Null);
    assert!(epoch > 10, "25 days in is epoch {epoch}");
    let old = schedule.get_first_slot_in_epoch(epoch - 9);
    assert_eq!(call(&server, "getLeaderSchedule", json!([old])), Value::Null);
    let kept = schedule.get_first_slot_in_epoch(epoch - 8);
    assert!(call(&server, "getLeaderSchedule", json!([kept])).is_object());

    let (code, message) =
        call_err(&server, "getLeaderSchedule", json!([null, {"identity": "not-a-key"}]));
    assert_eq!((code, message.as_str()), (-32602, "Invalid param: Invalid"));
    let (code, message) = call_err(&server, "getLeaderSchedule", json!(["5"]));
    assert_eq!(code, -32602);
    assert!(message.contains("RpcLeaderScheduleConfigWrapper"), "{message}");

    // getSlotLeaders: the node for each slot, across an epoch boundary too
    let across = call(&server, "getSlotLeaders", json!([next - 2, 5]));
    assert_eq!(across, json!(vec![me.clone(); 5]));
    assert_eq!(
        call(&server, "getSlotLeaders", json!([next, 5000])).as_array().unwrap().len(),
        5000
    );
    assert_eq!(call(&server, "getSlotLeaders", json!([far, 0])), json!([]));
    let (code, message) = call_err(&server, "getSlotLeaders", json!([next, 5001]));
    assert_eq!((code, message.as_str()), (-32602, "Invalid limit; max 5000"));
    let (code, message) = call_err(&server, "getSlotLeaders", json!([far, 1]));
    assert_eq!(code, -32602);
    assert_eq!(
        message,
        format!("Invalid slot range: leader schedule for epoch {} is unavailable", epoch + 2)
    );
    // reaching into the epoch after the next from the end of the next
    let (_, message) = call_err(&server, "getSlotLeaders", json!([far - 1, 2]));
    assert!(message.ends_with(&format!("epoch {} is unavailable", epoch + 2)), "{message}");
    for bad in [json!([]), json!([1]), json!([-1, 1]), json!([1, "2"])] {
        let (code, _) = call_err(&server, "getSlotLeaders", bad);
        assert_eq!(code, -32602);
    }
    server.shutdown();
}

#[test]
fn block_production_counts_the_blocks_of_the_leader_slots() {
    let server = start();
    // into epoch 8 (9,000 slots on), whose leader schedule and those of the 9 before it are known
    warp(&server, 3_600);
    // a few blocks after the warp's
    produce_blocks(&server, 5);
    let me = identity(&server);
    let produced = call(&server, "getBlockProduction", json!([]));
    let slot = produced["context"]["slot"].as_u64().unwrap();
    let schedule = epoch_schedule(&server);
    let first = schedule.get_first_slot_in_epoch(schedule.get_epoch(slot));
    assert_eq!(produced["value"]["range"], json!({"firstSlot": first, "lastSlot": slot}));
    let [leader_slots, blocks] =
        [0, 1].map(|i| produced["value"]["byIdentity"][&me][i].as_u64().unwrap());
    assert_eq!(leader_slots, slot - first + 1);
    // the warp jumped from near genesis into this epoch: its slots before the warp hold no block
    assert!(blocks < leader_slots, "{produced}");

    // a range without a jump: every slot a block
    let range = call(
        &server,
        "getBlockProduction",
        json!([{"range": {"firstSlot": slot - 3, "lastSlot": slot - 1}}]),
    );
    assert_eq!(range["value"]["byIdentity"][&me], json!([3, 3]));
    // the warp itself: from genesis to the warp target, only the slots before it and the target
    let warped =
        call(&server, "getBlockProduction", json!([{"range": {"firstSlot": 0, "lastSlot": slot}}]));
    let [all_slots, all_blocks] =
        [0, 1].map(|i| warped["value"]["byIdentity"][&me][i].as_u64().unwrap());
    assert_eq!(all_slots, slot + 1);
    let height = call(&server, "getBlockHeight", json!([])).as_u64().unwrap();
    assert!(all_blocks <= height + 1 && all_blocks + 5 >= height, "{warped} at height {height}");
    let open = call(&server, "getBlockProduction", json!([{"range": {"firstSlot": slot}}]));
    assert_eq!(open["value"]["range"]["firstSlot"], slot);
    let other = call(
        &server,
        "getBlockProduction",
        json!([{"identity": Pubkey::new_unique().to_string()}]),
    );
    assert_eq!(other["value"]["byIdentity"], json!({}));
    let mine = call(&server, "getBlockProduction", json!([{"identity": me}]));
    assert!(mine["value"]["byIdentity"][&me].is_array());

    let (code, message) = call_err(
        &server,
        "getBlockProduction",
        json!([{"range": {"firstSlot": 10, "lastSlot": 9}}]),
    );
    assert_eq!(
        (code, message.as_str()),
        (-32602, "lastSlot, 9, cannot be less than firstSlot, 10")
    );
    let beyond = slot + 1_000_000;
    let (code, message) = call_err(
        &server,
        "getBlockProduction",
        json!([{"range": {"firstSlot": 0, "lastSlot": beyond}}]),
    );
    assert_eq!(code, -32602);
    assert!(message.starts_with(&format!("lastSlot, {beyond}, is too large; max ")), "{message}");
    let (code, message) = call_err(&server, "getBlockProduction", json!([{"range": {}}]));
    assert_eq!((code, message.as_str()), (-32602, "Invalid params: missing field `firstSlot`."));
    let (code, message) = call_err(&server, "getBlockProduction", json!([{"identity": "x"}]));
    assert_eq!((code, message.as_str()), (-32602, "Invalid param: WrongSize"));

    // (a leader schedule more than 10 epochs back is gone too, but 10 epochs of 432,000 slots
    // are far beyond the SlotHistory's reach, whose error comes first)
    // more than a SlotHistory's 1,048,576 slots back
    warp(&server, 5 * 86_400);
    let slot = call(&server, "getSlot", json!([])).as_u64().unwrap();
    let (code, message) = call_err(
        &server,
        "getBlockProduction",
        json!([{"range": {"firstSlot": 0, "lastSlot": 10}}]),
    );
    assert_eq!(code, -32602);
    let min: u64 = message
        .strip_prefix("firstSlot, 0, is too small; min ")
        .unwrap_or_else(|| panic!("{message}"))
        .parse()
        .unwrap();
    assert!(min + 1_048_576 >= slot && min + 1_048_576 <= slot + 5, "{min} at {slot}");
    server.shutdown();
}

#[test]
fn inflation_is_the_genesis_default() {
    let server = start();
    let governor = call(&server, "getInflationGovernor", json!([]));
    assert_eq!(
        governor,
        json!({"initial": 0.08, "terminal": 0.015, "taper": 0.15, "foundation": 0.05, "foundationTerm": 7.0})
    );
    assert_eq!(
        call(&server, "getInflationGovernor", json!([{"commitment": "finalized"}])),
        governor
    );
    let rate = call(&server, "getInflationRate", json!([]));
    if rate["epoch"] == 0 {
        assert_eq!(
            rate,
            json!({"total": 0.08, "validator": 0.076, "foundation": 0.004, "epoch": 0})
        );
    }
    // a year on, the rate has tapered: total = 8 % × 0.85^year, 5 % of it the foundation's
    warp(&server, 366 * 86_400);
    let rate = call(&server, "getInflationRate", json!([]));
    let epoch = rate["epoch"].as_u64().unwrap();
    let schedule = epoch_schedule(&server);
    let slots_per_year = 365.242_199 * 24.0 * 60.0 * 60.0 * 2.5;
    let year = schedule.get_first_slot_in_epoch(epoch) as f64 / slots_per_year;
    assert!(year > 0.9 && year < 1.01, "year {year}");
    let total = rate["total"].as_f64().unwrap();
    assert!((total - 0.08 * 0.85f64.powf(year)).abs() < 1e-12, "{rate}");
    let foundation = rate["foundation"].as_f64().unwrap();
    assert!((foundation - total * 0.05).abs() < 1e-12, "{rate}");
    assert!((rate["validator"].as_f64().unwrap() - (total - foundation)).abs() < 1e-12);
    server.shutdown();
}

#[test]
fn inflation_rewards_come_with_the_end_of_an_epoch() {
    let server = start();
    let me = identity(&server);
    let vote = vote_account(&server)["votePubkey"].as_str().unwrap().to_string();
    let schedule = epoch_schedule(&server);
    let slot = call(&server, "getSlot", json!([])).as_u64().unwrap();
    let epoch = schedule.get_epoch(slot);
    // this epoch has not ended: its rewards block (the next epoch's first) does not exist yet
    let (code, message) = call_err(&server, "getInflationReward", json!([[me], {"epoch": epoch}]));
    let boundary = schedule.get_first_slot_in_epoch(epoch + 1);
    assert_eq!((code, message), (-32004, format!("Block not available for slot {boundary}")));
    let (code, _) = call_err(&server, "getInflationReward", json!([[me], {"epoch": 10_000}]));
    assert_eq!(code, -32004);

    warp(&server, EPOCH_SECONDS + 3_600);
    let rewards = call(&server, "getInflationReward", json!([[me, vote]]));
    assert_eq!(rewards, json!([null, null]));
    let rewards = call(&server, "getInflationReward", json!([[me], {"epoch": epoch}]));
    assert_eq!(rewards, json!([null]));
    assert_eq!(call(&server, "getInflationReward", json!([[]])), json!([]));

    let (code, message) = call_err(&server, "getInflationReward", json!([["not-a-key"]]));
    assert_eq!((code, message.as_str()), (-32602, "Invalid param: Invalid"));
    let (code, message) = call_err(
        &server,
        "getInflationReward",
        json!([["1111111111111111111111111111111111111111111111"]]),
    );
    assert_eq!((code, message.as_str()), (-32602, "Invalid param: WrongSize"));
    for bad in [json!([]), json!(["x"]), json!([[1]]), json!([[me], {"epoch": -1}])] {
        let (code, _) = call_err(&server, "getInflationReward", bad);
        assert_eq!(code, -32602);
    }
    server.shutdown();
}

#[test]
fn stake_snapshots_samples_and_removed_methods() {
    let server = start();
    let min = call(&server, "getStakeMinimumDelegation", json!([]));
    assert_eq!(min["value"], SOL);
    assert!(min["context"]["slot"].is_u64());
    assert_eq!(
        call(&server, "getStakeMinimumDelegation", json!([{"commitment": "processed"}]))["value"],
        SOL
    );

    let (code, message) = call_err(&server, "getHighestSnapshotSlot", json!([]));
    assert_eq!((code, message.as_str()), (-32008, "No snapshot"));

    assert_eq!(call(&server, "getRecentPerformanceSamples", json!([])), json!([]));
    assert_eq!(call(&server, "getRecentPerformanceSamples", json!([720])), json!([]));
    let (code, message) = call_err(&server, "getRecentPerformanceSamples", json!([721]));
    assert_eq!((code, message.as_str()), (-32602, "Invalid limit; max 720"));
    let (code, _) = call_err(&server, "getRecentPerformanceSamples", json!(["5"]));
    assert_eq!(code, -32602);

    // removed in agave 2.0
    for method in [
        "getFeeCalculatorForBlockhash",
        "getFees",
        "getFeeRateGovernor",
        "getRecentBlockhash",
        "getSnapshotSlot",
        "getStakeActivation",
        "getConfirmedBlock",
        "getConfirmedBlocks",
        "getConfirmedBlocksWithLimit",
        "getConfirmedTransaction",
        "getConfirmedSignaturesForAddress2",
        "getSignatureStatus",
        "getSignatureConfirmation",
        "getTotalSupply",
        "confirmTransaction",
    ] {
        let (code, message) = call_err(&server, method, json!([]));
        assert_eq!((code, message.as_str()), (-32601, "Method not found"), "{method}");
    }
    server.shutdown();
}

#[test]
fn accounts_report_the_rent_exempt_rent_epoch() {
    let server = start();
    let alice = funded(&server, SOL);
    for key in [identity(&server), alice.pubkey().to_string()] {
        let info = call(&server, "getAccountInfo", json!([key, {"encoding": "base64"}]));
        assert_eq!(info["value"]["rentEpoch"], u64::MAX, "{info}");
    }
    let many = call(
        &server,
        "getMultipleAccounts",
        json!([[alice.pubkey().to_string(), Pubkey::new_unique().to_string()]]),
    );
    assert_eq!(many["value"][0]["rentEpoch"], u64::MAX);
    assert_eq!(many["value"][1], Value::Null);
    server.shutdown();
}

#[test]
fn the_clock_epoch_follows_the_slots() {
    let mut net = Localnet::new();
    let schedule: EpochSchedule = net.svm().get_sysvar();
    let first_of_next = schedule.get_first_slot_in_epoch(1);
    while net.slot() < first_of_next {
        assert_eq!(net.clock().epoch, 0);
        net.produce_block();
    }
    let clock = net.clock();
    assert_eq!(clock.epoch, 1);
    assert_eq!(clock.leader_schedule_epoch, schedule.get_leader_schedule_epoch(clock.slot));
    // and the warp skips slots without blocks, which block production counts
    let before = net.slot();
    net.warp(3_600);
    let after = net.slot();
    assert_eq!(net.clock().epoch, schedule.get_epoch(after));
    assert_eq!(net.blocks_in(0, before), before + 1);
    assert_eq!(net.blocks_in(before + 1, after), 1);
    assert_eq!(net.blocks_in(after, before), 0);
}
