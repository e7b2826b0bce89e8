//! `blockSubscribe`: its parameters and the `blockNotification` of a closed block, as agave's
//! `rpc_subscriptions.rs` (`filter_block_result_txs`) and `transaction-status`
//! (`ConfirmedBlock::encode_with_options`) write them.
//!
//! The block is the chain's, the one `getBlock` answers with, written by the same encoder
//! (agave's, see `encode_block`).

use serde_json::{json, Value};
use solana_hash::Hash;
use solana_message::VersionedMessage;
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_transaction_status::{EncodeError, TransactionDetails, UiTransactionEncoding};

use super::encode_block::{self, BlockOptions};
use super::encode_tx::TxEncoding;
use super::jsonrpc::{RpcError, RpcResult};
use super::params::{parse_pubkey, Config};
use crate::{BlockLookup, Localnet, TxRecord};

/// The size of a lookup table's header (`LOOKUP_TABLE_META_SIZE`); its addresses follow.
const LOOKUP_TABLE_META_SIZE: usize = 56;

/// The addresses a lookup table account holds (`ProgramState::LookupTable`, discriminant 1, as
/// `AddressLookupTable::deserialize` reads it); none if `data` is no table.
fn table_addresses(data: &[u8]) -> Vec<Pubkey> {
    if data.len() < LOOKUP_TABLE_META_SIZE || data[..4] != [1, 0, 0, 0] {
        return Vec::new();
    }
    data[LOOKUP_TABLE_META_SIZE..]
        .chunks_exact(32)
        .filter_map(|chunk| <[u8; 32]>::try_from(chunk).ok().map(Pubkey::new_from_array))
        .collect()
}

/// The writable and the read-only addresses a v0 transaction loaded from lookup tables (as the
/// tables hold them now: a table's addresses are never changed, only appended to or closed).
pub(crate) fn loaded_addresses(
    net: &Localnet,
    message: &VersionedMessage,
) -> (Vec<Pubkey>, Vec<Pubkey>) {
    let (mut writable, mut readonly) = (Vec::new(), Vec::new());
    for lookup in message.address_table_lookups().unwrap_or_default() {
        let Some(account) = net.get_account(&lookup.account_key) else { continue };
        if account.owner != solana_sdk_ids::address_lookup_table::id() {
            continue;
        }
        let table = table_addresses(&account.data);
        let pick = |indexes: &[u8]| -> Vec<Pubkey> {
            indexes.iter().filter_map(|i| table.get(usize::from(*i)).copied()).collect()
        };
        writable.extend(pick(&lookup.writable_indexes));
        readonly.extend(pick(&lookup.readonly_indexes));
    }
    (writable, readonly)
}

/// Every account a recorded transaction names: its static keys, then those it loaded (agave's
/// `account_keys()`, which the `mentions` filters search).
pub(crate) fn account_keys(net: &Localnet, record: &TxRecord) -> Vec<Pubkey> {
    let message = &record.transaction.message;
    let (writable, readonly) = loaded_addresses(net, message);
    let mut keys = message.static_account_keys().to_vec();
    keys.extend(writable);
    keys.extend(readonly);
    keys
}

/// Which transactions of a block a subscription wants.
#[derive(Clone, Debug)]
pub(crate) enum BlockFilter {
    All,
    MentionsAccountOrProgram(Pubkey),
}

/// `transactionDetails` (default `full`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Details {
    Full,
    Signatures,
    Accounts,
    None,
}

/// A `blockSubscribe`'s parameters.
#[derive(Clone, Debug)]
pub(crate) struct BlockSubscription {
    filter: BlockFilter,
    encoding: TxEncoding,
    details: Details,
    rewards: bool,
    max_version: Option<u64>,
}

impl BlockSubscription {
    /// Parses `[filter, config]` (`"all"` or `{"mentionsAccountOrProgram": address}`).
    pub(crate) fn parse(filter: &Value, config: &Config) -> RpcResult<Self> {
        let filter = match filter {
            Value::String(s) if s == "all" => BlockFilter::All,
            Value::Object(obj) if obj.len() == 1 => match obj.get("mentionsAccountOrProgram") {
                Some(Value::String(key)) => BlockFilter::MentionsAccountOrProgram(parse_pubkey(
                    key,
                    "mentions_account_or_program",
                )?),
                _ => return Err(bad_filter()),
            },
            _ => return Err(bad_filter()),
        };
        let encoding = match config.str("encoding")?.unwrap_or("base64") {
            "json" => TxEncoding::Json,
            "jsonParsed" => TxEncoding::JsonParsed,
            "base64" => TxEncoding::Base64,
            "base58" | "binary" => TxEncoding::Base58,
            other => {
                return Err(RpcError::invalid_params(format!(
                    "unknown variant `{other}`, expected one of `binary`, `base64`, `base58`, \
                     `json`, `jsonParsed`."
                )))
            }
        };
        let details = match config.str("transactionDetails")?.unwrap_or("full") {
            "full" => Details::Full,
            "signatures" => Details::Signatures,
            "accounts" => Details::Accounts,
            "none" => Details::None,
            other => {
                return Err(RpcError::invalid_params(format!(
                    "unknown variant `{other}`, expected one of `full`, `signatures`, `none`, \
                     `accounts`."
                )))
            }
        };
        Ok(Self {
            filter,
            encoding,
            details,
            rewards: config.bool("showRewards")?.unwrap_or(false),
            max_version: config.u64("maxSupportedTransactionVersion")?,
        })
    }
}

fn bad_filter() -> RpcError {
    RpcError::invalid_params(
        "expected \"all\" or {\"mentionsAccountOrProgram\": address} as the filter",
    )
}

/// A closed block: what its notification is written from.
pub(crate) struct Block(crate::Block);

impl Block {
    /// The block at `slot`, just closed: the chain's block, the one `getBlock` answers with (on
    /// agave both are the same `ConfirmedBlock`), so that it also holds what a restart on a
    /// ledger reopened (see `chain/persistence.rs`). Should the chain no longer hold it (a
    /// history smaller than the block), the one written from what the registry saw: holding
    /// `signatures`, `previous` the slot and blockhash of the block closed before it (none yet:
    /// the genesis hash).
    pub(crate) fn closed(
        net: &Localnet,
        slot: u64,
        signatures: &[Signature],
        previous: &Option<(u64, Hash)>,
    ) -> Self {
        if let BlockLookup::Found(b) = net.block(slot) {
            return Self(b.clone());
        }
        // The block's last blockhash is what `SlotHashes` recorded for its slot.
        let slot_hashes: solana_slot_hashes::SlotHashes = net.svm().get_sysvar();
        let blockhash = slot_hashes
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or_else(|| net.latest_blockhash(), |(_, h)| *h);
        let (parent_slot, previous_blockhash) =
            previous.unwrap_or_else(|| (slot.saturating_sub(1), net.genesis_hash()));
        let block_time = signatures
            .first()
            .and_then(|s| net.transaction(s))
            .map_or_else(|| net.clock().unix_timestamp, |r| r.block_time);
        Self(crate::Block {
            slot,
            parent_slot,
            blockhash,
            previous_blockhash,
            block_height: net.block_height().saturating_sub(1),
            block_time,
            signatures: signatures.to_vec(),
            fee_reward: None,
        })
    }

    pub(crate) fn blockhash(&self) -> Hash {
        self.0.blockhash
    }

    /// The `blockNotification` value for `sub`, or `None` when a `mentionsAccountOrProgram`
    /// filter leaves no transaction (agave sends nothing then). The block is written by
    /// agave's encoder, as `getBlock` writes it (agave's `filter_block_result_txs` keeps the
    /// transactions that mention the key, then calls `ConfirmedBlock::encode_with_options`).
    pub(crate) fn update(&self, net: &Localnet, sub: &BlockSubscription) -> Option<Value> {
        let records: Vec<&TxRecord> = self
            .0
            .signatures
            .iter()
            .filter_map(|s| net.transaction(s))
            .filter(|r| match &sub.filter {
                BlockFilter::All => true,
                BlockFilter::MentionsAccountOrProgram(key) => account_keys(net, r).contains(key),
            })
            .collect();
        if records.is_empty() && matches!(sub.filter, BlockFilter::MentionsAccountOrProgram(_)) {
            return None;
        }
        let options = BlockOptions {
            encoding: match sub.encoding {
                TxEncoding::Json => UiTransactionEncoding::Json,
                TxEncoding::JsonParsed => UiTransactionEncoding::JsonParsed,
                TxEncoding::Base58 => UiTransactionEncoding::Base58,
                TxEncoding::Base64 => UiTransactionEncoding::Base64,
            },
            details: match sub.details {
                Details::Full => TransactionDetails::Full,
                Details::Signatures => TransactionDetails::Signatures,
                Details::Accounts => TransactionDetails::Accounts,
                Details::None => TransactionDetails::None,
            },
            rewards: sub.rewards,
            max_version: sub.max_version.map(|v| v.min(u64::from(u8::MAX)) as u8),
        };
        let slot = self.0.slot;
        Some(match encode_block::encoded(&self.0, &net.validator().identity, &records, options) {
            Ok(block) => {
                json!({ "slot": slot, "block": serde_json::to_value(block).ok()?, "err": null })
            }
            Err(EncodeError::UnsupportedTransactionVersion(version)) => json!({
                "slot": slot,
                "block": null,
                "err": { "UnsupportedTransactionVersion": version },
            }),
        })
    }
}
