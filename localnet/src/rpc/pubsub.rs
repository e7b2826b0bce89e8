//! PubSub over WebSocket: the subscription registry (on the bank thread), the notifications
//! published after each transaction, and one thread per connection.

use std::{
    collections::{BTreeMap, HashMap},
    io::ErrorKind,
    net::{TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        mpsc, Arc,
    },
    time::Duration,
};

use serde_json::{json, Value};
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use tungstenite::{protocol::WebSocketConfig, Message};

use super::bank::{Bank, BankHandle};
use super::encode;
use super::http::{parse_call, response};
use super::params::{
    parse_pubkey, AccountEncoding, DataSlice, Filter, Params, RpcError, RpcResult,
};
use super::{MAX_SUBSCRIPTIONS, MAX_WS_CONNECTIONS};
use crate::Localnet;

/// How long a connection thread waits for a client message before it looks at its queue of
/// notifications again.
const POLL: Duration = Duration::from_millis(15);
/// Largest WebSocket message accepted from a client.
const MAX_MESSAGE_BYTES: usize = 1 << 20;

#[derive(Clone, Debug)]
enum LogsFilter {
    All,
    Mentions(Pubkey),
}

#[derive(Clone, Debug)]
enum Kind {
    Signature {
        signature: Signature,
        received: bool,
    },
    Logs(LogsFilter),
    Account {
        pubkey: Pubkey,
        encoding: AccountEncoding,
        slice: Option<DataSlice>,
    },
    Program {
        program: Pubkey,
        encoding: AccountEncoding,
        slice: Option<DataSlice>,
        filters: Vec<Filter>,
    },
    Slot,
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::Signature { .. } => "signature",
            Kind::Logs(_) => "logs",
            Kind::Account { .. } => "account",
            Kind::Program { .. } => "program",
            Kind::Slot => "slot",
        }
    }
}

#[derive(Debug)]
struct Sub {
    conn: u64,
    kind: Kind,
}

/// Every connection and subscription; owned by the bank thread.
#[derive(Default)]
pub(crate) struct Registry {
    next_id: u64,
    conns: HashMap<u64, mpsc::Sender<String>>,
    subs: BTreeMap<u64, Sub>,
    by_signature: HashMap<Signature, Vec<u64>>,
}

impl Registry {
    pub fn subscription_count(&self) -> usize {
        self.subs.len()
    }

    pub fn connection_count(&self) -> usize {
        self.conns.len()
    }

    fn add_connection(&mut self, conn: u64, out: mpsc::Sender<String>) {
        self.conns.insert(conn, out);
    }

    fn remove_connection(&mut self, conn: u64) {
        self.conns.remove(&conn);
        let ids: Vec<u64> =
            self.subs.iter().filter(|(_, s)| s.conn == conn).map(|(id, _)| *id).collect();
        for id in ids {
            self.remove(conn, id, None);
        }
    }

    fn allocate_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn insert(&mut self, conn: u64, kind: Kind) -> RpcResult<u64> {
        if !self.conns.contains_key(&conn) {
            return Err(RpcError::internal("connection is closed"));
        }
        if self.subs.len() >= MAX_SUBSCRIPTIONS {
            return Err(RpcError::internal(format!(
                "too many subscriptions (limit {MAX_SUBSCRIPTIONS})"
            )));
        }
        let id = self.allocate_id();
        if let Kind::Signature { signature, .. } = &kind {
            self.by_signature.entry(*signature).or_default().push(id);
        }
        self.subs.insert(id, Sub { conn, kind });
        Ok(id)
    }

    /// Removes subscription `id` of `conn` (of kind `kind` if given); whether there was one.
    fn remove(&mut self, conn: u64, id: u64, kind: Option<&str>) -> bool {
        match self.subs.get(&id) {
            Some(sub) if sub.conn == conn && kind.is_none_or(|k| k == sub.kind.name()) => {}
            _ => return false,
        }
        let Some(sub) = self.subs.remove(&id) else { return false };
        if let Kind::Signature { signature, .. } = sub.kind {
            if let Some(ids) = self.by_signature.get_mut(&signature) {
                ids.retain(|other| *other != id);
                if ids.is_empty() {
                    self.by_signature.remove(&signature);
                }
            }
        }
        true
    }

    fn send(&self, conn: u64, text: String) {
        if let Some(out) = self.conns.get(&conn) {
            // A closed connection is cleaned up by its own thread.
            let _ = out.send(text);
        }
    }
}

fn notification(method: &str, subscription: u64, result: Value) -> String {
    json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": { "result": result, "subscription": subscription },
    })
    .to_string()
}

fn context(slot: u64) -> Value {
    json!({ "slot": slot })
}

fn signature_notifications(id: u64, slot: u64, received: bool, err: Value) -> Vec<String> {
    let mut out = Vec::new();
    if received {
        out.push(notification(
            "signatureNotification",
            id,
            json!({ "context": context(slot), "value": "receivedSignature" }),
        ));
    }
    out.push(notification(
        "signatureNotification",
        id,
        json!({ "context": context(slot), "value": { "err": err } }),
    ));
    out
}

/// Publishes what the recorded transaction `signature` changed; `parent_slot` is the slot before
/// it executed.
pub(crate) fn publish_transaction(
    net: &Localnet,
    reg: &mut Registry,
    signature: &Signature,
    parent_slot: u64,
) {
    let Some(record) = net.transaction(signature) else { return };
    let slot = record.slot;
    let err = encode::opt_tx_error(record.err.as_ref());
    let mut out: Vec<(u64, String)> = Vec::new();

    if let Some(ids) = reg.by_signature.remove(signature) {
        for id in ids {
            if let Some(Sub { conn, kind: Kind::Signature { received, .. } }) = reg.subs.remove(&id)
            {
                for text in signature_notifications(id, slot, received, err.clone()) {
                    out.push((conn, text));
                }
            }
        }
    }

    let keys = record.transaction.message.static_account_keys();
    // A failed transaction only charged its fee payer.
    let changed: Vec<Pubkey> = if record.err.is_none() {
        record.writable.clone()
    } else {
        keys.first().copied().into_iter().collect()
    };
    for (id, sub) in &reg.subs {
        match &sub.kind {
            Kind::Logs(filter) => {
                let mentioned = match filter {
                    LogsFilter::All => true,
                    LogsFilter::Mentions(key) => keys.contains(key),
                };
                if mentioned {
                    let value = json!({ "signature": signature.to_string(), "err": err, "logs": record.meta.logs });
                    out.push((
                        sub.conn,
                        notification(
                            "logsNotification",
                            *id,
                            json!({ "context": context(slot), "value": value }),
                        ),
                    ));
                }
            }
            Kind::Account { pubkey, encoding, slice } if changed.contains(pubkey) => {
                let account = net.get_account(pubkey).unwrap_or_else(encode::empty_account);
                if let Ok(value) = encode::account(net, pubkey, &account, *encoding, *slice) {
                    out.push((
                        sub.conn,
                        notification(
                            "accountNotification",
                            *id,
                            json!({ "context": context(slot), "value": value }),
                        ),
                    ));
                }
            }
            Kind::Program { program, encoding, slice, filters } => {
                for key in &changed {
                    let Some(account) = net.get_account(key) else { continue };
                    if account.owner != *program
                        || !filters.iter().all(|f| f.matches(&account.owner, &account.data))
                    {
                        continue;
                    }
                    if let Ok(value) = encode::account(net, key, &account, *encoding, *slice) {
                        let value = json!({ "pubkey": key.to_string(), "account": value });
                        out.push((
                            sub.conn,
                            notification(
                                "programNotification",
                                *id,
                                json!({ "context": context(slot), "value": value }),
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    for (conn, text) in out {
        reg.send(conn, text);
    }
    publish_slot(reg, parent_slot, net.slot());
}

/// Publishes that the chain moved from slot `parent` to `slot`.
pub(crate) fn publish_slot(reg: &mut Registry, parent: u64, slot: u64) {
    if slot == parent {
        return;
    }
    let out: Vec<(u64, String)> = reg
        .subs
        .iter()
        .filter(|(_, s)| matches!(s.kind, Kind::Slot))
        .map(|(id, s)| {
            (
                s.conn,
                notification(
                    "slotNotification",
                    *id,
                    json!({ "parent": parent, "root": parent, "slot": slot }),
                ),
            )
        })
        .collect();
    for (conn, text) in out {
        reg.send(conn, text);
    }
}

/// Every PubSub method served.
pub const METHODS: &[&str] = &[
    "signatureSubscribe",
    "signatureUnsubscribe",
    "logsSubscribe",
    "logsUnsubscribe",
    "accountSubscribe",
    "accountUnsubscribe",
    "programSubscribe",
    "programUnsubscribe",
    "slotSubscribe",
    "slotUnsubscribe",
];

/// Runs one PubSub call of connection `conn`: the result and the notifications to send right
/// after it.
fn dispatch(
    bank: &mut Bank,
    conn: u64,
    method: &str,
    params: &Value,
) -> RpcResult<(Value, Vec<String>)> {
    bank.requests += 1;
    if !METHODS.contains(&method) {
        return Err(RpcError::method_not_found());
    }
    let p = Params::new(params)?;
    let reg = &mut bank.subs;
    let kind = match method {
        "signatureSubscribe" => {
            let signature = p.signature(0, "signature")?;
            let received = p.config(1)?.bool("enableReceivedNotification")?.unwrap_or(false);
            if let Some(record) = bank.net.transaction(&signature) {
                // Already processed: answer with an id and notify at once; nothing to keep.
                let id = reg.allocate_id();
                let err = encode::opt_tx_error(record.err.as_ref());
                return Ok((json!(id), signature_notifications(id, record.slot, received, err)));
            }
            Kind::Signature { signature, received }
        }
        "logsSubscribe" => {
            let filter = match p.required(0, "filter")? {
                Value::String(s) if s == "all" || s == "allWithVotes" => LogsFilter::All,
                Value::Object(obj) => {
                    let mentions =
                        obj.get("mentions").and_then(Value::as_array).ok_or_else(|| {
                            RpcError::invalid_params(
                                "expected \"all\", \"allWithVotes\" or {\"mentions\": [address]}",
                            )
                        })?;
                    if mentions.len() != 1 {
                        return Err(RpcError::invalid_params(
                            "Invalid Request: Only 1 address supported",
                        ));
                    }
                    LogsFilter::Mentions(parse_pubkey(
                        mentions[0].as_str().unwrap_or(""),
                        "mentions",
                    )?)
                }
                _ => {
                    return Err(RpcError::invalid_params(
                        "expected \"all\", \"allWithVotes\" or {\"mentions\": [address]}",
                    ))
                }
            };
            p.config(1)?;
            Kind::Logs(filter)
        }
        "accountSubscribe" => {
            let pubkey = p.pubkey(0, "address")?;
            let config = p.config(1)?;
            let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
            let slice = DataSlice::from_config(&config)?;
            Kind::Account { pubkey, encoding, slice }
        }
        "programSubscribe" => {
            let program = p.pubkey(0, "program id")?;
            let config = p.config(1)?;
            let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
            let slice = DataSlice::from_config(&config)?;
            let filters = Filter::parse_list(&config)?;
            Kind::Program { program, encoding, slice, filters }
        }
        "slotSubscribe" => Kind::Slot,
        "signatureUnsubscribe"
        | "logsUnsubscribe"
        | "accountUnsubscribe"
        | "programUnsubscribe"
        | "slotUnsubscribe" => {
            let id = p.u64(0, "subscription id")?;
            let kind = method.trim_end_matches("Unsubscribe");
            return Ok((json!(reg.remove(conn, id, Some(kind))), Vec::new()));
        }
        _ => return Err(RpcError::method_not_found()),
    };
    Ok((json!(reg.insert(conn, kind)?), Vec::new()))
}

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
        .call(move |b| dispatch(b, conn, &method, &params))
        .unwrap_or_else(|| Err(RpcError::internal("the request handler failed")));
    match result {
        Ok((value, extras)) => (Some(response(id, Ok(value))), extras),
        Err(err) => (Some(response(id, Err(err))), Vec::new()),
    }
}
