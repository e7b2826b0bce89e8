//! A lean JSON-RPC client for the RPC bench: one keep-alive HTTP/1.1 connection, requests in
//! the shape Solana's clients send them. It costs the client microseconds per call, so the
//! bench measures the server rather than the client (web3.js spends milliseconds of CPU per
//! transaction, see bench/README.md).

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    str::FromStr,
    time::{Duration, Instant},
};

use base64::Engine;
use serde_json::{json, Value};
use solana_hash::Hash;
use solana_transaction::versioned::VersionedTransaction;

pub struct RpcClient {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    next_id: u64,
}

impl RpcClient {
    pub fn connect(port: u16) -> RpcClient {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the RPC port");
        stream.set_nodelay(true).expect("nodelay");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let reader = BufReader::new(stream.try_clone().expect("clone the stream"));
        RpcClient { stream, reader, next_id: 1 }
    }

    /// One call; panics on a JSON-RPC error (the bench sends only valid transactions).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body =
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        let head = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.stream.write_all(format!("{head}{body}").as_bytes()).expect("send the request");
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("read the response head");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let mut bytes = vec![0; length.expect("a Content-Length")];
        self.reader.read_exact(&mut bytes).expect("read the response body");
        let reply: Value = serde_json::from_slice(&bytes).expect("a JSON response");
        match reply.get("error") {
            Some(error) => panic!("{method} failed: {error}"),
            None => reply["result"].clone(),
        }
    }

    pub fn latest_blockhash(&mut self) -> Hash {
        let reply = self.call("getLatestBlockhash", json!([{"commitment": "confirmed"}]));
        Hash::from_str(reply["value"]["blockhash"].as_str().expect("a blockhash"))
            .expect("a base58 hash")
    }

    /// Sends `tx` (base64, preflight at `confirmed` unless `skip_preflight`) and waits until
    /// its status is `confirmed` or `finalized`, as `sendAndConfirmTransaction` does; panics if
    /// it failed.
    pub fn send_and_confirm(&mut self, tx: &VersionedTransaction, skip_preflight: bool) {
        let wire = base64::engine::general_purpose::STANDARD
            .encode(bincode::serialize(tx).expect("serialize"));
        let signature = self.call(
            "sendTransaction",
            json!([wire, {"encoding": "base64", "skipPreflight": skip_preflight,
                          "preflightCommitment": "confirmed"}]),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let statuses = self.call("getSignatureStatuses", json!([[signature]]));
            let status = &statuses["value"][0];
            if let Some(level) = status["confirmationStatus"].as_str() {
                assert!(status["err"].is_null(), "{signature} failed: {}", status["err"]);
                if level != "processed" {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "{signature} not confirmed in 30 s");
            // Not yet confirmed: a cluster's client polls; this server has confirmed every
            // transaction it answered, so the first poll normally settles it.
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}
