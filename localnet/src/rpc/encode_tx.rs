//! A recorded transaction as `getTransaction` and `getSignaturesForAddress` write it.

use serde_json::{json, Value};
use solana_message::{compiled_instruction::CompiledInstruction, VersionedMessage};
use solana_pubkey::Pubkey;

use super::encode::{opt_tx_error, status, token_amount};
use super::jsonrpc::{RpcError, RpcResult};
use super::params::encode_base64;
use crate::chain::TokenBalance;
use crate::{spl, TxRecord};

/// How `getTransaction` writes the transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxEncoding {
    Json,
    JsonParsed,
    Base58,
    Base64,
}

/// The `getTransaction` result for a recorded transaction.
pub fn transaction(
    record: &TxRecord,
    encoding: TxEncoding,
    max_version: Option<u64>,
) -> RpcResult<Value> {
    let tx = &record.transaction;
    let is_v0 = matches!(tx.message, VersionedMessage::V0(_));
    if is_v0 && max_version.is_none() {
        return Err(RpcError::new(
            -32015,
            "Transaction version (0) is not supported by the requesting client. Please try the request again with \
             the following configuration parameter: \"maxSupportedTransactionVersion\": 0",
        ));
    }
    let transaction = match encoding {
        TxEncoding::Json | TxEncoding::JsonParsed => {
            json!({
                "signatures": tx.signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "message": message(&tx.message, encoding == TxEncoding::JsonParsed),
            })
        }
        TxEncoding::Base64 | TxEncoding::Base58 => {
            let bytes = bincode::serialize(tx).map_err(RpcError::internal)?;
            if encoding == TxEncoding::Base64 {
                json!([encode_base64(&bytes), "base64"])
            } else {
                json!([bs58::encode(bytes).into_string(), "base58"])
            }
        }
    };
    let mut out = json!({
        "slot": record.slot,
        "blockTime": record.block_time,
        "transaction": transaction,
        "meta": meta(record, encoding == TxEncoding::JsonParsed),
    });
    if max_version.is_some() {
        out["version"] = if is_v0 { json!(0) } else { json!("legacy") };
    }
    Ok(out)
}

fn message(message: &VersionedMessage, parsed: bool) -> Value {
    let keys = message.static_account_keys();
    let header = message.header();
    let mut out = if parsed {
        json!({
            "accountKeys": keys.iter().enumerate().map(|(i, k)| json!({
                "pubkey": k.to_string(),
                "signer": message.is_signer(i),
                "writable": message.is_maybe_writable(i, None),
                "source": "transaction",
            })).collect::<Vec<_>>(),
            "recentBlockhash": message.recent_blockhash().to_string(),
            "instructions": message.instructions().iter().map(|ix| instruction(ix, keys, None, true)).collect::<Vec<_>>(),
        })
    } else {
        json!({
            "accountKeys": keys.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            "header": {
                "numRequiredSignatures": header.num_required_signatures,
                "numReadonlySignedAccounts": header.num_readonly_signed_accounts,
                "numReadonlyUnsignedAccounts": header.num_readonly_unsigned_accounts,
            },
            "recentBlockhash": message.recent_blockhash().to_string(),
            "instructions": message.instructions().iter().map(|ix| instruction(ix, keys, None, false)).collect::<Vec<_>>(),
        })
    };
    if let Some(lookups) = message.address_table_lookups() {
        out["addressTableLookups"] = lookups
            .iter()
            .map(|l| {
                json!({
                    "accountKey": l.account_key.to_string(),
                    "writableIndexes": l.writable_indexes,
                    "readonlyIndexes": l.readonly_indexes,
                })
            })
            .collect::<Vec<_>>()
            .into();
    }
    out
}

fn instruction(
    ix: &CompiledInstruction,
    keys: &[Pubkey],
    stack_height: Option<u8>,
    parsed: bool,
) -> Value {
    let key = |i: u8| keys.get(usize::from(i)).map(|k| k.to_string()).unwrap_or_default();
    if parsed {
        json!({
            "programId": key(ix.program_id_index),
            "accounts": ix.accounts.iter().map(|&i| key(i)).collect::<Vec<_>>(),
            "data": bs58::encode(&ix.data).into_string(),
            "stackHeight": stack_height,
        })
    } else {
        json!({
            "programIdIndex": ix.program_id_index,
            "accounts": ix.accounts,
            "data": bs58::encode(&ix.data).into_string(),
            "stackHeight": stack_height,
        })
    }
}

fn meta(record: &TxRecord, parsed: bool) -> Value {
    let keys = record.transaction.message.static_account_keys();
    let inner: Vec<Value> = record
        .meta
        .inner_instructions
        .iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(index, list)| {
            json!({
                "index": index,
                "instructions": list
                    .iter()
                    .map(|inner| instruction(&inner.instruction, keys, Some(inner.stack_height), parsed))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut out = json!({
        "err": opt_tx_error(record.err.as_ref()),
        "status": status(record.err.as_ref()),
        "fee": record.fee,
        "preBalances": record.pre_balances,
        "postBalances": record.post_balances,
        "innerInstructions": inner,
        "logMessages": record.meta.logs,
        "preTokenBalances": token_balances(&record.pre_token_balances),
        "postTokenBalances": token_balances(&record.post_token_balances),
        "rewards": [],
        "loadedAddresses": {
            "writable": record.loaded_addresses.writable.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            "readonly": record.loaded_addresses.readonly.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
        },
        "computeUnitsConsumed": record.meta.compute_units_consumed,
    });
    if !record.meta.return_data.data.is_empty() {
        out["returnData"] = json!({
            "programId": record.meta.return_data.program_id.to_string(),
            "data": [encode_base64(&record.meta.return_data.data), "base64"],
        });
    }
    out
}

/// `preTokenBalances` / `postTokenBalances` as agave writes them (`UiTransactionTokenBalance`).
fn token_balances(list: &[TokenBalance]) -> Value {
    list.iter()
        .map(|b| {
            json!({
                "accountIndex": b.account_index,
                "mint": b.mint.to_string(),
                "uiTokenAmount": token_amount(b.amount, b.decimals),
                "owner": b.owner.to_string(),
                "programId": b.program_id.to_string(),
            })
        })
        .collect()
}

/// The memo column of `getSignaturesForAddress`: `[len] text` per SPL Memo instruction.
pub fn memo(record: &TxRecord) -> Value {
    const MEMO_V1: Pubkey = solana_pubkey::pubkey!("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo");
    let message = &record.transaction.message;
    let keys = message.static_account_keys();
    let memos: Vec<String> = message
        .instructions()
        .iter()
        .filter(|ix| {
            keys.get(usize::from(ix.program_id_index))
                .is_some_and(|p| *p == spl::MEMO || *p == MEMO_V1)
        })
        .map(|ix| format!("[{}] {}", ix.data.len(), String::from_utf8_lossy(&ix.data)))
        .collect();
    if memos.is_empty() {
        Value::Null
    } else {
        Value::String(memos.join("; "))
    }
}
