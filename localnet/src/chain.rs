//! The local chain: LiteSVM underneath, with the blockhash ring, the status cache, the
//! transaction history and the clock control of a Crucible localnet.
//!
//! `records` holds what the chain answers with (transaction records, failures, simulations);
//! this file holds the chain's state and its blocks; `clock` moves the clock (time travel and
//! warp); `transactions` executes, simulates and remembers transactions; `persistence` commits
//! the chain to its ledger and restores it (`--ledger`). The children use this file, never the
//! reverse, except `ledger` (the store on disk), which uses nothing of the chain's.

mod block_store;
mod blocks;
pub(crate) mod clock;
mod fees;
mod ledger;
mod ledger_codec;
mod nonces;
mod persistence;
mod records;
mod token_balances;
mod transactions;
mod validator;

use std::collections::{HashMap, HashSet, VecDeque};

use litesvm::LiteSVM;
use solana_account::{Account, AccountSharedData, ReadableAccount};
use solana_clock::Clock;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_program_runtime::invoke_context::BuiltinFunctionWithContext;
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_signer::Signer;

pub use block_store::{
    Block, BlockLookup, FeeReward, BLOCK_CAPACITY, MAX_PRIORITIZATION_ACCOUNTS,
    RECENT_PRIORITIZATION_BLOCKS,
};
pub use fees::{fee_of, Fee, LAMPORTS_PER_SIGNATURE};
pub use ledger::{Ledger, OpenLedger};
pub use records::{Simulation, TokenBalance, TxFailure, TxRecord};
pub use validator::{Validator, VALIDATOR_COMMISSION, VALIDATOR_STAKE_LAMPORTS};

use crate::{native, programs};

/// Milliseconds per slot, as on mainnet; a time travel moves the slot with the clock at this pace.
pub const MS_PER_SLOT: u64 = 400;
/// How long a blockhash stays valid when blocks follow the wall clock: agave's
/// `MAX_PROCESSING_AGE`, 150 blocks, of 400 ms.
pub const BLOCKHASH_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(60);
/// How many of the newest blockhashes are always accepted (`MAX_PROCESSING_AGE`).
pub const BLOCKHASH_RING: usize = 150;
/// Lamports the faucet starts with (500 million SOL).
pub const FAUCET_LAMPORTS: u64 = 500_000_000 * 1_000_000_000;

/// Settings for a new [`Localnet`].
#[derive(Clone, Debug)]
pub struct Options {
    /// Unix time of the genesis clock.
    pub genesis_unix_timestamp: i64,
    /// How many transactions the history keeps for status and `getTransaction`.
    pub history_capacity: usize,
}

impl Default for Options {
    fn default() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self { genesis_unix_timestamp: now, history_capacity: 100_000 }
    }
}

/// The local chain.
pub struct Localnet {
    svm: LiteSVM,
    /// Issued blockhashes, oldest first, with when they were issued; `valid_blockhashes`
    /// indexes the same set.
    blockhashes: VecDeque<(Hash, std::time::Instant)>,
    valid_blockhashes: HashSet<Hash>,
    history: HashMap<Signature, TxRecord>,
    history_order: VecDeque<Signature>,
    history_capacity: usize,
    genesis_hash: Hash,
    block_height: u64,
    transaction_count: u64,
    faucet: Keypair,
    /// The status cache: every recorded signature whose blockhash is still accepted, with that
    /// blockhash, oldest first (`processed` indexes it). Duplicates are refused from here, not
    /// only from the history, which keeps a bounded number of records while a blockhash can
    /// stay valid for a minute however many transactions arrive: a transaction evicted from
    /// the history could otherwise be replayed. A cluster's status cache works the same way.
    recent: VecDeque<(Signature, Hash)>,
    processed: HashSet<Signature>,
    /// Whether every executed transaction closes a block (in-process use); otherwise blocks
    /// are produced by [`Localnet::produce_block`] (the server calls it every 400 ms).
    block_per_transaction: bool,
    /// `SlotHashes`' entries, newest first (written to the sysvar lazily, see `record_slot`).
    slot_hashes: VecDeque<(u64, Hash)>,
    slot_hashes_stale: bool,
    /// Milliseconds past `Clock::unix_timestamp` (0 to 999): a time travel to a timestamp in
    /// milliseconds lands on it exactly, as surfpool's clock does.
    clock_millis: u64,
    /// The vote and stake accounts of the chain's one validator.
    validator: Validator,
    /// The slots `warp` jumped over (no block was produced in them), as inclusive ranges, oldest
    /// first.
    skipped_slots: Vec<(u64, u64)>,
    /// The produced blocks (see `blocks`).
    blocks: block_store::Blocks,
    /// The ledger on disk, if any (`--ledger`): see `persistence.rs`.
    ledger: Option<Ledger>,
}

/// The runtime with the builtins, the SPL and the Crucible programs, its clock at
/// `options.genesis_unix_timestamp`: what a new chain and a chain restored from its ledger
/// start from.
fn base_svm(options: &Options) -> LiteSVM {
    native::install();
    // Signatures, blockhash age and duplicates are checked here, before LiteSVM sees a
    // transaction, so that the accepted blockhashes can be a ring rather than one hash.
    // `LiteSVM::new()` without `with_lamports`: LiteSVM's own airdrop account (1M SOL) is not
    // a genesis account of solana-test-validator, and would count in the supply.
    let mut svm = LiteSVM::default()
        .with_feature_set(features())
        .with_builtins()
        .with_sysvars()
        .with_precompiles()
        .with_default_programs()
        .with_sigverify(false)
        .with_blockhash_check(false)
        .with_transaction_history(0)
        .with_log_bytes_limit(Some(100_000));
    programs::add_crucible_programs(&mut svm);
    // solana-test-validator's epochs: 432,000 slots from genesis, without warmup (its genesis
    // takes `EpochSchedule::without_warmup()` unless told otherwise).
    let schedule = solana_epoch_schedule::EpochSchedule::without_warmup();
    svm.set_sysvar(&schedule);
    let mut clock: Clock = svm.get_sysvar();
    clock.unix_timestamp = options.genesis_unix_timestamp;
    clock.epoch_start_timestamp = options.genesis_unix_timestamp;
    clock.epoch = schedule.get_epoch(clock.slot);
    clock.leader_schedule_epoch = schedule.get_leader_schedule_epoch(clock.slot);
    svm.set_sysvar(&clock);
    svm
}

/// The runtime features: all of them active from genesis, as solana-test-validator activates
/// them.
fn features() -> agave_feature_set::FeatureSet {
    agave_feature_set::FeatureSet::all_enabled()
}

impl Default for Localnet {
    fn default() -> Self {
        Self::new()
    }
}

impl Localnet {
    /// A chain with the Crucible and SPL programs, genesis clock at the current time.
    pub fn new() -> Self {
        Self::with_options(Options::default())
    }

    pub fn with_options(options: Options) -> Self {
        let mut svm = base_svm(&options);
        let faucet = Keypair::new();
        svm.set_account(
            faucet.pubkey(),
            Account::new(FAUCET_LAMPORTS, 0, &solana_sdk_ids::system_program::id()),
        )
        .expect("faucet account");
        let validator = validator::install(&mut svm, faucet.pubkey());
        Self::assemble(svm, faucet, validator, &options)
    }

    /// The chain around `svm`, at its genesis.
    fn assemble(svm: LiteSVM, faucet: Keypair, validator: Validator, options: &Options) -> Self {
        let genesis_hash = svm.latest_blockhash();
        let mut blockhashes = VecDeque::with_capacity(BLOCKHASH_RING + 1);
        blockhashes.push_back((genesis_hash, std::time::Instant::now()));
        Self {
            svm,
            blockhashes,
            valid_blockhashes: std::iter::once(genesis_hash).collect(),
            history: HashMap::new(),
            history_order: VecDeque::new(),
            history_capacity: options.history_capacity.max(1),
            genesis_hash,
            block_height: 0,
            transaction_count: 0,
            faucet,
            recent: VecDeque::new(),
            processed: HashSet::new(),
            block_per_transaction: true,
            slot_hashes: VecDeque::with_capacity(solana_slot_hashes::MAX_ENTRIES + 1),
            slot_hashes_stale: false,
            clock_millis: 0,
            validator,
            skipped_slots: Vec::new(),
            blocks: block_store::Blocks::new(),
            ledger: None,
        }
    }

    /// With `true` (the default) every executed transaction closes a block: the slot advances
    /// and a new blockhash is issued, and the newest `BLOCKHASH_RING` blockhashes are valid;
    /// in-process runs stay deterministic. With `false` slots come from
    /// [`Localnet::produce_block`], as on a cluster where they follow the wall clock (the RPC
    /// server calls it every 400 ms); each executed transaction still issues a new blockhash, so
    /// that two equal transactions built one after the other differ, and a blockhash stays
    /// valid for `BLOCKHASH_MAX_AGE` (a minute, 150 slots) however many transactions arrive.
    pub fn set_block_per_transaction(&mut self, on: bool) {
        self.block_per_transaction = on;
    }

    /// Closes the current block: the slot advances by one and a new blockhash is issued.
    pub fn produce_block(&mut self) {
        self.advance_slot();
    }

    /// Adds a natively compiled program (see [`crate::native_program!`]) at `program_id`.
    pub fn add_native_program(&mut self, program_id: Pubkey, entry: BuiltinFunctionWithContext) {
        programs::add_builtin(&mut self.svm, program_id, entry);
    }

    /// The faucet that pays airdrops.
    pub fn faucet(&self) -> Pubkey {
        self.faucet.pubkey()
    }

    /// Whether the runtime feature `id` is active (every feature is, from genesis).
    pub fn is_feature_active(&self, id: &Pubkey) -> bool {
        features().is_active(id)
    }

    /// The chain's one validator: its identity (the faucet), vote and stake accounts.
    pub fn validator(&self) -> &Validator {
        &self.validator
    }

    /// How many of the slots `first..=last` hold a block: every slot does (genesis, slot 0,
    /// included) except those `warp` jumped over.
    pub fn blocks_in(&self, first: u64, last: u64) -> u64 {
        if last < first {
            return 0;
        }
        let skipped: u64 = self
            .skipped_slots
            .iter()
            .map(|&(a, b)| {
                let (a, b) = (a.max(first), b.min(last));
                if b < a {
                    0
                } else {
                    b - a + 1
                }
            })
            .sum();
        last - first + 1 - skipped
    }

    /// The underlying LiteSVM, for reads the API below does not cover.
    pub fn svm(&self) -> &LiteSVM {
        &self.svm
    }

    pub fn genesis_hash(&self) -> Hash {
        self.genesis_hash
    }

    pub fn latest_blockhash(&self) -> Hash {
        self.blockhashes.back().expect("never empty").0
    }

    /// Whether transactions naming `hash` are still accepted.
    pub fn is_blockhash_valid(&self, hash: &Hash) -> bool {
        self.valid_blockhashes.contains(hash)
    }

    /// The block height after which the latest blockhash is no longer accepted.
    pub fn last_valid_block_height(&self) -> u64 {
        self.block_height + BLOCKHASH_RING as u64
    }

    pub fn block_height(&self) -> u64 {
        self.block_height
    }

    pub fn transaction_count(&self) -> u64 {
        self.transaction_count
    }

    pub fn clock(&self) -> Clock {
        self.svm.get_sysvar()
    }

    pub fn slot(&self) -> u64 {
        self.clock().slot
    }

    pub fn get_account(&self, pubkey: &Pubkey) -> Option<Account> {
        self.svm.get_account(pubkey).filter(|a| a.lamports > 0 || a.executable)
    }

    pub fn get_balance(&self, pubkey: &Pubkey) -> u64 {
        self.get_account(pubkey).map(|a| a.lamports).unwrap_or(0)
    }

    pub fn set_account(&mut self, pubkey: Pubkey, account: Account) {
        self.svm.set_account(pubkey, account).expect("valid account");
        self.touch(pubkey);
    }

    /// Sets an account as given (0 lamports removes it), or says why the runtime refuses it (an
    /// executable account whose program does not load, sysvar data that does not parse), in
    /// which case nothing changed.
    pub fn try_set_account(&mut self, pubkey: Pubkey, account: Account) -> Result<(), String> {
        self.svm.set_account(pubkey, account).map_err(|e| e.to_string())?;
        self.touch(pubkey);
        Ok(())
    }

    pub fn minimum_balance_for_rent_exemption(&self, len: usize) -> u64 {
        self.svm.minimum_balance_for_rent_exemption(len)
    }

    /// Every account owned by `owner` (as `getProgramAccounts` needs), in address order.
    pub fn program_accounts(&self, owner: &Pubkey) -> Vec<(Pubkey, AccountSharedData)> {
        let mut out: Vec<_> = self
            .svm
            .accounts_db()
            .inner
            .iter()
            .filter(|(_, a)| a.owner() == owner && a.lamports() > 0)
            .map(|(k, a)| (*k, a.clone()))
            .collect();
        out.sort_by_key(|(k, _)| *k);
        out
    }

    /// A clock whose slot moved: the epoch (and the leader-schedule epoch and the epoch's start
    /// time) follow the slot as a bank's clock does.
    fn roll_epoch(&self, clock: &mut Clock) {
        let schedule: solana_epoch_schedule::EpochSchedule = self.svm.get_sysvar();
        let epoch = schedule.get_epoch(clock.slot);
        if epoch != clock.epoch {
            clock.epoch = epoch;
            clock.leader_schedule_epoch = schedule.get_leader_schedule_epoch(clock.slot);
            clock.epoch_start_timestamp = clock.unix_timestamp;
        }
    }

    fn advance_slot(&mut self) {
        let mut clock = self.clock();
        let parent = clock.slot;
        clock.slot += 1;
        self.roll_epoch(&mut clock);
        self.svm.set_sysvar(&clock);
        self.record_slot(parent);
        self.block_height += 1;
        self.issue_blockhash();
        self.close_block(clock.unix_timestamp, clock.slot);
    }

    /// `SlotHashes` follows a new slot as a bank's does: it gains the parent slot (newest first,
    /// at most 512 entries), the parent's last blockhash standing for its bank hash. So a slot
    /// the chain has passed is "a recent slot" for the address-lookup-table program, as on a
    /// validator. Writing a sysvar costs LiteSVM a copy of every account, so with a block per
    /// transaction the sysvar is written only before a transaction that can read it (see
    /// [`Localnet::sync_slot_hashes`]); with wall-clock blocks, at every block. (`SlotHistory`,
    /// a 128 KiB bitmap no program of ours or SPL's reads, stays at genesis.)
    fn record_slot(&mut self, parent: u64) {
        self.slot_hashes.push_front((parent, self.latest_blockhash()));
        self.slot_hashes.truncate(solana_slot_hashes::MAX_ENTRIES);
        self.slot_hashes_stale = true;
        if !self.block_per_transaction {
            self.write_slot_hashes();
        }
    }

    /// Writes `SlotHashes` before a transaction that can read it: one that loads addresses
    /// from a lookup table, or names the lookup-table program or the sysvar itself.
    fn sync_slot_hashes(&mut self, message: &solana_message::VersionedMessage) {
        if !self.slot_hashes_stale {
            return;
        }
        let reads = message.address_table_lookups().is_some_and(|l| !l.is_empty())
            || message.static_account_keys().iter().any(|k| {
                *k == solana_sdk_ids::address_lookup_table::id()
                    || *k == solana_sdk_ids::sysvar::slot_hashes::id()
            });
        if reads {
            self.write_slot_hashes();
        }
    }

    fn write_slot_hashes(&mut self) {
        let entries: Vec<(u64, Hash)> = self.slot_hashes.iter().copied().collect();
        self.svm.set_sysvar(&solana_slot_hashes::SlotHashes::new(&entries));
        self.slot_hashes_stale = false;
    }

    /// Issues a new latest blockhash and forgets those no longer valid.
    fn issue_blockhash(&mut self) {
        // The next hash is LiteSVM's (the SHA-256 of the previous one), derived from the chain's
        // own latest, which a ledger restores (LiteSVM's own cannot be set).
        self.svm.expire_blockhash();
        let hash = solana_sha256_hasher::hash(self.latest_blockhash().as_ref());
        self.ledger_changed();
        let now = std::time::Instant::now();
        self.blockhashes.push_back((hash, now));
        self.valid_blockhashes.insert(hash);
        while self.blockhashes.len() > BLOCKHASH_RING {
            let (old, issued) = self.blockhashes[0];
            if !self.block_per_transaction && now.duration_since(issued) < BLOCKHASH_MAX_AGE {
                break;
            }
            self.blockhashes.pop_front();
            self.valid_blockhashes.remove(&old);
        }
        // A signature whose blockhash expired cannot be sent again anyway (BlockhashNotFound).
        while let Some(&(signature, hash)) = self.recent.front() {
            if self.valid_blockhashes.contains(&hash) {
                break;
            }
            self.recent.pop_front();
            self.processed.remove(&signature);
        }
    }
}
