//! The PubSub subscription registry, owned by the bank thread, and the notifications published
//! as transactions execute and blocks close.
//!
//! As on agave (`rpc/src/rpc_subscriptions.rs`), account, program, logs, signature and block
//! notifications are not sent as each transaction executes but when its block is done: the
//! validator checks every subscription against the bank of its commitment level once a bank is
//! frozen and voted on (processed), optimistically confirmed (confirmed) and rooted (finalized),
//! and notifies an account once per bank with its state at the end of that bank. So a
//! subscription made after a transaction executed, while its block is still open, still hears of
//! it (`@solana/web3.js` sends `accountSubscribe` only once its socket is open, often after the
//! transaction that follows `onAccountChange` has executed). On a one-node cluster every block is
//! confirmed and rooted as soon as it is voted on, so all three levels fire as the block closes,
//! in the validator's order: see [`publish_slot`].

use std::{
    collections::{BTreeMap, HashMap},
    sync::mpsc,
};

use serde_json::{json, Value};
use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::block_update::{self, account_keys, loaded_addresses, BlockSubscription};
use super::constants::MAX_SUBSCRIPTIONS;
use super::encode;
use super::jsonrpc::{RpcError, RpcResult};
use super::params::{AccountEncoding, Config, DataSlice, Filter};
use crate::Localnet;

/// A subscription's commitment level (`commitment`, default `finalized` as agave's
/// `CommitmentConfig::default()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Commitment {
    Processed,
    Confirmed,
    Finalized,
}

impl Commitment {
    /// The three levels, in the order a block reaches them.
    const ALL: [Commitment; 3] = [Self::Processed, Self::Confirmed, Self::Finalized];

    /// The `commitment` of a configuration object; serde's message for an unknown level, as
    /// agave's `CommitmentLevel` answers it.
    pub(crate) fn from_config(config: &Config) -> RpcResult<Self> {
        match config.str("commitment")? {
            None | Some("finalized") => Ok(Self::Finalized),
            Some("confirmed") => Ok(Self::Confirmed),
            Some("processed") => Ok(Self::Processed),
            Some(other) => Err(RpcError::invalid_params(format!(
                "unknown variant `{other}`, expected one of `processed`, `confirmed`, `finalized`."
            ))),
        }
    }
}

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
    Block(BlockSubscription),
    Slot,
    SlotsUpdates,
    Root,
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::Signature { .. } => "signature",
            Kind::Logs(_) => "logs",
            Kind::Account { .. } => "account",
            Kind::Program { .. } => "program",
            Kind::Block(_) => "block",
            Kind::Slot => "slot",
            Kind::SlotsUpdates => "slotsUpdates",
            Kind::Root => "root",
        }
    }
}

#[derive(Debug)]
struct Sub {
    conn: u64,
    kind: Kind,
    commitment: Commitment,
}

/// What the open block changed, published when it closes.
#[derive(Default)]
struct OpenBlock {
    /// Transactions recorded in the open block, in order.
    signatures: Vec<Signature>,
    /// Accounts written (by those transactions or by the account cheatcodes), each once, those
    /// of the newest change first (agave's order, the accounts index's, is unspecified).
    changed: Vec<Pubkey>,
}

impl OpenBlock {
    fn touch(&mut self, keys: impl IntoIterator<Item = Pubkey>) {
        let keys: Vec<Pubkey> = keys.into_iter().collect();
        self.changed.retain(|k| !keys.contains(k));
        let mut newest: Vec<Pubkey> = Vec::with_capacity(keys.len());
        for key in keys {
            if !newest.contains(&key) {
                newest.push(key);
            }
        }
        newest.append(&mut self.changed);
        self.changed = newest;
    }
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
    open: OpenBlock,
    /// The slot and blockhash of the last closed block (`parentSlot` and `previousBlockhash` of
    /// the next).
    last_block: Option<(u64, solana_hash::Hash)>,
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

    pub(crate) fn insert(
        &mut self,
        conn: u64,
        kind: Kind,
        commitment: Commitment,
    ) -> RpcResult<u64> {
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
        self.subs.insert(id, Sub { conn, kind, commitment });
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

    fn send_all(&self, out: Vec<(u64, String)>) {
        for (conn, text) in out {
            self.send(conn, text);
        }
    }

    /// The `(connection, id)` of every subscription whose kind `matches`.
    fn watchers(&self, matches: impl Fn(&Kind) -> bool) -> Vec<(u64, u64)> {
        self.subs.iter().filter(|(_, s)| matches(&s.kind)).map(|(id, s)| (s.conn, *id)).collect()
    }
}

pub(crate) fn notification(method: &str, subscription: u64, result: Value) -> String {
    json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": { "result": result, "subscription": subscription },
    })
    .to_string()
}

fn with_context(slot: u64, value: Value) -> Value {
    json!({ "context": { "slot": slot }, "value": value })
}

/// A signature subscription's final notification.
pub(crate) fn signature_notification(id: u64, slot: u64, err: Value) -> String {
    notification("signatureNotification", id, with_context(slot, json!({ "err": err })))
}

/// The `receivedSignature` notification (`enableReceivedNotification`).
pub(crate) fn received_notification(id: u64, slot: u64) -> String {
    notification("signatureNotification", id, with_context(slot, json!("receivedSignature")))
}

/// Records what the transaction `signature` changed for the close of its block, and tells the
/// signature subscriptions that asked for it that it was received (agave sends
/// `receivedSignature` as the leader receives a transaction, before its block is done).
pub(crate) fn publish_transaction(net: &Localnet, reg: &mut Registry, signature: &Signature) {
    let Some(record) = net.transaction(signature) else { return };
    let keys = record.transaction.message.static_account_keys();
    // A failed transaction only charged its fee payer. A v0 transaction also wrote the writable
    // addresses it loaded from lookup tables.
    if record.err.is_none() {
        let (loaded, _) = loaded_addresses(net, &record.transaction.message);
        reg.open.touch(record.writable.iter().copied().chain(loaded));
    } else {
        reg.open.touch(keys.first().copied());
    }
    reg.open.signatures.push(*signature);
    let mut out = Vec::new();
    for id in reg.by_signature.get(signature).into_iter().flatten() {
        if let Some(Sub { conn, kind: Kind::Signature { received: true, .. }, .. }) =
            reg.subs.get(id)
        {
            out.push((*conn, received_notification(*id, record.slot)));
        }
    }
    reg.send_all(out);
}

/// Takes in the open block of a chain resumed from its ledger: its transactions recorded before
/// the stop are published at its close like those executed since (their accounts, logs and
/// signatures), so that a subscription made after the restart, while that block is still open,
/// hears of them as it would have before. (Accounts set directly by a cheatcode before the stop
/// are not known here.)
pub(crate) fn resume(net: &Localnet, reg: &mut Registry) {
    for signature in net.open_block_signatures() {
        publish_transaction(net, reg, signature);
    }
}

/// Records that `changed` were set directly (not by a transaction: the account cheatcodes), for
/// the close of the open block.
pub(crate) fn publish_accounts(reg: &mut Registry, changed: &[Pubkey]) {
    reg.open.touch(changed.iter().copied());
}

/// Publishes that the block at `parent` closed and the chain moved on to `slot`, in the order a
/// one-node agave validator sends them (`ReplayStage` and `rpc_subscriptions.rs`):
/// 1. `slotsUpdates` `completed` and `frozen` for `parent`;
/// 2. the `processed` account, program, logs and signature notifications of `parent`;
/// 3. `slotsUpdates` `optimisticConfirmation`, then the `confirmed` notifications (and blocks);
/// 4. `rootNotification` and `slotsUpdates` `root`, then the `finalized` notifications (and
///    blocks);
/// 5. `slotNotification` for the new bank and `slotsUpdates` `createdBank`.
///
/// Slots a time travel jumps over hold no block and are not announced.
pub(crate) fn publish_slot(net: &Localnet, reg: &mut Registry, parent: u64, slot: u64) {
    if slot == parent {
        return;
    }
    let open = std::mem::take(&mut reg.open);
    // agave stamps each slot update with the wall clock in milliseconds.
    let timestamp = now_millis();
    let mut out: Vec<(u64, String)> = Vec::new();
    let updates = reg.watchers(|k| matches!(k, Kind::SlotsUpdates));
    let slot_update = |out: &mut Vec<(u64, String)>, update: Value| {
        for (conn, id) in &updates {
            out.push((*conn, notification("slotsUpdatesNotification", *id, update.clone())));
        }
    };
    let failed = open
        .signatures
        .iter()
        .filter(|s| net.transaction(s).is_some_and(|r| r.err.is_some()))
        .count();
    let entries = open.signatures.len();
    slot_update(&mut out, json!({ "type": "completed", "slot": parent, "timestamp": timestamp }));
    slot_update(
        &mut out,
        json!({
            "type": "frozen",
            "slot": parent,
            "timestamp": timestamp,
            "stats": {
                "numTransactionEntries": entries,
                "numSuccessfulTransactions": entries - failed,
                "numFailedTransactions": failed,
                "maxTransactionsPerEntry": entries.min(1),
            },
        }),
    );
    let block = block_update::Block::closed(net, parent, &open.signatures, &reg.last_block);
    for commitment in Commitment::ALL {
        match commitment {
            Commitment::Processed => {}
            Commitment::Confirmed => slot_update(
                &mut out,
                json!({ "type": "optimisticConfirmation", "slot": parent, "timestamp": timestamp }),
            ),
            Commitment::Finalized => {
                for (conn, id) in reg.watchers(|k| matches!(k, Kind::Root)) {
                    out.push((conn, notification("rootNotification", id, json!(parent))));
                }
                slot_update(
                    &mut out,
                    json!({ "type": "root", "slot": parent, "timestamp": timestamp }),
                );
            }
        }
        commitment_notifications(net, reg, &open, &block, parent, commitment, &mut out);
    }
    for (conn, id) in reg.watchers(|k| matches!(k, Kind::Slot)) {
        out.push((
            conn,
            notification(
                "slotNotification",
                id,
                json!({ "parent": parent, "root": parent, "slot": slot }),
            ),
        ));
    }
    slot_update(
        &mut out,
        json!({ "type": "createdBank", "slot": slot, "parent": parent, "timestamp": timestamp }),
    );
    reg.last_block = Some((parent, block.blockhash()));
    reg.send_all(out);
}

fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The notifications of the subscriptions at `commitment` for the closed block `slot`; the
/// signature subscriptions that fire end.
fn commitment_notifications(
    net: &Localnet,
    reg: &mut Registry,
    open: &OpenBlock,
    block: &block_update::Block,
    slot: u64,
    commitment: Commitment,
    out: &mut Vec<(u64, String)>,
) {
    let mut done: Vec<u64> = Vec::new();
    for (id, sub) in reg.subs.iter().filter(|(_, s)| s.commitment == commitment) {
        let (id, conn) = (*id, sub.conn);
        match &sub.kind {
            Kind::Signature { signature, .. } => {
                if let Some(record) =
                    net.transaction(signature).filter(|_| open.signatures.contains(signature))
                {
                    let err = encode::opt_tx_error(record.err.as_ref());
                    out.push((conn, signature_notification(id, record.slot, err)));
                    done.push(id);
                }
            }
            Kind::Logs(filter) => {
                for signature in &open.signatures {
                    let Some(record) = net.transaction(signature) else { continue };
                    let mentioned = match filter {
                        LogsFilter::All => true,
                        LogsFilter::Mentions(key) => account_keys(net, record).contains(key),
                    };
                    if mentioned {
                        let value = json!({
                            "signature": signature.to_string(),
                            "err": encode::opt_tx_error(record.err.as_ref()),
                            "logs": record.meta.logs,
                        });
                        out.push((
                            conn,
                            notification("logsNotification", id, with_context(slot, value)),
                        ));
                    }
                }
            }
            Kind::Account { pubkey, encoding, slice } if open.changed.contains(pubkey) => {
                let account = net.get_account(pubkey).unwrap_or_else(encode::empty_account);
                if let Ok(value) = encode::account(net, pubkey, &account, *encoding, *slice) {
                    out.push((
                        conn,
                        notification("accountNotification", id, with_context(slot, value)),
                    ));
                }
            }
            Kind::Program { program, encoding, slice, filters } => {
                for key in &open.changed {
                    let Some(account) = net.get_account(key) else { continue };
                    if account.owner != *program
                        || !filters.iter().all(|f| f.matches(&account.owner, &account.data))
                    {
                        continue;
                    }
                    if let Ok(value) = encode::account(net, key, &account, *encoding, *slice) {
                        let value = json!({ "pubkey": key.to_string(), "account": value });
                        out.push((
                            conn,
                            notification("programNotification", id, with_context(slot, value)),
                        ));
                    }
                }
            }
            Kind::Block(params) => {
                if let Some(value) = block.update(net, params) {
                    out.push((
                        conn,
                        notification("blockNotification", id, with_context(slot, value)),
                    ));
                }
            }
            _ => {}
        }
    }
    for id in done {
        if let Some(conn) = reg.subs.get(&id).map(|s| s.conn) {
            reg.remove(conn, id, None);
        }
    }
}
