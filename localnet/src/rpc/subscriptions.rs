//! The PubSub subscription registry, owned by the bank thread; the notifications published
//! as transactions execute and blocks close are in `publish`.
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
//! in the validator's order: see [`publish::publish_slot`].

use std::{
    collections::{BTreeMap, HashMap},
    sync::mpsc,
};

use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::block_update::BlockSubscription;
use super::constants::MAX_SUBSCRIPTIONS;
use super::jsonrpc::{RpcError, RpcResult};
use super::params::{AccountEncoding, Config, DataSlice, Filter};

pub(crate) mod publish;

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
