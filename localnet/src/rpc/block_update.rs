//! `blockSubscribe`: its parameters and the `blockNotification` of a closed block, as agave's
//! `rpc_subscriptions.rs` (`filter_block_result_txs`) and `transaction-status`
//! (`ConfirmedBlock::encode_with_options`) write them.
//!
//! The block is built from the transactions recorded while it was open, each written by the
//! `getTransaction` encoder ([`encode_tx::transaction`]); `getBlock`, served by its own module,
//! should share one block encoder with this one.

use serde_json::{json, Value};
use solana_message::VersionedMessage;
use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::encode::{opt_tx_error, status};
use super::encode_tx::{self, TxEncoding};
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
pub(crate) struct Block {
    slot: u64,
    pub(crate) blockhash: String,
    previous_blockhash: String,
    parent_slot: u64,
    block_time: i64,
    block_height: u64,
    signatures: Vec<Signature>,
}

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
        previous: &Option<(u64, String)>,
    ) -> Self {
        if let BlockLookup::Found(b) = net.block(slot) {
            return Self {
                slot,
                blockhash: b.blockhash.to_string(),
                previous_blockhash: b.previous_blockhash.to_string(),
                parent_slot: b.parent_slot,
                block_time: b.block_time,
                block_height: b.block_height,
                signatures: b.signatures.clone(),
            };
        }
        // The block's last blockhash is what `SlotHashes` recorded for its slot.
        let slot_hashes: solana_slot_hashes::SlotHashes = net.svm().get_sysvar();
        let blockhash = slot_hashes
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, h)| h.to_string())
            .unwrap_or_else(|| net.latest_blockhash().to_string());
        let (parent_slot, previous_blockhash) = previous
            .clone()
            .unwrap_or_else(|| (slot.saturating_sub(1), net.genesis_hash().to_string()));
        let block_time = signatures
            .first()
            .and_then(|s| net.transaction(s))
            .map_or_else(|| net.clock().unix_timestamp, |r| r.block_time);
        Self {
            slot,
            blockhash,
            previous_blockhash,
            parent_slot,
            block_time,
            block_height: net.block_height().saturating_sub(1),
            signatures: signatures.to_vec(),
        }
    }

    /// The `blockNotification` value for `sub`, or `None` when a `mentionsAccountOrProgram`
    /// filter leaves no transaction (agave sends nothing then).
    pub(crate) fn update(&self, net: &Localnet, sub: &BlockSubscription) -> Option<Value> {
        let records: Vec<&TxRecord> = self
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
        Some(match self.encode(&records, sub) {
            Ok(block) => json!({ "slot": self.slot, "block": block, "err": null }),
            Err(version) => json!({
                "slot": self.slot,
                "block": null,
                "err": { "UnsupportedTransactionVersion": version },
            }),
        })
    }

    /// The block as `getBlock` writes it; `Err(version)` for a transaction version the
    /// subscription does not support.
    fn encode(&self, records: &[&TxRecord], sub: &BlockSubscription) -> Result<Value, u8> {
        let mut block = json!({
            "blockhash": self.blockhash,
            "previousBlockhash": self.previous_blockhash,
            "parentSlot": self.parent_slot,
            "blockTime": self.block_time,
            "blockHeight": self.block_height,
        });
        let check_version = |r: &TxRecord| -> Result<(), u8> {
            match (&r.transaction.message, sub.max_version) {
                (VersionedMessage::V0(_), None) => Err(0),
                _ => Ok(()),
            }
        };
        match sub.details {
            Details::Full => {
                let mut txs = Vec::new();
                for r in records {
                    check_version(r)?;
                    let mut tx = encode_tx::transaction(r, sub.encoding, sub.max_version)
                        .map_err(|_| 0u8)?;
                    if let Some(obj) = tx.as_object_mut() {
                        obj.remove("slot");
                        obj.remove("blockTime");
                    }
                    txs.push(tx);
                }
                block["transactions"] = Value::Array(txs);
            }
            Details::Accounts => {
                let mut txs = Vec::new();
                for r in records {
                    check_version(r)?;
                    txs.push(accounts_entry(r, sub.max_version));
                }
                block["transactions"] = Value::Array(txs);
            }
            Details::Signatures => {
                block["signatures"] = records
                    .iter()
                    .map(|r| json!(r.transaction.signatures[0].to_string()))
                    .collect();
            }
            Details::None => {}
        }
        if sub.rewards {
            block["rewards"] = json!([]);
        }
        Ok(block)
    }
}

/// A transaction with `transactionDetails: "accounts"`: its signatures and account keys, and
/// the meta without instructions or logs.
fn accounts_entry(r: &TxRecord, max_version: Option<u64>) -> Value {
    let message = &r.transaction.message;
    let keys: Vec<Value> = message
        .static_account_keys()
        .iter()
        .enumerate()
        .map(|(i, k)| {
            json!({
                "pubkey": k.to_string(),
                "writable": message.is_maybe_writable(i, None),
                "signer": message.is_signer(i),
                "source": "transaction",
            })
        })
        .collect();
    let mut out = json!({
        "transaction": {
            "signatures": r.transaction.signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "accountKeys": keys,
        },
        "meta": {
            "err": opt_tx_error(r.err.as_ref()),
            "status": status(r.err.as_ref()),
            "fee": r.fee,
            "preBalances": r.pre_balances,
            "postBalances": r.post_balances,
            "preTokenBalances": [],
            "postTokenBalances": [],
        },
    });
    if max_version.is_some() {
        out["version"] = match message {
            VersionedMessage::V0(_) => json!(0),
            _ => json!("legacy"),
        };
    }
    out
}
