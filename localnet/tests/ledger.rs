//! The ledger (`--ledger DIR`): the chain stopped and started again resumes where it was
//! (accounts, token accounts, a Crucible program's account, a program deployed through the
//! upgradeable loader, history, slot and blockhashes, the status cache); `--reset` starts
//! anew; an unreadable ledger is refused and left as it was; and the real binary killed in the
//! middle of a burst of transactions loses none that it answered.

use std::{collections::BTreeMap, path::Path, process::Command, sync::mpsc, time::Duration};

mod common;

use common::ledger::{burst, open_with, rpc, serve_ledger, TempDir, Validator};

use anchor_lang::{AccountDeserialize, InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use base64::Engine;
use crucible_localnet::{
    rpc::{serve_with_config, RunningServer, ServerConfig},
    testing::{create_mint, create_token_account, mint_to, send, token_balance, SOL},
    Localnet, OpenLedger, Options, Pubkey, TimeTravel,
};
use crucible_staking::state::StakePool;
use serde_json::{json, Value};
use solana_account::{Account, ReadableAccount};
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

fn open(dir: &Path) -> Localnet {
    open_with(dir, Options::default())
}

fn transfer(from: &Keypair, to: &Pubkey, lamports: u64, hash: Hash) -> VersionedTransaction {
    let ix = solana_system_interface::instruction::transfer(&from.pubkey(), to, lamports);
    let message = Message::new_with_blockhash(&[ix], Some(&from.pubkey()), &hash);
    VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[from]).unwrap()
}

/// Every account of the chain.
fn all_accounts(net: &Localnet) -> BTreeMap<Pubkey, Account> {
    net.svm()
        .accounts_db()
        .inner
        .iter()
        .filter(|(_, a)| a.lamports() > 0)
        .map(|(k, a)| (*k, Account::from(a.clone())))
        .collect()
}

/// A staking pool of a new mint (an account owned by a Crucible program).
fn init_pool(net: &mut Localnet, admin: &Keypair) -> Pubkey {
    let mint = Keypair::new();
    create_mint(net, admin, &mint, &admin.pubkey(), 6).unwrap();
    let seed = |s: &[u8], k: &Pubkey| {
        Pubkey::find_program_address(&[s, k.as_ref()], &crucible_staking::ID).0
    };
    let pool = seed(StakePool::SEED, &mint.pubkey());
    let ix = Instruction {
        program_id: crucible_staking::ID,
        accounts: crucible_staking::accounts::InitPool {
            admin: admin.pubkey(),
            mint: mint.pubkey(),
            pool,
            stake_vault: seed(StakePool::STAKE_VAULT_SEED, &pool),
            reward_vault: seed(StakePool::REWARD_VAULT_SEED, &pool),
            token_program: spl_token::ID,
            system_program: solana_sdk_ids::system_program::ID,
        }
        .to_account_metas(None),
        data: crucible_staking::instruction::InitPool {
            args: crucible_staking::InitPoolArgs {
                min_stake: 100,
                unbonding_secs: 3_600,
                locker: Pubkey::new_unique(),
            },
        }
        .data(),
    };
    send(net, admin, &[ix], &[]).unwrap();
    pool
}

/// Deploys SPL Memo's binary as a user's program through the upgradeable loader's account
/// layout (a program account naming its program-data account), as `surfnet_setAccount` or a
/// deployment leaves it.
fn deploy_memo_copy(net: &mut Localnet) -> Pubkey {
    let elf = net.get_account(&spl_memo_id()).expect("SPL Memo is loaded").data;
    let program = Pubkey::new_unique();
    let (programdata, _) = Pubkey::find_program_address(
        &[program.as_ref()],
        &solana_sdk_ids::bpf_loader_upgradeable::ID,
    );
    // UpgradeableLoaderState::ProgramData { slot, upgrade_authority: None }, then the ELF.
    let mut data = 3u32.to_le_bytes().to_vec();
    data.extend_from_slice(&0u64.to_le_bytes());
    data.push(0);
    data.extend_from_slice(&[0; 32]);
    data.extend_from_slice(&elf);
    let rent = net.minimum_balance_for_rent_exemption(data.len());
    let owner = solana_sdk_ids::bpf_loader_upgradeable::ID;
    net.set_account(
        programdata,
        Account { lamports: rent, data, owner, executable: false, rent_epoch: 0 },
    );
    // UpgradeableLoaderState::Program { programdata_address }.
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(programdata.as_ref());
    let rent = net.minimum_balance_for_rent_exemption(data.len());
    net.try_set_account(
        program,
        Account { lamports: rent, data, owner, executable: true, rent_epoch: 0 },
    )
    .expect("the program loads");
    program
}

fn spl_memo_id() -> Pubkey {
    "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr".parse().unwrap()
}

fn memo(net: &mut Localnet, payer: &Keypair, program: Pubkey, text: &str) -> Vec<String> {
    let ix = Instruction { program_id: program, accounts: vec![], data: text.as_bytes().to_vec() };
    send(net, payer, &[ix], &[]).unwrap()
}

#[test]
fn the_chain_resumes_where_it_was_after_a_restart() {
    let dir = TempDir::new("resume");
    let admin = Keypair::new();
    let alice = Keypair::new().pubkey();
    let (pool, mint, token_account, program, signature, replay, record, accounts, state);
    let mut seen_hashes = Vec::new();
    {
        let mut net = open(dir.path());
        assert_eq!(net.transaction_count(), 0);
        net.airdrop(&admin.pubkey(), 100 * SOL).unwrap();
        pool = init_pool(&mut net, &admin);
        let mint_key = Keypair::new();
        mint = mint_key.pubkey();
        create_mint(&mut net, &admin, &mint_key, &admin.pubkey(), 6).unwrap();
        token_account = create_token_account(&mut net, &admin, &mint, &alice).unwrap();
        mint_to(&mut net, &admin, &mint, &token_account, 1_234_567).unwrap();
        program = deploy_memo_copy(&mut net);
        let logs = memo(&mut net, &admin, program, "before");
        assert!(logs.iter().any(|l| l.contains("before")), "{logs:#?}");
        net.time_travel(TimeTravel::AbsoluteSlot(net.slot() + 1_000)).unwrap();
        let tx = transfer(&admin, &alice, 5 * SOL, net.latest_blockhash());
        signature = net.send_transaction(tx.clone()).unwrap();
        replay = tx;
        record = net.transaction(&signature).cloned().unwrap();
        seen_hashes.extend((0..40).map(|_| {
            let h = net.latest_blockhash();
            net.produce_block();
            h
        }));
        accounts = all_accounts(&net);
        state = (
            net.slot(),
            net.block_height(),
            net.transaction_count(),
            net.latest_blockhash(),
            net.genesis_hash(),
            net.faucet(),
            net.clock(),
            net.now_millis(),
            net.validator().clone(),
        );
        net.commit().unwrap();
    }

    let mut net = open(dir.path());
    assert_eq!(
        (
            net.slot(),
            net.block_height(),
            net.transaction_count(),
            net.latest_blockhash(),
            net.genesis_hash(),
            net.faucet(),
            net.clock(),
            net.now_millis(),
            net.validator().clone(),
        ),
        state
    );
    // Every account as it was: balances, the token account, the pool, the program, sysvars.
    let restored = all_accounts(&net);
    assert_eq!(restored.len(), accounts.len());
    for (key, account) in &accounts {
        assert_eq!(restored.get(key), Some(account), "account {key}");
    }
    assert_eq!(net.get_balance(&alice), 5 * SOL);
    assert_eq!(token_balance(&net, &token_account), 1_234_567);
    let pool_state =
        StakePool::try_deserialize(&mut &net.get_account(&pool).unwrap().data[..]).unwrap();
    assert_eq!(pool_state.min_stake, 100);

    // The history: the record as it was, and the address's signatures.
    let again = net.transaction(&signature).expect("the record survives");
    assert_eq!(
        (again.seq, again.slot, again.block_time, again.fee, &again.err),
        (record.seq, record.slot, record.block_time, record.fee, &record.err)
    );
    assert_eq!(again.meta, record.meta);
    assert_eq!(again.transaction, record.transaction);
    assert_eq!(
        (&again.pre_balances, &again.post_balances),
        (&record.pre_balances, &record.post_balances)
    );
    assert_eq!(net.signatures_for_address(&alice, 10)[0].0, signature);

    // The same transaction again is a duplicate (its blockhash is still in the ring).
    assert_eq!(net.send_transaction(replay).unwrap_err().err, TransactionError::AlreadyProcessed);
    // A pre-restart blockhash still in the ring is accepted; an unknown one is refused.
    let hash = seen_hashes[10];
    assert!(net.is_blockhash_valid(&hash));
    net.send_transaction(transfer(&admin, &alice, SOL, hash)).unwrap();
    let unknown = transfer(&admin, &alice, SOL, Hash::new_unique());
    assert_eq!(net.send_transaction(unknown).unwrap_err().err, TransactionError::BlockhashNotFound);
    // The chain goes on from where it was: new slots, new blockhashes never issued before.
    assert_eq!(net.slot(), state.0 + 1);
    assert!(!seen_hashes.contains(&net.latest_blockhash()) && net.latest_blockhash() != state.3);
    // The user's program still runs; the Crucible programs and SPL Token too.
    let logs = memo(&mut net, &admin, program, "after");
    assert!(logs.iter().any(|l| l.contains("after")), "{logs:#?}");
    mint_to(&mut net, &admin, &mint, &token_account, 1).unwrap();
    assert_eq!(token_balance(&net, &token_account), 1_234_568);
    assert_eq!(net.get_balance(&alice), 6 * SOL);
    assert_eq!(net.transaction_count(), state.2 + 3);
}

#[test]
fn accounts_a_v0_transaction_loads_from_a_lookup_table_survive_a_restart() {
    use solana_address_lookup_table_interface::instruction as alt;
    use solana_message::{v0, AddressLookupTableAccount};
    let dir = TempDir::new("lookup");
    let authority = Keypair::new();
    let recipients: Vec<Pubkey> = (0..3).map(|_| Pubkey::new_unique()).collect();
    {
        let mut net = open(dir.path());
        net.airdrop(&authority.pubkey(), 10 * SOL).unwrap();
        let recent = net.slot() - 1;
        let (create, key) =
            alt::create_lookup_table(authority.pubkey(), authority.pubkey(), recent);
        let extend = alt::extend_lookup_table(
            key,
            authority.pubkey(),
            Some(authority.pubkey()),
            recipients.clone(),
        );
        send(&mut net, &authority, &[create, extend], &[]).unwrap();
        net.produce_block();
        let transfers: Vec<Instruction> = recipients
            .iter()
            .map(|to| solana_system_interface::instruction::transfer(&authority.pubkey(), to, SOL))
            .collect();
        let lookup = AddressLookupTableAccount { key, addresses: recipients.clone() };
        let message = v0::Message::try_compile(
            &authority.pubkey(),
            &transfers,
            &[lookup],
            net.latest_blockhash(),
        )
        .unwrap();
        // The recipients are not among the message's static keys: only the table names them.
        assert!(recipients.iter().all(|r| !message.account_keys.contains(r)));
        let tx =
            VersionedTransaction::try_new(VersionedMessage::V0(message), &[&authority]).unwrap();
        net.send_transaction(tx).unwrap();
        assert!(recipients.iter().all(|r| net.get_balance(r) == SOL));
    }
    let net = open(dir.path());
    for r in &recipients {
        assert_eq!(net.get_balance(r), SOL, "{r}");
    }
}

#[test]
fn a_smaller_history_capacity_keeps_the_newest_records() {
    let dir = TempDir::new("capacity");
    let payer = Keypair::new();
    let mut signatures = Vec::new();
    {
        let mut net = open(dir.path());
        net.airdrop(&payer.pubkey(), SOL).unwrap();
        for i in 0..5 {
            let tx = transfer(&payer, &Pubkey::new_unique(), 1_000 + i, net.latest_blockhash());
            signatures.push(net.send_transaction(tx).unwrap());
        }
    }
    let small = Options { history_capacity: 2, ..Options::default() };
    let reopen = |options: Options| {
        Localnet::with_ledger(OpenLedger::open(dir.path(), false).unwrap(), options).unwrap()
    };
    let net = reopen(small.clone());
    assert_eq!(net.history_len(), 2);
    assert!(net.transaction(&signatures[4]).is_some() && net.transaction(&signatures[2]).is_none());
    drop(net);
    // The evicted records are gone from the ledger as well.
    assert_eq!(reopen(Options::default()).history_len(), 2);
}

#[test]
fn reset_starts_a_new_chain() {
    let dir = TempDir::new("reset");
    let admin = Keypair::new();
    {
        let mut net = open(dir.path());
        net.airdrop(&admin.pubkey(), SOL).unwrap();
    }
    assert!(OpenLedger::open(dir.path(), false).unwrap().holds_chain());
    let fresh = OpenLedger::open(dir.path(), true).unwrap();
    assert!(!fresh.holds_chain());
    let net = Localnet::with_ledger(fresh, Options::default()).unwrap();
    assert_eq!((net.transaction_count(), net.get_balance(&admin.pubkey())), (0, 0));
    drop(net);
    // The new chain is the ledger now.
    let net = open(dir.path());
    assert_eq!((net.transaction_count(), net.get_balance(&admin.pubkey())), (0, 0));
}

#[test]
fn an_unreadable_ledger_is_refused_and_left_as_it_was() {
    let dir = TempDir::new("corrupt");
    std::fs::create_dir_all(dir.path()).unwrap();
    let file = dir.path().join("ledger.redb");
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(&file, &garbage).unwrap();
    let err = OpenLedger::open(dir.path(), false).err().expect("refused");
    assert!(err.starts_with(&format!("the ledger {} cannot be opened: ", file.display())), "{err}");
    assert!(err.contains("nothing in it was changed"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), garbage);

    // The binary says so and exits 1, the file untouched.
    let out = Command::new(env!("CARGO_BIN_EXE_crucible-localnet"))
        .args(["--port", "0", "--ledger"])
        .arg(dir.path())
        .env_remove("ANCHOR_WALLET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot be opened"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), garbage);

    // A file where the directory should be.
    let not_dir = dir.path().join("plain-file");
    std::fs::write(&not_dir, b"x").unwrap();
    let err = OpenLedger::open(&not_dir, false).err().expect("refused");
    assert_eq!(err, format!("--ledger {}: not a directory", not_dir.display()));

    // `--reset` without `--ledger` is a usage error.
    let out =
        Command::new(env!("CARGO_BIN_EXE_crucible-localnet")).arg("--reset").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reset needs --ledger <dir>"));
}

#[test]
fn a_ledger_in_use_is_refused() {
    let dir = TempDir::new("in-use");
    let net = open(dir.path());
    let err = OpenLedger::open(dir.path(), false).err().expect("refused while open");
    assert!(err.contains("cannot be opened"), "{err}");
    drop(net);
    assert!(OpenLedger::open(dir.path(), false).unwrap().holds_chain());
}

// ---- the server ------------------------------------------------------------------------------

#[test]
fn what_the_server_and_its_cheatcodes_wrote_survives_a_restart() {
    let dir = TempDir::new("server");
    let alice = Keypair::new().pubkey();
    let written = Pubkey::new_unique();
    let owner = Pubkey::new_unique();
    let server = serve_ledger(dir.path());
    let port = server.rpc_port;
    let airdrop = rpc(port, "requestAirdrop", json!([alice.to_string(), 3 * SOL])).unwrap();
    let update = json!({"lamports": 1_000_000, "data": "c0ffee", "owner": owner.to_string()});
    rpc(port, "surfnet_setAccount", json!([written.to_string(), update])).unwrap();
    let slot = rpc(port, "getSlot", json!([])).unwrap().as_u64().unwrap();
    rpc(port, "surfnet_timeTravel", json!([{"absoluteSlot": slot + 10_000}])).unwrap();
    let genesis = rpc(port, "getGenesisHash", json!([])).unwrap();
    let before = rpc(port, "getAccountInfo", json!([written.to_string(), {"encoding": "base64"}]))
        .unwrap()["value"]
        .clone();
    server.shutdown();

    let server = serve_ledger(dir.path());
    let port = server.rpc_port;
    assert_eq!(rpc(port, "getGenesisHash", json!([])).unwrap(), genesis);
    assert!(rpc(port, "getSlot", json!([])).unwrap().as_u64().unwrap() >= slot + 10_000);
    assert_eq!(balance(port, &alice), 3 * SOL);
    let after = rpc(port, "getAccountInfo", json!([written.to_string(), {"encoding": "base64"}]))
        .unwrap()["value"]
        .clone();
    assert_eq!(after, before);
    assert_eq!(after["data"][0], "wP/u");
    let statuses = rpc(port, "getSignatureStatuses", json!([[airdrop]])).unwrap();
    assert_eq!(statuses["value"][0]["err"], Value::Null);
    let history = rpc(port, "getSignaturesForAddress", json!([alice.to_string()])).unwrap();
    assert_eq!(history[0]["signature"], airdrop);
    let tx = rpc(port, "getTransaction", json!([airdrop, {"encoding": "json"}])).unwrap();
    assert_eq!(tx["meta"]["postBalances"][1], 3 * SOL);
    server.shutdown();
}

// ---- the real binary, killed mid-burst -------------------------------------------------------

fn blockhash(port: u16) -> Hash {
    rpc(port, "getLatestBlockhash", json!([])).unwrap()["value"]["blockhash"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn balance(port: u16, key: &Pubkey) -> u64 {
    rpc(port, "getBalance", json!([key.to_string()])).unwrap()["value"].as_u64().unwrap()
}

#[test]
fn a_validator_killed_mid_burst_keeps_every_confirmed_transaction() {
    let dir = TempDir::new("kill");
    let payer = Keypair::new();
    let to = Keypair::new().pubkey();
    let validator = Validator::start(dir.path(), &payer.pubkey());
    let port = validator.port;
    assert_eq!(balance(port, &payer.pubkey()), 1_000 * SOL);

    // A burst of transfers, each of its own amount (so each signature differs): those answered
    // with a signature are confirmed. The validator is killed once 60 are, mid-burst.
    const BURST: u64 = 400;
    let (confirmed_tx, confirmed_rx) = mpsc::channel::<(String, u64)>();
    let sender = burst(port, payer.insecure_clone(), to, BURST, confirmed_tx);
    let mut confirmed = Vec::new();
    while let Ok(c) = confirmed_rx.recv_timeout(Duration::from_secs(60)) {
        confirmed.push(c);
        if confirmed.len() == 60 {
            break;
        }
    }
    let mut validator = validator;
    validator.child.kill().unwrap(); // SIGKILL
    validator.child.wait().unwrap();
    confirmed.extend(confirmed_rx.try_iter());
    let sent = sender.join().unwrap();
    assert!(confirmed.len() >= 60, "only {} confirmed before the kill", confirmed.len());
    assert!(sent.len() < BURST as usize, "the kill came after the burst");
    drop(validator);

    // Restarted on the same ledger: it opens, and every confirmed transaction is there.
    let validator = Validator::start(dir.path(), &payer.pubkey());
    let port = validator.port;
    let signatures: Vec<&str> = sent.iter().map(|(s, _)| s.as_str()).collect();
    let statuses = rpc(port, "getSignatureStatuses", json!([signatures])).unwrap()["value"].clone();
    let mut landed = 0;
    for (i, (signature, lamports)) in sent.iter().enumerate() {
        let status = &statuses[i];
        if confirmed.iter().any(|(s, _)| s == signature) {
            assert!(status.is_object(), "confirmed {signature} lost: {status}");
        }
        if status.is_object() {
            assert_eq!(status["err"], Value::Null);
            landed += lamports;
            let tx =
                rpc(port, "getTransaction", json!([signature, {"encoding": "base64"}])).unwrap();
            assert_eq!(tx["meta"]["err"], Value::Null);
        }
    }
    // The balances are those of the transactions that landed; the payer was not funded again.
    assert_eq!(balance(port, &to), landed);
    let fees = 5_000 * statuses.as_array().unwrap().iter().filter(|s| s.is_object()).count() as u64;
    assert_eq!(balance(port, &payer.pubkey()), 1_000 * SOL - landed - fees);
    // And it goes on.
    let tx = transfer(&payer, &to, 7, blockhash(port));
    let wire = base64::engine::general_purpose::STANDARD.encode(bincode::serialize(&tx).unwrap());
    let reply = rpc(port, "sendTransaction", json!([wire, {"encoding": "base64"}]));
    assert_eq!(reply, Some(json!(tx.signatures[0].to_string())));
    assert_eq!(balance(port, &to), landed + 7);
}

/// What the ledger costs: transfers a second in process, without a ledger and with one
/// committed after every transaction (as the server does). Not a test of speed (nothing is
/// asserted on time); run with `--ignored --nocapture` to see the figures.
#[test]
#[ignore]
fn measure_the_cost_of_the_ledger() {
    const N: u64 = 500;
    let run = |mut net: Localnet| {
        let payer = Keypair::new();
        net.airdrop(&payer.pubkey(), 100 * SOL).unwrap();
        let to = Pubkey::new_unique();
        let start = std::time::Instant::now();
        for i in 0..N {
            let tx = transfer(&payer, &to, 1_000 + i, net.latest_blockhash());
            net.send_transaction(tx).unwrap();
            net.commit().unwrap();
        }
        N as f64 / start.elapsed().as_secs_f64()
    };
    let memory = run(Localnet::new());
    let dir = TempDir::new("measure");
    let disk = run(open(dir.path()));
    let size = std::fs::metadata(dir.path().join("ledger.redb")).unwrap().len();
    println!(
        "{N} transfers: {memory:.0}/s in memory, {disk:.0}/s with the ledger (commit per \
         transaction); ledger file {:.1} MiB",
        size as f64 / 1048576.0
    );
}

/// The same over HTTP: transfers a second from 4 concurrent senders, a server without a ledger
/// and one with it (one commit per batch of calls waiting, before they are answered). Run with
/// `--ignored --nocapture`.
#[test]
#[ignore]
fn measure_the_cost_of_the_ledger_over_http() {
    const SENDERS: u64 = 4;
    const EACH: u64 = 150;
    let run = |server: RunningServer| {
        let port = server.rpc_port;
        let payers: Vec<Keypair> = (0..SENDERS).map(|_| Keypair::new()).collect();
        for p in &payers {
            rpc(port, "requestAirdrop", json!([p.pubkey().to_string(), 10 * SOL])).unwrap();
        }
        let hash = blockhash(port);
        let start = std::time::Instant::now();
        let threads: Vec<_> = payers
            .into_iter()
            .map(|payer| {
                std::thread::spawn(move || {
                    let to = Pubkey::new_unique();
                    for i in 0..EACH {
                        let tx = transfer(&payer, &to, 1_000 + i, hash);
                        let wire = base64::engine::general_purpose::STANDARD
                            .encode(bincode::serialize(&tx).unwrap());
                        let params = json!([wire, {"encoding": "base64", "skipPreflight": true}]);
                        rpc(port, "sendTransaction", params).expect("confirmed");
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        let rate = (SENDERS * EACH) as f64 / start.elapsed().as_secs_f64();
        server.shutdown();
        rate
    };
    let memory =
        run(serve_with_config(Localnet::new, ServerConfig { port: 0, ..ServerConfig::default() })
            .unwrap());
    let dir = TempDir::new("measure-http");
    let disk = run(serve_ledger(dir.path()));
    println!(
        "{} transfers over HTTP from {SENDERS} senders: {memory:.0}/s in memory, {disk:.0}/s with \
         the ledger",
        SENDERS * EACH
    );
}
