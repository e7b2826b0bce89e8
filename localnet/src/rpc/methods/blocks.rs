//! Blocks: `getBlock`, `getBlocks`, `getBlocksWithLimit`, `getBlockTime`,
//! `getBlockCommitment`, `getFirstAvailableBlock`, with agave's limits and errors
//! (rpc/src/rpc.rs `get_block`, `get_blocks`, `get_blocks_with_limit`, `get_block_time`,
//! `check_blockstore_root`, `check_slot_cleaned_up`; rpc-client-api/src/custom_error.rs).
//!
//! Every closed block is finalized (one node, full stake): `confirmed` and `finalized` see the
//! same blocks; the open block of the current slot is "not available" yet, as a bank still
//! being filled is on a validator.

use serde_json::{json, Value};
use solana_transaction_status::{TransactionDetails, UiTransactionEncoding};

use crate::rpc::bank::Bank;
use crate::rpc::encode_block::{self, BlockOptions};
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::{as_u64, Config, Params};
use crate::{BlockLookup, Localnet, TxRecord};

/// agave's `MAX_GET_CONFIRMED_BLOCKS_RANGE` (rpc-client-api/src/request.rs).
pub const MAX_GET_CONFIRMED_BLOCKS_RANGE: u64 = 500_000;

/// agave's own `Error::invalid_params(message)`: the message as written, with no
/// "Invalid params:" prefix (that prefix is jsonrpc-core's for parameters that do not parse).
fn agave_invalid_params(message: impl Into<String>) -> RpcError {
    RpcError::new(-32602, message)
}

fn block_not_available(slot: u64) -> RpcError {
    RpcError::new(-32004, format!("Block not available for slot {slot}"))
}

fn slot_skipped(slot: u64) -> RpcError {
    RpcError::new(
        -32007,
        format!("Slot {slot} was skipped, or missing due to ledger jump to recent snapshot"),
    )
}

fn block_cleaned_up(slot: u64, first_available: u64) -> RpcError {
    RpcError::new(
        -32001,
        format!(
            "Block {slot} cleaned up, does not exist on node. First available block: {first_available}"
        ),
    )
}

/// agave's `check_is_at_least_confirmed`.
pub(super) fn check_commitment(config: &Config) -> RpcResult<()> {
    match config.str("commitment")? {
        None | Some("confirmed" | "finalized") => Ok(()),
        Some("processed") => {
            Err(agave_invalid_params("Method does not support commitment below `confirmed`"))
        }
        Some(other) => Err(RpcError::invalid_params(format!(
            "unknown variant `{other}`, expected one of `processed`, `confirmed`, `finalized`"
        ))),
    }
}

/// `UiTransactionEncoding` as serde reads it.
pub(super) fn encoding(name: &str) -> RpcResult<UiTransactionEncoding> {
    Ok(match name {
        "json" => UiTransactionEncoding::Json,
        "jsonParsed" => UiTransactionEncoding::JsonParsed,
        "base64" => UiTransactionEncoding::Base64,
        "base58" => UiTransactionEncoding::Base58,
        "binary" => UiTransactionEncoding::Binary,
        other => {
            return Err(RpcError::invalid_params(format!(
                "unknown variant `{other}`, expected one of `binary`, `base64`, `base58`, `json`, `jsonParsed`"
            )))
        }
    })
}

fn details(name: &str) -> RpcResult<TransactionDetails> {
    Ok(match name {
        "full" => TransactionDetails::Full,
        "signatures" => TransactionDetails::Signatures,
        "accounts" => TransactionDetails::Accounts,
        "none" => TransactionDetails::None,
        other => {
            return Err(RpcError::invalid_params(format!(
            "unknown variant `{other}`, expected one of `full`, `signatures`, `none`, `accounts`"
        )))
        }
    })
}

/// `maxSupportedTransactionVersion`, a `u8` in agave's configuration.
pub(super) fn max_version(config: &Config) -> RpcResult<Option<u8>> {
    match config.u64("maxSupportedTransactionVersion")? {
        None => Ok(None),
        Some(v) => u8::try_from(v).map(Some).map_err(|_| {
            RpcError::invalid_params(format!("invalid value: integer `{v}`, expected u8"))
        }),
    }
}

pub(super) fn block(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let slot = p.u64(0, "slot")?;
    // The second parameter may be a bare encoding (legacy form) or a configuration.
    let options = match p.get(1) {
        Some(Value::String(e)) => BlockOptions {
            encoding: encoding(e)?,
            details: TransactionDetails::Full,
            rewards: true,
            max_version: None,
        },
        _ => {
            let config = p.config(1)?;
            check_commitment(&config)?;
            BlockOptions {
                encoding: encoding(config.str("encoding")?.unwrap_or("json"))?,
                details: details(config.str("transactionDetails")?.unwrap_or("full"))?,
                rewards: config.bool("rewards")?.unwrap_or(true),
                max_version: max_version(&config)?,
            }
        }
    };
    let net = &bank.net;
    match net.block(slot) {
        BlockLookup::Found(block) => {
            let records = records_of(net, slot, &block.signatures)?;
            encode_block::block(block, &bank.net.validator().identity, &records, options)
        }
        BlockLookup::NotAvailable => Err(block_not_available(slot)),
        BlockLookup::Skipped => Err(slot_skipped(slot)),
        BlockLookup::CleanedUp { first_available } => Err(block_cleaned_up(slot, first_available)),
    }
}

/// The records of a block's transactions (the history keeps every transaction of a block it
/// holds, see chain/blocks.rs).
fn records_of<'a>(
    net: &'a Localnet,
    slot: u64,
    signatures: &[solana_signature::Signature],
) -> RpcResult<Vec<&'a TxRecord>> {
    signatures
        .iter()
        .map(|s| {
            net.transaction(s).ok_or_else(|| block_cleaned_up(slot, net.first_available_block()))
        })
        .collect()
}

/// The trailing configuration of `getBlocks` / `getBlocksWithLimit`: only the commitment.
fn blocks_config(p: &Params, i: usize) -> RpcResult<()> {
    check_commitment(&p.config(i)?)
}

pub(super) fn blocks(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let start = p.u64(0, "start slot")?;
    // The second parameter is the end slot or (agave's `RpcBlocksConfigWrapper`) the config.
    let end = match p.get(1) {
        None | Some(Value::Null) => None,
        Some(Value::Object(_)) => {
            blocks_config(p, 1)?;
            None
        }
        Some(v) => Some(as_u64(v, "end slot")?),
    };
    blocks_config(p, 2)?;
    let net = &bank.net;
    let end = end
        .unwrap_or_else(|| start.saturating_add(MAX_GET_CONFIRMED_BLOCKS_RANGE))
        .min(net.last_block_slot());
    if end < start {
        return Ok(json!([]));
    }
    if end - start > MAX_GET_CONFIRMED_BLOCKS_RANGE {
        return Err(agave_invalid_params(format!(
            "Slot range too large; max {MAX_GET_CONFIRMED_BLOCKS_RANGE}"
        )));
    }
    let slots: Vec<u64> = net.blocks(start, end, usize::MAX).map(|b| b.slot).collect();
    Ok(json!(slots))
}

pub(super) fn blocks_with_limit(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let start = p.u64(0, "start slot")?;
    let limit = p.u64(1, "limit")?;
    blocks_config(p, 2)?;
    if limit > MAX_GET_CONFIRMED_BLOCKS_RANGE {
        return Err(agave_invalid_params(format!(
            "Limit too large; max {MAX_GET_CONFIRMED_BLOCKS_RANGE}"
        )));
    }
    let net = &bank.net;
    let slots: Vec<u64> =
        net.blocks(start, net.last_block_slot(), limit as usize).map(|b| b.slot).collect();
    Ok(json!(slots))
}

/// `getBlockTime`: a produced block's time; the current slot's bank time; agave's errors
/// otherwise.
pub(super) fn block_time(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let slot = p.u64(0, "slot")?;
    let net = &bank.net;
    match net.block(slot) {
        BlockLookup::Found(block) => Ok(json!(block.block_time)),
        BlockLookup::Skipped => Err(slot_skipped(slot)),
        BlockLookup::CleanedUp { first_available } => Err(block_cleaned_up(slot, first_available)),
        BlockLookup::NotAvailable if slot == net.slot() => Ok(json!(net.clock().unix_timestamp)),
        BlockLookup::NotAvailable => Err(block_not_available(slot)),
    }
}

/// `getBlockCommitment`: the one validator's stake is the total; a slot's vote distribution
/// is not tracked (`commitment: null`, as agave answers for a slot outside its commitment
/// cache).
pub(super) fn first_available_block(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!(bank.net.first_available_block()))
}

/// `getRecentPrioritizationFees [addresses?]`: `[{slot, prioritizationFee}]`, oldest first.
pub(super) fn recent_prioritization_fees(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let accounts = match p.get(0) {
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            let list = p.array(0, "addresses")?;
            if list.len() > crate::chain::MAX_PRIORITIZATION_ACCOUNTS {
                // agave: `Error::invalid_params(..)`, its message without a prefix.
                return Err(RpcError::new(
                    -32602,
                    format!(
                        "Too many inputs provided; max {}",
                        crate::chain::MAX_PRIORITIZATION_ACCOUNTS
                    ),
                ));
            }
            list.iter()
                .map(|v| {
                    let s = v
                        .as_str()
                        .ok_or_else(|| RpcError::invalid_params("addresses must be strings"))?;
                    crate::rpc::params::parse_pubkey(s, "address")
                })
                .collect::<RpcResult<Vec<_>>>()?
        }
    };
    Ok(Value::Array(
        bank.net
            .recent_prioritization_fees(&accounts)
            .into_iter()
            .map(|(slot, fee)| json!({ "slot": slot, "prioritizationFee": fee }))
            .collect(),
    ))
}
