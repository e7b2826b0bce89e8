//! The PubSub subscription registry, owned by the bank thread, and the notifications published
//! after each transaction and block.

use std::{
    collections::{BTreeMap, HashMap},
    sync::mpsc,
};

use serde_json::{json, Value};
use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::constants::MAX_SUBSCRIPTIONS;
use super::encode;
use super::jsonrpc::{RpcError, RpcResult};
use super::params::{AccountEncoding, DataSlice, Filter};
use crate::Localnet;

/// Which transactions a `logsSubscribe` wants.
#[derive(Clone, Debug)]
pub(crate) enum LogsFilter {
    All,
    Mentions(Pubkey),
}

/// What a subscription waits for.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
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
    /// Notifications held until the bank has committed the chain (see `bank.rs`), while
    /// `holding`.
    held: std::cell::RefCell<Vec<(u64, String)>>,
    holding: bool,
}

impl Registry {
    pub(crate) fn subscription_count(&self) -> usize {
        self.subs.len()
    }

    pub(crate) fn connection_count(&self) -> usize {
        self.conns.len()
    }

    pub(crate) fn add_connection(&mut self, conn: u64, out: mpsc::Sender<String>) {
        self.conns.insert(conn, out);
    }

    pub(crate) fn remove_connection(&mut self, conn: u64) {
        self.conns.remove(&conn);
        let ids: Vec<u64> =
            self.subs.iter().filter(|(_, s)| s.conn == conn).map(|(id, _)| *id).collect();
        for id in ids {
            self.remove(conn, id, None);
        }
    }

    pub(crate) fn allocate_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn insert(&mut self, conn: u64, kind: Kind) -> RpcResult<u64> {
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
    pub(crate) fn remove(&mut self, conn: u64, id: u64, kind: Option<&str>) -> bool {
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

    /// Holds the notifications from now on, until [`Registry::release`].
    pub(crate) fn hold(&mut self) {
        self.holding = true;
    }

    /// Sends the notifications held, in order, and stops holding.
    pub(crate) fn release(&mut self) {
        self.holding = false;
        for (conn, text) in self.held.take() {
            self.send(conn, text);
        }
    }

    fn send(&self, conn: u64, text: String) {
        if self.holding {
            self.held.borrow_mut().push((conn, text));
            return;
        }
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

/// The notifications of a signature subscription (`receivedSignature` first if asked for).
pub(crate) fn signature_notifications(
    id: u64,
    slot: u64,
    received: bool,
    err: Value,
) -> Vec<String> {
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
            _ => account_changes(net, *id, sub, &changed, slot, &mut out),
        }
    }
    for (conn, text) in out {
        reg.send(conn, text);
    }
    publish_slot(reg, parent_slot, net.slot());
}

/// Publishes that `changed` were set directly (not by a transaction: the account cheatcodes).
pub(crate) fn publish_accounts(net: &Localnet, reg: &mut Registry, changed: &[Pubkey]) {
    let slot = net.slot();
    let mut out: Vec<(u64, String)> = Vec::new();
    for (id, sub) in &reg.subs {
        account_changes(net, *id, sub, changed, slot, &mut out);
    }
    for (conn, text) in out {
        reg.send(conn, text);
    }
}

/// The notifications of the account or program subscription `sub` (`id`) for `changed`.
fn account_changes(
    net: &Localnet,
    id: u64,
    sub: &Sub,
    changed: &[Pubkey],
    slot: u64,
    out: &mut Vec<(u64, String)>,
) {
    match &sub.kind {
        Kind::Account { pubkey, encoding, slice } if changed.contains(pubkey) => {
            let account = net.get_account(pubkey).unwrap_or_else(encode::empty_account);
            if let Ok(value) = encode::account(net, pubkey, &account, *encoding, *slice) {
                out.push((
                    sub.conn,
                    notification(
                        "accountNotification",
                        id,
                        json!({ "context": context(slot), "value": value }),
                    ),
                ));
            }
        }
        Kind::Program { program, encoding, slice, filters } => {
            for key in changed {
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
                            id,
                            json!({ "context": context(slot), "value": value }),
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
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
