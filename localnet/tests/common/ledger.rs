//! What the ledger's test files share: temporary ledger directories, a chain and a server on a
//! ledger, the real binary on a ledger (to kill it), JSON-RPC calls to it by port, bursts of
//! transfers, and the blocks the ledger file holds.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::mpsc,
    thread::JoinHandle,
    time::{Duration, Instant},
};

use crucible_localnet::{
    rpc::{serve_with_config, RunningServer, ServerConfig},
    Localnet, OpenLedger, Options, Pubkey,
};
use redb::{Database, ReadableTable, TableDefinition};
use serde_json::{json, Value};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "crucible-ledger-{name}-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Self(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_suffix() -> String {
    Keypair::new().pubkey().to_string()[..8].to_string()
}

/// The chain of the ledger in `dir` (resumed, or new).
pub fn open_with(dir: &Path, options: Options) -> Localnet {
    Localnet::with_ledger(OpenLedger::open(dir, false).expect("ledger opens"), options)
        .expect("chain restored")
}

/// The real binary serving a ledger (`--ledger`), its faucet funding `fund` on a new one.
pub struct Validator {
    pub child: Child,
    pub port: u16,
}

impl Validator {
    pub fn start(ledger: &Path, fund: &Pubkey) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crucible-localnet"))
            .args(["--port", "0", "--quiet", "--fund", &fund.to_string(), "--ledger"])
            .arg(ledger)
            .env_remove("ANCHOR_WALLET")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .split("rpc=http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no ready line: {line:?}"));
        Self { child, port }
    }
}

impl Drop for Validator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A JSON-RPC call; `None` when the server is gone or answers with an error.
pub fn rpc(port: u16, method: &str, params: Value) -> Option<Value> {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let head = format!(
        "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let reply: Value = serde_json::from_str(raw.split_once("\r\n\r\n")?.1).ok()?;
    reply.get("result").cloned()
}

/// A burst of `count` transfers from `signer` to `to`, each of its own amount (so each
/// signature differs), sent one after the other until the validator is gone: each one answered
/// with its signature (confirmed) is sent on `confirmed`. The thread returns every transfer
/// sent, answered or not.
pub fn burst(
    port: u16,
    signer: Keypair,
    to: Pubkey,
    count: u64,
    confirmed: mpsc::Sender<(String, u64)>,
) -> JoinHandle<Vec<(String, u64)>> {
    std::thread::spawn(move || {
        let mut sent = Vec::new();
        let mut hash = None;
        for i in 0..count {
            if i % 50 == 0 {
                match rpc(port, "getLatestBlockhash", json!([])) {
                    Some(v) => hash = v["value"]["blockhash"].as_str().and_then(|h| h.parse().ok()),
                    None => break,
                }
            }
            let lamports = 1_000_000 + i;
            let tx = super::transfer(&signer, &to, lamports, hash.expect("a blockhash"));
            let signature = tx.signatures[0].to_string();
            sent.push((signature.clone(), lamports));
            match rpc(port, "sendTransaction", json!([super::b64(&tx), {"encoding": "base64"}])) {
                Some(v) if v.as_str() == Some(signature.as_str()) => {
                    if confirmed.send((signature, lamports)).is_err() {
                        break;
                    }
                }
                _ => break, // the validator is gone
            }
        }
        sent
    })
}

/// A transfer paying `price` micro-lamports a compute unit (a prioritization fee).
pub fn priced_transfer(
    from: &Keypair,
    to: &Pubkey,
    lamports: u64,
    price: u64,
    hash: Hash,
) -> VersionedTransaction {
    let ixs = [
        ComputeBudgetInstruction::set_compute_unit_price(price),
        solana_system_interface::instruction::transfer(&from.pubkey(), to, lamports),
    ];
    let message = Message::new_with_blockhash(&ixs, Some(&from.pubkey()), &hash);
    VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[from]).unwrap()
}

/// The slots of the blocks the ledger file holds.
pub fn stored_block_slots(dir: &Path) -> Vec<u64> {
    let db = Database::open(dir.join("ledger.redb")).unwrap();
    let txn = db.begin_read().unwrap();
    let table = txn.open_table(TableDefinition::<u64, &[u8]>::new("blocks")).unwrap();
    table.iter().unwrap().map(|e| e.unwrap().0.value()).collect()
}

/// The server on the ledger in `dir`, in process.
pub fn serve_ledger(dir: &Path) -> RunningServer {
    let dir = dir.to_path_buf();
    serve_with_config(
        move || open_with(&dir, Options::default()),
        ServerConfig { port: 0, ..ServerConfig::default() },
    )
    .expect("server starts")
}

/// Waits until the slot `current` reads is past `slot` (its block closed); returns that slot.
pub fn wait_past(slot: u64, current: impl Fn() -> u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = current();
        if now > slot {
            return now;
        }
        assert!(Instant::now() < deadline, "slot {slot} never closed");
        std::thread::sleep(Duration::from_millis(50));
    }
}
