//! What the chain answers with: recorded transactions, failures, simulations.

use litesvm::types::TransactionMetadata;
use solana_account::AccountSharedData;
use solana_message::v0::LoadedAddresses;
use solana_pubkey::Pubkey;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

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
    /// The addresses a v0 transaction loaded from lookup tables, as they were when it executed
    /// (its balances follow the static keys, then these writable, then these read-only ones).
    pub loaded_addresses: LoadedAddresses,
    /// The token accounts among its keys, before and after (see `token_balances`).
    pub pre_token_balances: Vec<TokenBalance>,
    pub post_token_balances: Vec<TokenBalance>,
}

/// One token account's balance before or after a transaction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TokenBalance {
    /// The account's index among the transaction's keys (static, then loaded).
    pub account_index: u8,
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub program_id: Pubkey,
    pub amount: u64,
    pub decimals: u8,
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
    /// The instructions each top-level instruction invoked (CPIs), with their stack heights.
    pub inner_instructions: solana_message::inner_instruction::InnerInstructionsList,
}

impl TxFailure {
    /// A transaction refused before it executed.
    pub(crate) fn rejected(err: TransactionError) -> Self {
        Self { err, logs: Vec::new(), units_consumed: 0, recorded: false }
    }
}
