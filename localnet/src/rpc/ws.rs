//! The WebSocket side of PubSub: one thread per connection, which interleaves reading client
//! messages (with a short read timeout) and writing the notifications queued for it.

use std::{
    io::ErrorKind,
    net::{TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        mpsc, Arc,
    },
    time::Duration,
};

use serde_json::Value;
use tungstenite::{protocol::WebSocketConfig, Message};

use super::bank::BankHandle;
use super::constants::MAX_WS_CONNECTIONS;
use super::jsonrpc::{parse_call, response, RpcError};
use super::pubsub;

/// How long a connection thread waits for a client message before it looks at its queue of
/// notifications again.
const POLL: Duration = Duration::from_millis(15);
/// Largest WebSocket message accepted from a client.
const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// Accepts WebSocket connections until `stop`.
pub(crate) fn accept_loop(listener: TcpListener, bank: BankHandle, stop: Arc<AtomicBool>) {
    let active = Arc::new(AtomicUsize::new(0));
    let mut next_conn = 0u64;
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if active.load(Ordering::SeqCst) >= MAX_WS_CONNECTIONS {
            continue;
        }
        next_conn += 1;
        let conn = next_conn;
        active.fetch_add(1, Ordering::SeqCst);
        let (bank, stop, guard) = (bank.clone(), stop.clone(), ActiveGuard(active.clone()));
        let spawned = std::thread::Builder::new().name(format!("rpc-ws-{conn}")).spawn(move || {
            let _guard = guard;
            serve_connection(stream, &bank, &stop, conn);
        });
        if spawned.is_err() {
            // The guard went down with the closure.
            continue;
        }
    }
}

struct ActiveGuard(Arc<AtomicUsize>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn serve_connection(stream: TcpStream, bank: &BankHandle, stop: &AtomicBool, conn: u64) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let config = WebSocketConfig {
        max_message_size: Some(MAX_MESSAGE_BYTES),
        max_frame_size: Some(MAX_MESSAGE_BYTES),
        ..WebSocketConfig::default()
    };
    let Ok(mut ws) = tungstenite::accept_with_config(stream, Some(config)) else { return };
    let _ = ws.get_ref().set_read_timeout(Some(POLL));

    let (out_tx, out_rx) = mpsc::channel::<String>();
    if bank.call(move |b| b.subs.add_connection(conn, out_tx)).is_none() {
        return;
    }
    'serve: loop {
        if stop.load(Ordering::SeqCst) {
            let _ = ws.close(None);
            let _ = ws.flush();
            break;
        }
        let mut queued = false;
        while let Ok(text) = out_rx.try_recv() {
            if ws.write(Message::Text(text)).is_err() {
                break 'serve;
            }
            queued = true;
        }
        if queued && ws.flush().is_err() {
            break;
        }
        let text = match ws.read() {
            Ok(Message::Text(text)) => text,
            Ok(Message::Binary(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            Ok(_) => continue,
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                continue
            }
            Err(_) => break,
        };
        for reply in handle_text(bank, conn, &text) {
            if ws.send(Message::Text(reply)).is_err() {
                break 'serve;
            }
        }
    }
    bank.call(move |b| b.subs.remove_connection(conn));
}

/// The messages that answer one client message (none for notifications such as `ping`).
fn handle_text(bank: &BankHandle, conn: u64, text: &str) -> Vec<String> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => return vec![response(Value::Null, Err(RpcError::parse_error())).to_string()],
    };
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return vec![response(Value::Null, Err(RpcError::invalid_request(""))).to_string()];
            }
            let mut responses = Vec::new();
            let mut extras = Vec::new();
            for item in items {
                let (reply, more) = handle_one(bank, conn, item);
                responses.extend(reply);
                extras.extend(more);
            }
            let mut out = Vec::new();
            if !responses.is_empty() {
                out.push(Value::Array(responses).to_string());
            }
            out.extend(extras);
            out
        }
        single => {
            let (reply, more) = handle_one(bank, conn, single);
            reply.map(|r| r.to_string()).into_iter().chain(more).collect()
        }
    }
}

fn handle_one(bank: &BankHandle, conn: u64, value: Value) -> (Option<Value>, Vec<String>) {
    let call = match parse_call(value) {
        Ok(call) => call,
        Err(reply) => return (Some(reply), Vec::new()),
    };
    // A notification (no id), such as web3.js's `ping` every 5 s: no answer, nothing to do.
    let Some(id) = call.id else { return (None, Vec::new()) };
    let (method, params) = (call.method, call.params);
    let result = bank
        .call(move |b| pubsub::dispatch(b, conn, &method, &params))
        .unwrap_or_else(|| Err(RpcError::internal("the request handler failed")));
    match result {
        Ok((value, extras)) => (Some(response(id, Ok(value))), extras),
        Err(err) => (Some(response(id, Err(err))), Vec::new()),
    }
}
