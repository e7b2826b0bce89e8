//! Crucible's local validator: agave's runtime (through LiteSVM) with the Crucible programs
//! running natively as builtins and the SPL programs as their SBF binaries.
//!
//! [`Localnet`] is the chain: it verifies signatures, accepts only recent blockhashes, rejects
//! duplicates, keeps transaction history, and moves the clock on request. The Rust tests use
//! it in-process; `crucible-localnet` (the binary) serves it over JSON-RPC and PubSub.

pub mod native;
pub mod rpc;
pub mod testing;

use std::collections::{HashMap, VecDeque};

use litesvm::{
    types::{FailedTransactionMetadata, TransactionMetadata},
    LiteSVM,
};
use solana_account::{Account, AccountSharedData, ReadableAccount, WritableAccount};
use solana_clock::Clock;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::VersionedMessage;
use solana_program_runtime::invoke_context::BuiltinFunctionWithContext;
pub use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

/// Declares the runtime entry of a natively compiled Anchor program: `native_program!(Name,
/// crate::entry)` makes `Name::vm`, to pass to [`Localnet::add_native_program`].
#[macro_export]
macro_rules! native_program {
    ($name:ident, $entry:path) => {
        $crate::__private::declare_process_instruction!($name, 0, |invoke_context| {
            $crate::native::execute(invoke_context, $crate::native_entry!($entry))
        });
    };
}

#[doc(hidden)]
pub mod __private {
    pub use solana_program_runtime::declare_process_instruction;
}

native_program!(StakingProgram, crucible_staking::entry);
native_program!(MarketProgram, crucible_market::entry);
native_program!(EmissionsProgram, crucible_emissions::entry);

/// The programs this validator runs, by name, with where they run.
pub fn programs() -> Vec<(&'static str, Pubkey)> {
    vec![
        ("crucible_staking", crucible_staking::ID),
        ("crucible_market", crucible_market::ID),
        ("crucible_emissions", crucible_emissions::ID),
        ("spl_token", spl::TOKEN),
        ("spl_token_2022", spl::TOKEN_2022),
        ("spl_associated_token_account", spl::ASSOCIATED_TOKEN),
        ("spl_memo", spl::MEMO),
    ]
}

/// Addresses of the SPL programs that LiteSVM loads from their SBF binaries.
pub mod spl {
    use solana_pubkey::{pubkey, Pubkey};
    pub const TOKEN: Pubkey = pubkey!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    pub const TOKEN_2022: Pubkey = pubkey!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    pub const ASSOCIATED_TOKEN: Pubkey = pubkey!("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
    pub const MEMO: Pubkey = pubkey!("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
}

/// Milliseconds per slot, as on mainnet; `warp` moves the slot with the clock at this pace.
pub const MS_PER_SLOT: u64 = 400;
/// How long a blockhash stays valid when blocks follow the wall clock (300 slots of 400 ms).
pub const BLOCKHASH_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(120);
/// How many of the newest blockhashes are always accepted.
pub const BLOCKHASH_RING: usize = 300;
/// Lamports the faucet starts with (500 million SOL).
pub const FAUCET_LAMPORTS: u64 = 500_000_000 * 1_000_000_000;
/// Lamports charged per signature.
pub const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

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

/// A transaction the chain has executed (successfully or not, fee charged either way).
#[derive(Clone, Debug)]
pub struct TxRecord {
    /// Position in the chain's history: 0 for the first recorded transaction, then 1, 2, ...
    pub seq: u64,
    pub slot: u64,
    pub block_time: i64,
    pub transaction: VersionedTransaction,
    pub err: Option<TransactionError>,
    pub meta: TransactionMetadata,
    pub fee: u64,
    pub pre_balances: Vec<u64>,
    pub post_balances: Vec<u64>,
    /// Writable accounts of the transaction, for account notifications.
    pub writable: Vec<Pubkey>,
}

/// Why a transaction was not executed, or how it failed.
#[derive(Clone, Debug)]
pub struct TxFailure {
    pub err: TransactionError,
    /// Logs, if the transaction was executed at all.
    pub logs: Vec<String>,
    pub units_consumed: u64,
    /// Whether it was recorded on chain (executed and failed, fee charged).
    pub recorded: bool,
}

/// The result of a simulation.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub err: Option<TransactionError>,
    pub logs: Vec<String>,
    pub units_consumed: u64,
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    pub post_accounts: Vec<(Pubkey, AccountSharedData)>,
}

/// The local chain.
pub struct Localnet {
    svm: LiteSVM,
    /// Issued blockhashes, oldest first, with when they were issued; `valid_blockhashes`
    /// indexes the same set.
    blockhashes: VecDeque<(Hash, std::time::Instant)>,
    valid_blockhashes: std::collections::HashSet<Hash>,
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
    /// stay valid for 2 minutes however many transactions arrive: a transaction evicted from
    /// the history could otherwise be replayed. A cluster's status cache works the same way.
    recent: VecDeque<(Signature, Hash)>,
    processed: std::collections::HashSet<Signature>,
    /// Whether every executed transaction closes a block (in-process use); otherwise blocks
    /// are produced by [`Localnet::produce_block`] (the server calls it every 400 ms).
    block_per_transaction: bool,
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
        native::install();
        // Signatures, blockhash age and duplicates are checked here, before LiteSVM sees a
        // transaction, so that the accepted blockhashes can be a ring rather than one hash.
        let mut svm = LiteSVM::new()
            .with_sigverify(false)
            .with_blockhash_check(false)
            .with_transaction_history(0)
            .with_log_bytes_limit(Some(100_000));
        add_builtin(&mut svm, crucible_staking::ID, StakingProgram::vm);
        add_builtin(&mut svm, crucible_market::ID, MarketProgram::vm);
        add_builtin(&mut svm, crucible_emissions::ID, EmissionsProgram::vm);
        let mut clock: Clock = svm.get_sysvar();
        clock.unix_timestamp = options.genesis_unix_timestamp;
        clock.epoch_start_timestamp = options.genesis_unix_timestamp;
        svm.set_sysvar(&clock);
        let faucet = Keypair::new();
        svm.set_account(
            faucet.pubkey(),
            Account::new(FAUCET_LAMPORTS, 0, &solana_sdk_ids::system_program::id()),
        )
        .expect("faucet account");
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
            processed: std::collections::HashSet::new(),
            block_per_transaction: true,
        }
    }

    /// With `true` (the default) every executed transaction closes a block: the slot advances
    /// and a new blockhash is issued, and the newest `BLOCKHASH_RING` blockhashes are valid;
    /// in-process runs stay deterministic. With `false` slots come from
    /// [`Localnet::produce_block`], as on a cluster where they follow the wall clock (the RPC
    /// server calls it every 400 ms); each executed transaction still issues a new blockhash, so
    /// that two equal transactions built one after the other differ, and a blockhash stays
    /// valid for `BLOCKHASH_MAX_AGE` (2 minutes, 300 slots) however many transactions arrive.
    pub fn set_block_per_transaction(&mut self, on: bool) {
        self.block_per_transaction = on;
    }

    /// Closes the current block: the slot advances by one and a new blockhash is issued.
    pub fn produce_block(&mut self) {
        self.advance_slot();
    }

    /// Adds a natively compiled program (see [`native_program!`]) at `program_id`.
    pub fn add_native_program(&mut self, program_id: Pubkey, entry: BuiltinFunctionWithContext) {
        add_builtin(&mut self.svm, program_id, entry);
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

    /// Gives `pubkey` lamports from the faucet, as a recorded System transfer.
    pub fn airdrop(&mut self, pubkey: &Pubkey, lamports: u64) -> Result<Signature, TxFailure> {
        let ix =
            solana_system_interface::instruction::transfer(&self.faucet.pubkey(), pubkey, lamports);
        let message = solana_message::Message::new_with_blockhash(
            &[ix],
            Some(&self.faucet.pubkey()),
            &self.latest_blockhash(),
        );
        let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[&self.faucet])
            .map_err(|_| TxFailure::rejected(TransactionError::SignatureFailure))?;
        self.send_transaction(tx)
    }

    /// The faucet that pays airdrops.
    pub fn faucet(&self) -> Pubkey {
        self.faucet.pubkey()
    }

    /// Sends a signed transaction: signatures, blockhash and duplicates are checked, then it
    /// executes. A transaction that executes and fails is recorded (its fee is charged).
    pub fn send_transaction(&mut self, tx: VersionedTransaction) -> Result<Signature, TxFailure> {
        let signature = *tx
            .signatures
            .first()
            .ok_or_else(|| TxFailure::rejected(TransactionError::SanitizeFailure))?;
        self.precheck(&tx, true)?;
        if self.is_processed(&signature) {
            return Err(TxFailure::rejected(TransactionError::AlreadyProcessed));
        }
        let keys: Vec<Pubkey> = tx.message.static_account_keys().to_vec();
        let pre_balances: Vec<u64> = keys.iter().map(|k| self.get_balance(k)).collect();
        let writable: Vec<Pubkey> = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| tx.message.is_maybe_writable(*i, None))
            .map(|(_, k)| *k)
            .collect();
        let fee = LAMPORTS_PER_SIGNATURE * u64::from(tx.message.header().num_required_signatures);
        let clock = self.clock();
        let result = self.svm.send_transaction(tx.clone());
        let (err, meta) = match result {
            Ok(meta) => (None, meta),
            Err(FailedTransactionMetadata { err, meta }) => (Some(err), meta),
        };
        // A transaction that failed before execution (no fee payer, unknown account ...) is not
        // recorded, like a failed preflight on a real cluster.
        let executed = err.is_none() || self.get_balance(&keys[0]) != pre_balances[0];
        if let Some(err) = err.clone() {
            if !executed {
                return Err(TxFailure {
                    err,
                    logs: meta.logs,
                    units_consumed: meta.compute_units_consumed,
                    recorded: false,
                });
            }
        }
        let post_balances: Vec<u64> = keys.iter().map(|k| self.get_balance(k)).collect();
        let record = TxRecord {
            seq: self.transaction_count,
            slot: clock.slot,
            block_time: clock.unix_timestamp,
            transaction: tx,
            err: err.clone(),
            meta,
            fee,
            pre_balances,
            post_balances,
            writable,
        };
        self.remember(signature, record.clone());
        if self.block_per_transaction {
            self.advance_slot();
        } else {
            self.issue_blockhash();
        }
        match err {
            None => Ok(signature),
            Some(err) => Err(TxFailure {
                err,
                logs: record.meta.logs,
                units_consumed: record.meta.compute_units_consumed,
                recorded: true,
            }),
        }
    }

    /// Executes a transaction without committing anything.
    pub fn simulate_transaction(
        &self,
        mut tx: VersionedTransaction,
        sig_verify: bool,
        replace_recent_blockhash: bool,
    ) -> Result<Simulation, TxFailure> {
        if replace_recent_blockhash {
            set_recent_blockhash(&mut tx.message, self.latest_blockhash());
        } else if !self.is_blockhash_valid(tx.message.recent_blockhash()) {
            return Err(TxFailure::rejected(TransactionError::BlockhashNotFound));
        }
        if sig_verify {
            self.precheck(&tx, false)?;
        } else if tx.signatures.len() < usize::from(tx.message.header().num_required_signatures) {
            // Unsigned simulation: fill the signature slots so the message sanitizes.
            tx.signatures.resize(
                usize::from(tx.message.header().num_required_signatures),
                Signature::default(),
            );
        }
        match self.svm.simulate_transaction(tx) {
            Ok(info) => Ok(Simulation {
                err: None,
                logs: info.meta.logs,
                units_consumed: info.meta.compute_units_consumed,
                return_data: (!info.meta.return_data.data.is_empty()).then(|| {
                    (info.meta.return_data.program_id, info.meta.return_data.data.clone())
                }),
                post_accounts: info.post_accounts,
            }),
            Err(FailedTransactionMetadata { err, meta }) => Ok(Simulation {
                err: Some(err),
                logs: meta.logs,
                units_consumed: meta.compute_units_consumed,
                return_data: None,
                post_accounts: Vec::new(),
            }),
        }
    }

    /// Moves the clock forward by `seconds`; the slot advances with it (400 ms per slot).
    pub fn warp(&mut self, seconds: u64) -> Clock {
        let mut clock = self.clock();
        let slots = seconds.saturating_mul(1000) / MS_PER_SLOT;
        clock.slot = clock.slot.saturating_add(slots.max(1));
        clock.unix_timestamp =
            clock.unix_timestamp.saturating_add(seconds.min(i64::MAX as u64) as i64);
        let schedule: solana_epoch_schedule::EpochSchedule = self.svm.get_sysvar();
        let epoch = schedule.get_epoch(clock.slot);
        if epoch != clock.epoch {
            clock.epoch = epoch;
            clock.leader_schedule_epoch = epoch + 1;
            clock.epoch_start_timestamp = clock.unix_timestamp;
        }
        self.svm.set_sysvar(&clock);
        self.block_height += 1;
        clock
    }

    /// Whether a transaction with this signature was recorded (and could not run again).
    pub fn is_processed(&self, signature: &Signature) -> bool {
        self.processed.contains(signature) || self.history.contains_key(signature)
    }

    pub fn transaction(&self, signature: &Signature) -> Option<&TxRecord> {
        self.history.get(signature)
    }

    /// Signatures of recorded transactions that mention `address`, newest first.
    pub fn signatures_for_address(
        &self,
        address: &Pubkey,
        limit: usize,
    ) -> Vec<(Signature, &TxRecord)> {
        self.history_order
            .iter()
            .rev()
            .filter_map(|sig| self.history.get(sig).map(|r| (*sig, r)))
            .filter(|(_, r)| r.transaction.message.static_account_keys().contains(address))
            .take(limit)
            .collect()
    }

    /// How many transactions the history holds now.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    fn precheck(&self, tx: &VersionedTransaction, check_blockhash: bool) -> Result<(), TxFailure> {
        tx.sanitize().map_err(|_| TxFailure::rejected(TransactionError::SanitizeFailure))?;
        if check_blockhash && !self.is_blockhash_valid(tx.message.recent_blockhash()) {
            return Err(TxFailure::rejected(TransactionError::BlockhashNotFound));
        }
        if tx.verify_with_results().iter().any(|ok| !ok) {
            return Err(TxFailure::rejected(TransactionError::SignatureFailure));
        }
        Ok(())
    }

    fn remember(&mut self, signature: Signature, record: TxRecord) {
        if self.processed.insert(signature) {
            self.recent.push_back((signature, *record.transaction.message.recent_blockhash()));
        }
        if self.history_order.len() >= self.history_capacity {
            if let Some(old) = self.history_order.pop_front() {
                self.history.remove(&old);
            }
        }
        self.history_order.push_back(signature);
        self.history.insert(signature, record);
        self.transaction_count += 1;
    }

    fn advance_slot(&mut self) {
        let mut clock = self.clock();
        clock.slot += 1;
        self.svm.set_sysvar(&clock);
        self.block_height += 1;
        self.issue_blockhash();
    }

    /// Issues a new latest blockhash and forgets those no longer valid.
    fn issue_blockhash(&mut self) {
        self.svm.expire_blockhash();
        let hash = self.svm.latest_blockhash();
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

fn add_builtin(svm: &mut LiteSVM, program_id: Pubkey, entry: BuiltinFunctionWithContext) {
    svm.add_builtin(program_id, entry);
    // LiteSVM 0.7 stamps builtins with the BPF loader as owner, which the runtime then
    // refuses (`UnsupportedProgramId`): a builtin belongs to the native loader.
    let mut account = AccountSharedData::new(1, 0, &solana_sdk_ids::native_loader::id());
    account.set_executable(true);
    svm.set_account(program_id, account.into()).expect("program account");
}

impl TxFailure {
    fn rejected(err: TransactionError) -> Self {
        Self { err, logs: Vec::new(), units_consumed: 0, recorded: false }
    }
}

fn set_recent_blockhash(message: &mut VersionedMessage, hash: Hash) {
    match message {
        VersionedMessage::Legacy(m) => m.recent_blockhash = hash,
        VersionedMessage::V0(m) => m.recent_blockhash = hash,
    }
}

/// A keypair from the 64-byte JSON array format of the Solana CLI.
pub fn read_keypair_file(path: &std::path::Path) -> Result<Keypair, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes: Vec<u8> = serde_json::from_str(&text).map_err(|e| {
        format!("{}: not a keypair file (JSON array of 64 bytes): {e}", path.display())
    })?;
    Keypair::try_from(bytes.as_slice())
        .map_err(|e| format!("{}: not a valid keypair: {e}", path.display()))
}

/// The public key of a keypair file, for messages.
pub fn keypair_pubkey(kp: &Keypair) -> Pubkey {
    kp.pubkey()
}
