//! History: signature statuses, recorded transactions, signatures by address.

use serde_json::{json, Value};
use solana_signature::Signature;

use super::blocks::check_commitment;
use crate::rpc::bank::Bank;
use crate::rpc::encode::{self, with_context};
use crate::rpc::encode_block;
use crate::rpc::encode_tx::{self, TxEncoding};
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::{item_str, parse_signature, Params};
use solana_transaction_status::UiTransactionEncoding;

pub(super) fn signature_statuses(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let slot = net.slot();
    let sigs = p.array(0, "signatures")?;
    if sigs.len() > 256 {
        return Err(RpcError::params("Too many inputs provided; max 256"));
    }
    p.config(1)?;
    let values = sigs
        .iter()
        .map(|s| {
            let sig = parse_signature(item_str(s, "signatures")?)?;
            Ok(match net.transaction(&sig) {
                Some(r) => json!({
                    "slot": r.slot,
                    "confirmations": null,
                    "err": encode::opt_tx_error(r.err.as_ref()),
                    "status": encode::status(r.err.as_ref()),
                    "confirmationStatus": "finalized",
                }),
                None => Value::Null,
            })
        })
        .collect::<RpcResult<Vec<_>>>()?;
    Ok(with_context(slot, Value::Array(values)))
}

pub(super) fn transaction(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let sig = p.signature(0, "signature")?;
    // The second parameter may be a bare encoding (legacy form) or a configuration.
    let (encoding, max_version) = match p.get(1) {
        Some(Value::String(e)) => (tx_encoding(e)?, None),
        _ => {
            let config = p.config(1)?;
            check_commitment(&config)?;
            let encoding = tx_encoding(config.str("encoding")?.unwrap_or("json"))?;
            (encoding, config.u64("maxSupportedTransactionVersion")?)
        }
    };
    let max_version = max_version
        .map(|v| {
            u8::try_from(v).map_err(|_| {
                RpcError::invalid_params(format!("invalid value: integer `{v}`, expected u8"))
            })
        })
        .transpose()?;
    // Every encoding through agave's own encoder (see encode_block), as the validator writes it
    // (top-level instructions carry `stackHeight: 1`).
    let ui = match encoding {
        TxEncoding::Json => UiTransactionEncoding::Json,
        TxEncoding::JsonParsed => UiTransactionEncoding::JsonParsed,
        TxEncoding::Base64 => UiTransactionEncoding::Base64,
        TxEncoding::Base58 => UiTransactionEncoding::Base58,
    };
    match bank.net.transaction(&sig) {
        Some(record) => encode_block::transaction(record, ui, max_version),
        None => Ok(Value::Null),
    }
}

pub(super) fn signatures_for_address(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let address = p.pubkey(0, "address")?;
    let config = p.config(1)?;
    check_commitment(&config)?;
    let limit = config.u64("limit")?.unwrap_or(1000);
    if limit == 0 || limit > 1000 {
        return Err(RpcError::params("Invalid limit; max 1000"));
    }
    let slot_of = |key: &str| -> RpcResult<Option<Option<u64>>> {
        match config.str(key)? {
            None => Ok(None),
            Some(s) => {
                let sig: Signature = parse_signature(s)?;
                Ok(Some(net.transaction(&sig).map(|r| r.seq)))
            }
        }
    };
    // Several transactions can share a slot, so the history's sequence numbers order them. An
    // unknown `before` yields nothing; an unknown `until` does not stop the search.
    let before = slot_of("before")?.map(|s| s.unwrap_or(0));
    let until = slot_of("until")?.flatten();
    let values: Vec<Value> = net
        .signatures_for_address(&address, usize::MAX)
        .into_iter()
        .filter(|(_, r)| before.is_none_or(|b| r.seq < b))
        .take_while(|(_, r)| until.is_none_or(|u| r.seq > u))
        .take(limit as usize)
        .map(|(sig, r)| {
            json!({
                "signature": sig.to_string(),
                "slot": r.slot,
                "err": encode::opt_tx_error(r.err.as_ref()),
                "memo": encode_tx::memo(r),
                "blockTime": r.block_time,
                "confirmationStatus": "finalized",
            })
        })
        .collect();
    Ok(Value::Array(values))
}

fn tx_encoding(name: &str) -> RpcResult<TxEncoding> {
    match name {
        "json" => Ok(TxEncoding::Json),
        "jsonParsed" => Ok(TxEncoding::JsonParsed),
        "base64" => Ok(TxEncoding::Base64),
        "base58" | "binary" => Ok(TxEncoding::Base58),
        other => Err(RpcError::invalid_params(format!(
            "unknown encoding {other:?} (expected json, jsonParsed, base64 or base58)"
        ))),
    }
}
