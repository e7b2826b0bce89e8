//! The ledger on disk (`--ledger DIR`): the chain's accounts, its history and its block state
//! in one redb database, `DIR/ledger.redb`, so that a validator stopped and started again
//! resumes where it was, as solana-test-validator does with its ledger directory.
//!
//! redb is an embedded ACID store: a write transaction is all or nothing, and a committed one
//! is on disk (fsync, redb's default `Durability::Immediate`) before `commit` returns. A crash
//! or a kill at any moment leaves the last committed state, which opens. The chain commits
//! before an RPC call answers (see `rpc/bank.rs`), so a transaction reported confirmed is on
//! disk.
//!
//! This module only stores and loads; what is stored is gathered by `chain/persistence.rs`.
//!
//! Tables:
//! - `accounts`: address (32 bytes) to account (see `ledger_codec::encode_account`); an address whose
//!   account was removed (0 lamports) is deleted;
//! - `records`: history position (`TxRecord::seq`) to the record (bincode of `ledger_codec::StoredRecord`);
//!   records the in-memory history evicts are deleted too;
//! - `blocks`: slot to closed block (see `ledger_codec::encode_block`): each commit adds the
//!   blocks closed since the last one and deletes those before the first available block;
//! - `meta`: the block state ([`Meta`]): `chain` (bincode, the open block's header among it),
//!   `blockhashes` (the ring, 40 bytes an entry: hash, issue time) and `slot hashes` (40 bytes
//!   an entry: slot, hash).

use std::{
    collections::HashSet,
    path::{Path, PathBuf},
};

use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use solana_account::Account;
use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::block_store::Block;
use super::ledger_codec::{
    decode_account, decode_block, encode_account, encode_block, OpenBlock, StoredRecord,
};
use super::records::TxRecord;

const ACCOUNTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("accounts");
const RECORDS: TableDefinition<u64, &[u8]> = TableDefinition::new("records");
const BLOCKS: TableDefinition<u64, &[u8]> = TableDefinition::new("blocks");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const META_KEY: &str = "chain";
const RING_KEY: &str = "blockhashes";
const SLOT_HASHES_KEY: &str = "slot hashes";
/// The database file inside the ledger directory.
pub const LEDGER_FILE: &str = "ledger.redb";
/// Version of what is stored; a ledger of another version is refused, not misread. Format 3
/// adds the blocks (format 2 had none: its chain restarted without its earlier blocks).
const FORMAT: u32 = 3;

/// The chain's block state, everything but accounts and history.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub format: u32,
    pub genesis_hash: [u8; 32],
    /// The faucet's keypair (64 bytes: secret then public key).
    pub faucet: Vec<u8>,
    pub validator_identity: [u8; 32],
    pub vote_account: [u8; 32],
    pub stake_account: [u8; 32],
    pub activated_stake: u64,
    pub block_height: u64,
    pub transaction_count: u64,
    /// The blockhash ring, oldest first, each with its issue time in Unix milliseconds.
    #[serde(skip)]
    pub blockhashes: Vec<([u8; 32], u64)>,
    /// `SlotHashes`' entries, newest first.
    #[serde(skip)]
    pub slot_hashes: Vec<(u64, [u8; 32])>,
    pub clock_millis: u64,
    pub skipped_slots: Vec<(u64, u64)>,
    /// The block open at the commit (the current slot's), without its transactions.
    pub open_block: OpenBlock,
    /// The first slot whose block may be kept (the `blocks` table holds none before it).
    pub first_available_block: u64,
}

impl Meta {
    pub fn format() -> u32 {
        FORMAT
    }

    /// The ring and the slot hashes as flat 40-byte entries, stored beside the rest (bincode
    /// writes a hash byte by byte, which showed in the cost of every commit).
    fn write(&self, table: &mut redb::Table<&str, &[u8]>) -> Result<(), String> {
        let bytes = bincode::serialize(self).map_err(|e| e.to_string())?;
        table.insert(META_KEY, bytes.as_slice()).map_err(|e| e.to_string())?;
        let mut ring = Vec::with_capacity(40 * self.blockhashes.len());
        for (hash, at) in &self.blockhashes {
            ring.extend_from_slice(hash);
            ring.extend_from_slice(&at.to_le_bytes());
        }
        table.insert(RING_KEY, ring.as_slice()).map_err(|e| e.to_string())?;
        let mut slots = Vec::with_capacity(40 * self.slot_hashes.len());
        for (slot, hash) in &self.slot_hashes {
            slots.extend_from_slice(&slot.to_le_bytes());
            slots.extend_from_slice(hash);
        }
        table.insert(SLOT_HASHES_KEY, slots.as_slice()).map_err(|e| e.to_string())?;
        Ok(())
    }

    fn read(table: &redb::ReadOnlyTable<&str, &[u8]>) -> Result<Option<Self>, String> {
        let get = |key: &str| -> Result<Option<Vec<u8>>, String> {
            Ok(table.get(key).map_err(|e| e.to_string())?.map(|v| v.value().to_vec()))
        };
        let Some(bytes) = get(META_KEY)? else {
            return Ok(None);
        };
        // The format comes first (bincode writes the u32 as 4 bytes LE): a ledger of another
        // format is refused before the rest, whose fields may differ, is parsed.
        let format = bytes.get(..4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")));
        match format {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(format!(
                    "it was written in format {other}, this validator reads format {FORMAT}"
                ))
            }
            None => return Err("its chain state does not parse".into()),
        }
        let mut meta: Meta = bincode::deserialize(&bytes)
            .map_err(|e| format!("its chain state does not parse ({e})"))?;
        let entries = |key: &str| -> Result<Vec<[u8; 40]>, String> {
            let bytes = get(key)?.ok_or_else(|| format!("its {key} are missing"))?;
            if bytes.len() % 40 != 0 {
                return Err(format!("its {key} do not parse"));
            }
            Ok(bytes.chunks(40).map(|c| c.try_into().expect("40 bytes")).collect())
        };
        let hash = |b: &[u8]| -> [u8; 32] { b.try_into().expect("32 bytes") };
        let u64_of = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        meta.blockhashes =
            entries(RING_KEY)?.iter().map(|e| (hash(&e[..32]), u64_of(&e[32..]))).collect();
        meta.slot_hashes =
            entries(SLOT_HASHES_KEY)?.iter().map(|e| (u64_of(&e[..8]), hash(&e[8..]))).collect();
        Ok(Some(meta))
    }
}

/// What a ledger holds, read at start.
pub(crate) struct Stored {
    pub meta: Meta,
    pub accounts: Vec<(Pubkey, Account)>,
    /// The history, oldest first.
    pub records: Vec<TxRecord>,
    /// The closed blocks kept, oldest first.
    pub blocks: Vec<Block>,
}

/// An open ledger and what changed since its last commit.
pub struct Ledger {
    db: Database,
    path: PathBuf,
    /// Accounts written since the last commit.
    dirty: HashSet<Pubkey>,
    /// Transactions recorded since the last commit.
    recorded: Vec<Signature>,
    /// History positions evicted since the last commit.
    evicted: Vec<u64>,
    /// Slots of the blocks closed since the last commit.
    closed_blocks: Vec<u64>,
    /// Whether anything changed since the last commit.
    changed: bool,
}

/// A ledger opened and read, not yet attached to a chain (see `Localnet::with_ledger`).
pub struct OpenLedger {
    pub(crate) ledger: Ledger,
    pub(crate) stored: Option<Stored>,
}

impl OpenLedger {
    /// Opens (or creates) the ledger in `dir`; `reset` deletes an existing one first. An
    /// unreadable ledger is an error and nothing in it is changed.
    pub fn open(dir: &Path, reset: bool) -> Result<Self, String> {
        let (ledger, stored) = Ledger::open(dir, reset)?;
        Ok(Self { ledger, stored })
    }

    /// Whether the ledger holds a chain (which `Localnet::with_ledger` resumes).
    pub fn holds_chain(&self) -> bool {
        self.stored.is_some()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        self.ledger.path()
    }
}

fn opening_error(path: &Path, e: impl std::fmt::Display) -> String {
    format!(
        "the ledger {} cannot be opened: {e} (nothing in it was changed; start with --reset to \
         begin a new ledger there, or choose another --ledger)",
        path.display()
    )
}

impl Ledger {
    /// Opens the ledger in `dir` (created if missing), and reads what it holds: `None` for a
    /// new ledger. With `reset` an existing ledger file is deleted first. An unreadable
    /// ledger is an error, and nothing is deleted or written.
    pub(crate) fn open(dir: &Path, reset: bool) -> Result<(Self, Option<Stored>), String> {
        let path = dir.join(LEDGER_FILE);
        if dir.exists() && !dir.is_dir() {
            return Err(format!("--ledger {}: not a directory", dir.display()));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("--ledger {}: cannot create it: {e}", dir.display()))?;
        if reset && path.exists() {
            std::fs::remove_file(&path)
                .map_err(|e| format!("--reset: cannot remove {}: {e}", path.display()))?;
        }
        let db = Database::create(&path).map_err(|e| opening_error(&path, e))?;
        let stored = read(&db).map_err(|e| opening_error(&path, e))?;
        let ledger = Self {
            db,
            path,
            dirty: HashSet::new(),
            recorded: Vec::new(),
            evicted: Vec::new(),
            closed_blocks: Vec::new(),
            changed: false,
        };
        Ok((ledger, stored))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn touch(&mut self, key: Pubkey) {
        self.dirty.insert(key);
        self.changed = true;
    }

    pub(crate) fn recorded(&mut self, signature: Signature) {
        self.recorded.push(signature);
        self.changed = true;
    }

    pub(crate) fn evicted(&mut self, seq: u64) {
        self.evicted.push(seq);
        self.changed = true;
    }

    pub(crate) fn block_closed(&mut self, slot: u64) {
        self.closed_blocks.push(slot);
        self.changed = true;
    }

    pub(crate) fn changed(&mut self) {
        self.changed = true;
    }

    pub(crate) fn is_changed(&self) -> bool {
        self.changed
    }

    /// Writes what changed in one transaction, durable when this returns. `account` reads an
    /// account's current state (`None`: removed), `record` a recorded transaction (`None`:
    /// already evicted), `block` a closed block (`None`: already evicted). On an error nothing
    /// is written and the changes stay pending.
    pub(crate) fn commit(
        &mut self,
        meta: &Meta,
        extra: &[Pubkey],
        account: impl Fn(&Pubkey) -> Option<Account>,
        record: impl Fn(&Signature) -> Option<TxRecord>,
        block: impl Fn(u64) -> Option<Block>,
    ) -> Result<(), String> {
        let fail = |e: &dyn std::fmt::Display| format!("writing the ledger failed: {e}");
        let txn = self.db.begin_write().map_err(|e| fail(&e))?;
        {
            let mut accounts = txn.open_table(ACCOUNTS).map_err(|e| fail(&e))?;
            for key in self.dirty.iter().chain(extra) {
                match account(key) {
                    Some(a) => accounts.insert(key.as_ref(), encode_account(&a).as_slice()),
                    None => accounts.remove(key.as_ref()).map(|_| None),
                }
                .map_err(|e| fail(&e))?;
            }
            let mut records = txn.open_table(RECORDS).map_err(|e| fail(&e))?;
            for signature in &self.recorded {
                if let Some(r) = record(signature) {
                    let bytes =
                        bincode::serialize(&StoredRecord::from_record(&r)).map_err(|e| fail(&e))?;
                    records.insert(r.seq, bytes.as_slice()).map_err(|e| fail(&e))?;
                }
            }
            for seq in &self.evicted {
                records.remove(*seq).map_err(|e| fail(&e))?;
            }
            // Only the blocks closed since the last commit are written, and only evicted ones
            // (before the first available block, a prefix) deleted: never the whole store.
            let mut blocks = txn.open_table(BLOCKS).map_err(|e| fail(&e))?;
            for b in self.closed_blocks.iter().filter_map(|slot| block(*slot)) {
                blocks.insert(b.slot, encode_block(&b).as_slice()).map_err(|e| fail(&e))?;
            }
            blocks.retain_in(..meta.first_available_block, |_, _| false).map_err(|e| fail(&e))?;
            let mut table = txn.open_table(META).map_err(|e| fail(&e))?;
            meta.write(&mut table).map_err(|e| fail(&e))?;
        }
        txn.commit().map_err(|e| fail(&e))?;
        self.dirty.clear();
        self.recorded.clear();
        self.evicted.clear();
        self.closed_blocks.clear();
        self.changed = false;
        Ok(())
    }

    /// Writes every account of a new ledger (the genesis accounts) with its meta.
    pub(crate) fn write_genesis(
        &mut self,
        meta: &Meta,
        accounts: impl Iterator<Item = (Pubkey, Account)>,
    ) -> Result<(), String> {
        let fail = |e: &dyn std::fmt::Display| format!("writing the ledger failed: {e}");
        let txn = self.db.begin_write().map_err(|e| fail(&e))?;
        {
            let mut table = txn.open_table(ACCOUNTS).map_err(|e| fail(&e))?;
            for (key, a) in accounts {
                table.insert(key.as_ref(), encode_account(&a).as_slice()).map_err(|e| fail(&e))?;
            }
            txn.open_table(RECORDS).map_err(|e| fail(&e))?;
            txn.open_table(BLOCKS).map_err(|e| fail(&e))?;
            let mut table = txn.open_table(META).map_err(|e| fail(&e))?;
            meta.write(&mut table).map_err(|e| fail(&e))?;
        }
        txn.commit().map_err(|e| fail(&e))
    }
}

/// Reads a ledger: `None` if it holds no chain yet (a new file, or one a crash left before the
/// genesis commit).
fn read(db: &Database) -> Result<Option<Stored>, String> {
    let txn = db.begin_read().map_err(|e| e.to_string())?;
    let meta_table = match txn.open_table(META) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let Some(meta) = Meta::read(&meta_table)? else {
        return Ok(None);
    };
    let mut accounts = Vec::new();
    let table = txn.open_table(ACCOUNTS).map_err(|e| e.to_string())?;
    for entry in table.iter().map_err(|e| e.to_string())? {
        let (k, v) = entry.map_err(|e| e.to_string())?;
        let key = Pubkey::try_from(k.value()).map_err(|_| "an account address is not 32 bytes")?;
        let account =
            decode_account(v.value()).ok_or_else(|| format!("the account {key} does not parse"))?;
        accounts.push((key, account));
    }
    let mut records = Vec::new();
    let table = txn.open_table(RECORDS).map_err(|e| e.to_string())?;
    for entry in table.iter().map_err(|e| e.to_string())? {
        let (seq, v) = entry.map_err(|e| e.to_string())?;
        let record: StoredRecord = bincode::deserialize(v.value())
            .map_err(|e| format!("the transaction record {} does not parse ({e})", seq.value()))?;
        records.push(record.into_record());
    }
    let mut blocks = Vec::new();
    let table = txn.open_table(BLOCKS).map_err(|e| e.to_string())?;
    for entry in table.iter().map_err(|e| e.to_string())? {
        let (slot, v) = entry.map_err(|e| e.to_string())?;
        let block = decode_block(v.value())
            .filter(|b| b.slot == slot.value())
            .ok_or_else(|| format!("the block {} does not parse", slot.value()))?;
        blocks.push(block);
    }
    Ok(Some(Stored { meta, accounts, records, blocks }))
}
