//! Transactions: airdrops, sending (with preflight), simulation, fees, and the decoding of wire
//! transactions and messages.

use bincode::Options;
use serde_json::{json, Value};
use solana_account::ReadableAccount;
use solana_message::VersionedMessage;
use solana_pubkey::Pubkey;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

use crate::rpc::bank::Bank;
use crate::rpc::constants::PACKET_DATA_SIZE;
use crate::rpc::encode::{self, with_context};
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::{encode_base64, item_str, parse_pubkey, AccountEncoding, Config, Params};
use crate::rpc::subscriptions::publish::publish_transaction;
use crate::TxFailure;

/// Longest base58 string a 1232-byte transaction encodes to.
const MAX_BASE58_TX_CHARS: usize = 1683;
/// Longest base64 string a 1232-byte transaction encodes to.
const MAX_BASE64_TX_CHARS: usize = 1644;

pub(super) fn request_airdrop(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let key = p.pubkey(0, "address")?;
    let lamports = p.u64(1, "lamports")?;
    match bank.net.airdrop(&key, lamports) {
        Ok(sig) => {
            publish_transaction(&bank.net, &mut bank.subs, &sig);
            Ok(json!(sig.to_string()))
        }
        Err(failure) => Err(RpcError::internal(format!(
            "airdrop of {lamports} lamports to {key} failed: {}",
            failure.err
        ))),
    }
}

/// `sendTransaction` as agave's: decoded and sanitized (`invalid transaction: ...`, -32602),
/// then with preflight its signatures verified (-32003) and a failure refused with -32002,
/// nothing charged; with `skipPreflight` the signature is answered whatever happens next, as a
/// node answers once it has forwarded it: a transaction the bank refuses (bad signature,
/// unknown blockhash, duplicate, unpayable fee) is dropped and its status stays null, one that
/// executes and fails is recorded with its error and its fee.
pub(super) fn send_transaction(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let encoded = p.str(0, "transaction")?;
    let config = p.config(1)?;
    let skip_preflight = config.bool("skipPreflight")?.unwrap_or(false);
    let tx = decode_transaction(encoded, &config)?;
    // agave's message as it words it (`Error::invalid_params`, no "Invalid params: " prefix).
    tx.sanitize().map_err(|_| {
        RpcError::new(-32602, format!("invalid transaction: {}", TransactionError::SanitizeFailure))
    })?;
    let signature = *tx.signatures.first().ok_or_else(signature_verification_failure)?;
    if skip_preflight {
        match bank.net.send_transaction(tx) {
            Ok(_) => publish_transaction(&bank.net, &mut bank.subs, &signature),
            Err(failure) if failure.recorded => {
                publish_transaction(&bank.net, &mut bank.subs, &signature)
            }
            Err(_) => {}
        }
        return Ok(json!(signature.to_string()));
    }
    if tx.verify_with_results().iter().any(|ok| !ok) {
        return Err(signature_verification_failure());
    }
    // Executed before (the chain's status cache, not only its history).
    if bank.net.is_processed(&signature) {
        return Err(already_processed());
    }
    match bank.net.send_transaction_with_preflight(tx) {
        Ok(sig) => {
            publish_transaction(&bank.net, &mut bank.subs, &sig);
            Ok(json!(sig.to_string()))
        }
        Err(failure) => Err(preflight_error(&failure)),
    }
}

/// agave's -32003, for a transaction whose signatures do not verify (or that has none).
fn signature_verification_failure() -> RpcError {
    RpcError::new(-32003, "Transaction signature verification failure")
}

pub(super) fn simulate_transaction(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let encoded = p.str(0, "transaction")?;
    let config = p.config(1)?;
    let sig_verify = config.bool("sigVerify")?.unwrap_or(false);
    let replace = config.bool("replaceRecentBlockhash")?.unwrap_or(false);
    let tx = decode_transaction(encoded, &config)?;
    // agave's messages (`Error::invalid_params`, without a prefix) in agave's order.
    if sig_verify && replace {
        return Err(RpcError::new(-32602, "sigVerify may not be used with replaceRecentBlockhash"));
    }
    let lookups = tx.message.address_table_lookups().unwrap_or_default();
    let number_of_accounts = tx.message.static_account_keys().len()
        + lookups
            .iter()
            .map(|l| l.writable_indexes.len() + l.readonly_indexes.len())
            .sum::<usize>();
    let accounts_config = config.object("accounts")?;
    let addresses: Option<Vec<Pubkey>> = match accounts_config.get("addresses") {
        None => None,
        Some(list) => {
            let list = list
                .as_array()
                .ok_or_else(|| RpcError::invalid_params("`accounts.addresses` must be an array"))?;
            if list.len() > number_of_accounts {
                return Err(RpcError::new(
                    -32602,
                    format!("Too many accounts provided; max {number_of_accounts}"),
                ));
            }
            Some(
                list.iter()
                    .map(|k| parse_pubkey(item_str(k, "accounts.addresses")?, "accounts.addresses"))
                    .collect::<RpcResult<_>>()?,
            )
        }
    };
    let accounts_encoding =
        AccountEncoding::from_config(&accounts_config, AccountEncoding::Base64)?;
    if matches!(accounts_encoding, AccountEncoding::Binary | AccountEncoding::Base58) {
        return Err(RpcError::new(-32602, "base58 encoding not supported"));
    }
    let cpi = config.bool("innerInstructions")?.unwrap_or(false);
    // The keys the inner instructions index: the static ones, then those loaded from tables.
    let loaded = net.loaded_addresses(&tx.message);
    let static_keys = tx.message.static_account_keys().to_vec();
    let slot = net.slot();
    let replacement = replace.then(|| {
        json!({ "blockhash": net.latest_blockhash().to_string(), "lastValidBlockHeight": net.last_valid_block_height() })
    });
    let value = match net.simulate_transaction(tx, sig_verify, replace) {
        Ok(sim) => {
            // agave: `map_inner_instructions` then `parse_ui_inner_instructions` (jsonParsed
            // where a parser knows the program), only when asked for.
            let inner = cpi.then(|| {
                let keys = solana_message::AccountKeys::new(&static_keys, Some(&loaded));
                let list: Vec<_> =
                    solana_transaction_status::map_inner_instructions(sim.inner_instructions)
                        .map(|ix| solana_transaction_status::parse_ui_inner_instructions(ix, &keys))
                        .collect();
                serde_json::to_value(list).unwrap_or(Value::Null)
            });
            let accounts = match addresses {
                None => Value::Null,
                // A failed simulation answers a null for each (agave's `vec![None; n]`).
                Some(addresses) if sim.err.is_some() => json!(vec![Value::Null; addresses.len()]),
                Some(addresses) => Value::Array(
                    addresses
                        .iter()
                        .map(|key| {
                            let post = sim
                                .post_accounts
                                .iter()
                                .find(|(k, _)| k == key)
                                .map(|(_, a)| a.clone());
                            let account: Option<solana_account::AccountSharedData> = match post {
                                Some(a) => (a.lamports() > 0 || a.executable()).then_some(a),
                                None => net.get_account(key).map(Into::into),
                            };
                            match account {
                                Some(a) => encode::account(net, key, &a, accounts_encoding, None),
                                None => Ok(Value::Null),
                            }
                        })
                        .collect::<RpcResult<Vec<_>>>()?,
                ),
            };
            json!({
                "err": encode::opt_tx_error(sim.err.as_ref()),
                "logs": sim.logs,
                "accounts": accounts,
                "unitsConsumed": sim.units_consumed,
                "returnData": sim.return_data.map(|(program, data)| json!({
                    "programId": program.to_string(),
                    "data": [encode_base64(&data), "base64"],
                })),
                "innerInstructions": inner,
                "replacementBlockhash": replacement,
            })
        }
        Err(failure) => match failure.err {
            TransactionError::SignatureFailure if sig_verify => {
                return Err(signature_verification_failure());
            }
            TransactionError::SanitizeFailure => {
                return Err(RpcError::invalid_params("invalid transaction: failed to sanitize"));
            }
            err => json!({
                "err": encode::tx_error(&err),
                "logs": failure.logs,
                "accounts": null,
                "unitsConsumed": failure.units_consumed,
                "returnData": null,
                "innerInstructions": null,
                "replacementBlockhash": replacement,
            }),
        },
    };
    Ok(with_context(slot, value))
}

pub(super) fn fee_for_message(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let encoded = p.str(0, "message")?;
    let message: VersionedMessage = decode_and_deserialize(encoded, Binary::Base64)?;
    // Signature and prioritization fee, as the validator answers (null for an unknown
    // blockhash).
    let fee = net
        .is_blockhash_valid(message.recent_blockhash())
        .then(|| crate::chain::fee_of(&message).total());
    Ok(with_context(net.slot(), json!(fee)))
}

/// Wire bytes in a binary encoding, as agave's `TransactionBinaryEncoding`.
#[derive(Clone, Copy)]
enum Binary {
    Base58,
    Base64,
}

/// `T` from `encoded`, with agave's checks and messages (`rpc/src/rpc.rs`,
/// `decode_and_deserialize`: the encoded and decoded sizes, then bincode reading with the packet
/// limit, the type named by `std::any::type_name`).
fn decode_and_deserialize<T: serde::de::DeserializeOwned>(
    encoded: &str,
    encoding: Binary,
) -> RpcResult<T> {
    let type_name = std::any::type_name::<T>();
    let bytes = match encoding {
        Binary::Base58 => {
            if encoded.len() > MAX_BASE58_TX_CHARS {
                return Err(RpcError::params(format!(
                    "base58 encoded {type_name} too large: {} bytes (max: encoded/raw \
                     {MAX_BASE58_TX_CHARS}/{PACKET_DATA_SIZE})",
                    encoded.len()
                )));
            }
            bs58::decode(encoded)
                .into_vec()
                .map_err(|e| RpcError::params(format!("invalid base58 encoding: {e:?}")))?
        }
        Binary::Base64 => {
            if encoded.len() > MAX_BASE64_TX_CHARS {
                return Err(RpcError::params(format!(
                    "base64 encoded {type_name} too large: {} bytes (max: encoded/raw \
                     {MAX_BASE64_TX_CHARS}/{PACKET_DATA_SIZE})",
                    encoded.len()
                )));
            }
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|e| RpcError::params(format!("invalid base64 encoding: {e:?}")))?
        }
    };
    if bytes.len() > PACKET_DATA_SIZE {
        return Err(RpcError::params(format!(
            "decoded {type_name} too large: {} bytes (max: {PACKET_DATA_SIZE} bytes)",
            bytes.len()
        )));
    }
    bincode::DefaultOptions::new()
        .with_limit(PACKET_DATA_SIZE as u64)
        .with_fixint_encoding()
        .allow_trailing_bytes()
        .deserialize_from(&bytes[..])
        .map_err(|e| RpcError::params(format!("failed to deserialize {type_name}: {e}")))
}

/// A wire transaction in the configured encoding (base58 unless `"encoding": "base64"`), as
/// agave's `sendTransaction` and `simulateTransaction` read it.
fn decode_transaction(encoded: &str, config: &Config) -> RpcResult<VersionedTransaction> {
    let encoding = match config.str("encoding")?.unwrap_or("base58") {
        "base58" | "binary" => Binary::Base58,
        "base64" => Binary::Base64,
        other @ ("json" | "jsonParsed") => {
            return Err(RpcError::params(format!(
                "unsupported encoding: {other}. Supported encodings: base58, base64"
            )))
        }
        other => {
            return Err(RpcError::invalid_params(format!(
                "unknown variant `{other}`, expected one of `binary`, `base64`, `base58`, \
                 `json`, `jsonParsed`"
            )))
        }
    };
    decode_and_deserialize(encoded, encoding)
}

/// The -32002 `AlreadyProcessed` error of a duplicate.
fn already_processed() -> RpcError {
    preflight_error(&TxFailure {
        err: TransactionError::AlreadyProcessed,
        logs: Vec::new(),
        units_consumed: 0,
        recorded: false,
    })
}

/// The -32002 error of a transaction that was rejected or failed, with what Anchor reads.
fn preflight_error(failure: &TxFailure) -> RpcError {
    RpcError::new(-32002, format!("Transaction simulation failed: {}", failure.err)).with_data(
        json!({
            "err": encode::tx_error(&failure.err),
            "logs": failure.logs,
            "accounts": null,
            "unitsConsumed": failure.units_consumed,
            "returnData": null,
            "innerInstructions": null,
            "replacementBlockhash": null,
        }),
    )
}
