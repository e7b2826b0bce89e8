//! What the server's test files share: a server on a free port, raw HTTP, JSON-RPC calls, a
//! WebSocket client, funded keys and transfers.
#![allow(dead_code)] // each test file uses some of these

pub mod ledger;

use std::{
    collections::VecDeque,
    io::{Read, Write},
    net::TcpStream,
    time::{Duration, Instant},
};

use base64::Engine;
use crucible_localnet::{
    rpc::{serve, RunningServer},
    Localnet, Pubkey,
};
use serde_json::{json, Value};
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use tungstenite::{stream::MaybeTlsStream, Message as WsMessage, WebSocket};

pub const SOL: u64 = 1_000_000_000;

pub fn start() -> RunningServer {
    serve(Localnet::new, 0).expect("server starts")
}

/// A raw HTTP/1.0 exchange: (status, body).
pub fn http(server: &RunningServer, method: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.rpc_port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "{method} / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading all of a large body.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, body.to_string())
}

pub fn post(server: &RunningServer, body: &str) -> Value {
    let (status, text) = http(server, "POST", body.as_bytes());
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

pub fn call(server: &RunningServer, method: &str, params: Value) -> Value {
    let reply = post(
        server,
        &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string(),
    );
    assert_eq!(reply["id"], 1);
    assert!(reply.get("error").is_none(), "{method}: {reply}");
    reply["result"].clone()
}

pub fn call_err(server: &RunningServer, method: &str, params: Value) -> Value {
    let reply = post(
        server,
        &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string(),
    );
    assert!(reply.get("result").is_none(), "{method} should fail: {reply}");
    reply["error"].clone()
}

pub fn blockhash(server: &RunningServer) -> Hash {
    call(server, "getLatestBlockhash", json!([]))["value"]["blockhash"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

pub fn transfer(from: &Keypair, to: &Pubkey, lamports: u64, hash: Hash) -> VersionedTransaction {
    let ix = solana_system_interface::instruction::transfer(&from.pubkey(), to, lamports);
    let message = Message::new_with_blockhash(&[ix], Some(&from.pubkey()), &hash);
    VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[from]).unwrap()
}

pub fn b64(tx: &VersionedTransaction) -> String {
    base64::engine::general_purpose::STANDARD.encode(bincode::serialize(tx).unwrap())
}

pub fn funded(server: &RunningServer, lamports: u64) -> Keypair {
    let kp = Keypair::new();
    call(server, "requestAirdrop", json!([kp.pubkey().to_string(), lamports]));
    kp
}

pub struct Ws {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    pub notifications: VecDeque<Value>,
    next_id: u64,
}

impl Ws {
    pub fn connect(server: &RunningServer) -> Self {
        let (ws, _) = tungstenite::connect(&server.ws_url).expect("ws connect");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        }
        Self { ws, notifications: VecDeque::new(), next_id: 0 }
    }

    pub fn send_text(&mut self, text: &str) {
        self.ws.send(WsMessage::Text(text.to_string())).unwrap();
    }

    /// The next message, or `None` after `timeout`.
    pub fn next(&mut self, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            match self.ws.read() {
                Ok(WsMessage::Text(t)) => return Some(serde_json::from_str(&t).unwrap()),
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("ws: {e}"),
            }
        }
        None
    }

    /// The answer to a raw message (notifications that arrive first are kept).
    pub fn raw_call(&mut self, text: &str) -> Value {
        self.send_text(text);
        loop {
            let msg = self.next(Duration::from_secs(10)).expect("an answer");
            if msg.get("method").is_some() {
                self.notifications.push_back(msg);
            } else {
                return msg;
            }
        }
    }

    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let reply = self.raw_call(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
        );
        assert_eq!(reply["id"], id, "{reply}");
        reply
    }

    pub fn subscribe(&mut self, method: &str, params: Value) -> u64 {
        let reply = self.call(method, params);
        reply["result"].as_u64().unwrap_or_else(|| panic!("{method}: {reply}"))
    }

    pub fn notification(&mut self, method: &str, subscription: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(i) = self
                .notifications
                .iter()
                .position(|n| n["method"] == method && n["params"]["subscription"] == subscription)
            {
                return self.notifications.remove(i).unwrap();
            }
            assert!(Instant::now() < deadline, "no {method} for subscription {subscription}");
            if let Some(msg) = self.next(Duration::from_millis(200)) {
                self.notifications.push_back(msg);
            }
        }
    }
}
