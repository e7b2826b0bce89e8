//! The HTTP JSON-RPC methods, run on the bank thread.

use bincode::Options;
use serde_json::{json, Value};
use solana_epoch_schedule::EpochSchedule;
use solana_message::VersionedMessage;
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

use super::bank::Bank;
use super::encode::{self, with_context, TxEncoding};
use super::params::{
    decode_base64, encode_base64, parse_pubkey, parse_signature, AccountEncoding, Config,
    DataSlice, Filter, Params, RpcError, RpcResult,
};
use super::{pubsub, FEATURE_SET, PACKET_DATA_SIZE, SOLANA_CORE_VERSION};
use crate::{Localnet, TxFailure, LAMPORTS_PER_SIGNATURE};

/// Longest `crucible_warp` accepted: 100 years.
pub const MAX_WARP_SECONDS: u64 = 100 * 31_557_600;
/// Longest base58 string a 1232-byte transaction encodes to.
const MAX_BASE58_TX_CHARS: usize = 1683;
/// Longest base64 string a 1232-byte transaction encodes to.
const MAX_BASE64_TX_CHARS: usize = 1644;

/// Largest account data (`getMinimumBalanceForRentExemption` refuses more).
const MAX_PERMITTED_DATA_LENGTH: u64 = 10 * 1024 * 1024;

/// Every HTTP method served.
pub const METHODS: &[&str] = &[
    "getHealth",
    "getVersion",
    "getSlot",
    "getBlockHeight",
    "getTransactionCount",
    "getGenesisHash",
    "getFirstAvailableBlock",
    "getMinimumLedgerSlot",
    "getMaxRetransmitSlot",
    "getMaxShredInsertSlot",
    "getIdentity",
    "getSlotLeader",
    "getRecentPrioritizationFees",
    "getRecentPerformanceSamples",
    "getEpochSchedule",
    "getEpochInfo",
    "getLatestBlockhash",
    "isBlockhashValid",
    "getFeeForMessage",
    "getMinimumBalanceForRentExemption",
    "getBalance",
    "getAccountInfo",
    "getMultipleAccounts",
    "getProgramAccounts",
    "getTokenAccountBalance",
    "getTokenSupply",
    "getTokenAccountsByOwner",
    "getTokenAccountsByDelegate",
    "getTokenLargestAccounts",
    "requestAirdrop",
    "sendTransaction",
    "simulateTransaction",
    "getSignatureStatuses",
    "getTransaction",
    "getSignaturesForAddress",
    "getBlockTime",
    "crucible_warp",
    "crucible_programs",
    "crucible_clock",
    "crucible_stats",
];

/// Runs one call.
pub fn dispatch(bank: &mut Bank, method: &str, params: &Value) -> RpcResult<Value> {
    bank.requests += 1;
    if !METHODS.contains(&method) {
        return Err(RpcError::method_not_found());
    }
    let p = Params::new(params)?;
    check_min_context_slot(&bank.net, &p)?;
    let net = &mut bank.net;
    let slot = net.slot();
    match method {
        "getHealth" => Ok(json!("ok")),
        "getVersion" => {
            Ok(json!({ "solana-core": SOLANA_CORE_VERSION, "feature-set": FEATURE_SET }))
        }
        "getSlot" => Ok(json!(slot)),
        "getBlockHeight" => Ok(json!(net.block_height())),
        "getTransactionCount" => Ok(json!(net.transaction_count())),
        "getGenesisHash" => Ok(json!(net.genesis_hash().to_string())),
        "getFirstAvailableBlock" | "getMinimumLedgerSlot" => Ok(json!(0)),
        "getMaxRetransmitSlot" | "getMaxShredInsertSlot" => Ok(json!(slot)),
        "getIdentity" => Ok(json!({ "identity": net.faucet().to_string() })),
        "getSlotLeader" => Ok(json!(net.faucet().to_string())),
        "getRecentPrioritizationFees" | "getRecentPerformanceSamples" => Ok(json!([])),
        "getEpochSchedule" => {
            let s: EpochSchedule = net.svm().get_sysvar();
            Ok(json!({
                "slotsPerEpoch": s.slots_per_epoch,
                "leaderScheduleSlotOffset": s.leader_schedule_slot_offset,
                "warmup": s.warmup,
                "firstNormalEpoch": s.first_normal_epoch,
                "firstNormalSlot": s.first_normal_slot,
            }))
        }
        "getEpochInfo" => {
            let s: EpochSchedule = net.svm().get_sysvar();
            let (epoch, slot_index) = s.get_epoch_and_slot_index(slot);
            Ok(json!({
                "absoluteSlot": slot,
                "blockHeight": net.block_height(),
                "epoch": epoch,
                "slotIndex": slot_index,
                "slotsInEpoch": s.get_slots_in_epoch(epoch),
                "transactionCount": net.transaction_count(),
            }))
        }
        "getLatestBlockhash" => Ok(with_context(
            slot,
            json!({
                "blockhash": net.latest_blockhash().to_string(),
                "lastValidBlockHeight": net.last_valid_block_height(),
            }),
        )),
        "isBlockhashValid" => {
            let hash = super::params::parse_hash(p.str(0, "blockhash")?)?;
            Ok(with_context(slot, json!(net.is_blockhash_valid(&hash))))
        }
        "getFeeForMessage" => get_fee_for_message(net, &p),
        "getMinimumBalanceForRentExemption" => {
            let len = p.u64(0, "data length")?;
            if len > MAX_PERMITTED_DATA_LENGTH {
                return Err(RpcError::invalid_params(format!(
                    "data length {len} is larger than the maximum account size {MAX_PERMITTED_DATA_LENGTH}"
                )));
            }
            let len = len as usize;
            Ok(json!(net.minimum_balance_for_rent_exemption(len)))
        }
        "getBalance" => {
            let key = p.pubkey(0, "address")?;
            Ok(with_context(slot, json!(net.get_balance(&key))))
        }
        "getAccountInfo" => {
            let key = p.pubkey(0, "address")?;
            let config = p.config(1)?;
            let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
            let slice = DataSlice::from_config(&config)?;
            let value = match net.get_account(&key) {
                Some(account) => encode::account(net, &key, &account, encoding, slice)?,
                None => Value::Null,
            };
            Ok(with_context(slot, value))
        }
        "getMultipleAccounts" => {
            let keys = p.array(0, "addresses")?;
            if keys.len() > 100 {
                return Err(RpcError::invalid_params("Too many inputs provided; max 100"));
            }
            let keys = keys
                .iter()
                .map(|k| parse_pubkey(k.as_str().unwrap_or(""), "address"))
                .collect::<RpcResult<Vec<_>>>()?;
            let config = p.config(1)?;
            let encoding = AccountEncoding::from_config(&config, AccountEncoding::Base64)?;
            let slice = DataSlice::from_config(&config)?;
            let values = keys
                .iter()
                .map(|key| match net.get_account(key) {
                    Some(account) => encode::account(net, key, &account, encoding, slice),
                    None => Ok(Value::Null),
                })
                .collect::<RpcResult<Vec<_>>>()?;
            Ok(with_context(slot, Value::Array(values)))
        }
        "getProgramAccounts" => get_program_accounts(net, &p),
        "getTokenAccountBalance" => {
            let key = p.pubkey(0, "token account")?;
            let account = net
                .get_account(&key)
                .ok_or_else(|| RpcError::invalid_params("could not find account"))?;
            let token = encode::token_account(&account.owner, &account.data)
                .ok_or_else(|| RpcError::invalid_params("not a Token account"))?;
            let mint = encode::load_mint(net, &token.mint)
                .ok_or_else(|| RpcError::invalid_params("could not find mint"))?;
            Ok(with_context(slot, encode::token_amount(token.amount, mint.decimals)))
        }
        "getTokenSupply" => {
            let key = p.pubkey(0, "mint")?;
            let mint = encode::load_mint(net, &key)
                .ok_or_else(|| RpcError::invalid_params("not a Token mint"))?;
            Ok(with_context(slot, encode::token_amount(mint.supply, mint.decimals)))
        }
        "getTokenAccountsByOwner" => token_accounts_by(net, &p, false),
        "getTokenAccountsByDelegate" => token_accounts_by(net, &p, true),
        "getTokenLargestAccounts" => {
            let key = p.pubkey(0, "mint")?;
            let mint_account = net
                .get_account(&key)
                .ok_or_else(|| RpcError::invalid_params("could not find mint"))?;
            let mint = encode::mint(&mint_account.owner, &mint_account.data)
                .ok_or_else(|| RpcError::invalid_params("not a Token mint"))?;
            let mut holders: Vec<(Pubkey, u64)> = net
                .program_accounts(&mint_account.owner)
                .into_iter()
                .filter_map(|(k, a)| {
                    use solana_account::ReadableAccount;
                    let t = encode::token_account(a.owner(), a.data())?;
                    (t.mint == key).then_some((k, t.amount))
                })
                .collect();
            holders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            holders.truncate(20);
            let values: Vec<Value> = holders
                .into_iter()
                .map(|(k, amount)| {
                    let mut v = encode::token_amount(amount, mint.decimals);
                    v["address"] = json!(k.to_string());
                    v
                })
                .collect();
            Ok(with_context(slot, Value::Array(values)))
        }
        "requestAirdrop" => {
            let key = p.pubkey(0, "address")?;
            let lamports = p.u64(1, "lamports")?;
            match net.airdrop(&key, lamports) {
                Ok(sig) => {
                    pubsub::publish_transaction(&bank.net, &mut bank.subs, &sig, slot);
                    Ok(json!(sig.to_string()))
                }
                Err(failure) => Err(RpcError::internal(format!(
                    "airdrop of {lamports} lamports to {key} failed: {}",
                    failure.err
                ))),
            }
        }
        "sendTransaction" => {
            let encoded = p.str(0, "transaction")?;
            let config = p.config(1)?;
            let skip_preflight = config.bool("skipPreflight")?.unwrap_or(false);
            let tx = decode_transaction(encoded, &config)?;
            // Executed before (the chain's status cache, not only its history): refused with or
            // without preflight.
            if tx.signatures.first().is_some_and(|sig| net.is_processed(sig)) {
                return Err(already_processed());
            }
            if !skip_preflight {
                preflight(net, &tx)?;
            }
            let first = tx.signatures.first().copied();
            match net.send_transaction(tx) {
                Ok(sig) => {
                    pubsub::publish_transaction(&bank.net, &mut bank.subs, &sig, slot);
                    Ok(json!(sig.to_string()))
                }
                Err(failure) => match (failure.recorded, first) {
                    // Executed and failed (fee charged): with skipPreflight that is a
                    // signature like any other, whose status carries the error.
                    (true, Some(sig)) => {
                        pubsub::publish_transaction(&bank.net, &mut bank.subs, &sig, slot);
                        if skip_preflight {
                            Ok(json!(sig.to_string()))
                        } else {
                            Err(preflight_error(&failure))
                        }
                    }
                    _ => Err(preflight_error(&failure)),
                },
            }
        }
        "simulateTransaction" => simulate_transaction(net, &p),
        "getSignatureStatuses" => {
            let sigs = p.array(0, "signatures")?;
            if sigs.len() > 256 {
                return Err(RpcError::invalid_params("Too many inputs provided; max 256"));
            }
            p.config(1)?;
            let values = sigs
                .iter()
                .map(|s| {
                    let sig = parse_signature(s.as_str().unwrap_or(""))?;
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
        "getTransaction" => {
            let sig = p.signature(0, "signature")?;
            // The second parameter may be a bare encoding (legacy form) or a configuration.
            let (encoding, max_version) = match p.get(1) {
                Some(Value::String(e)) => (tx_encoding(e)?, None),
                _ => {
                    let config = p.config(1)?;
                    let encoding = tx_encoding(config.str("encoding")?.unwrap_or("json"))?;
                    (encoding, config.u64("maxSupportedTransactionVersion")?)
                }
            };
            match net.transaction(&sig) {
                Some(record) => encode::transaction(record, encoding, max_version),
                None => Ok(Value::Null),
            }
        }
        "getSignaturesForAddress" => get_signatures_for_address(net, &p),
        "getBlockTime" => {
            let at = p.u64(0, "slot")?;
            if at > slot {
                return Err(RpcError::new(-32004, format!("Block not available for slot {at}")));
            }
            Ok(json!(net.clock().unix_timestamp))
        }

        // ---- Crucible's own methods ----
        "crucible_warp" => {
            let seconds = p.u64(0, "seconds")?;
            if seconds > MAX_WARP_SECONDS {
                return Err(RpcError::invalid_params(format!(
                    "seconds must be at most {MAX_WARP_SECONDS} (100 years)"
                )));
            }
            let clock = net.warp(seconds);
            pubsub::publish_slot(&mut bank.subs, slot, clock.slot);
            Ok(
                json!({ "slot": clock.slot, "unixTimestamp": clock.unix_timestamp, "epoch": clock.epoch }),
            )
        }
        "crucible_programs" => Ok(Value::Array(
            crate::programs()
                .into_iter()
                .map(|(name, id)| json!({ "name": name, "programId": id.to_string() }))
                .collect(),
        )),
        "crucible_clock" => {
            let c = net.clock();
            Ok(json!({
                "slot": c.slot,
                "epochStartTimestamp": c.epoch_start_timestamp,
                "epoch": c.epoch,
                "leaderScheduleEpoch": c.leader_schedule_epoch,
                "unixTimestamp": c.unix_timestamp,
            }))
        }
        "crucible_stats" => Ok(json!({
            "transactions": net.transaction_count(),
            "historyLen": net.history_len(),
            "slot": slot,
            "blockHeight": net.block_height(),
            "accounts": net.svm().accounts_db().inner.len(),
            "subscriptions": bank.subs.subscription_count(),
            "wsConnections": bank.subs.connection_count(),
            "requests": bank.requests,
        })),
        _ => Err(RpcError::method_not_found()),
    }
}

/// `minContextSlot` in the trailing configuration object of any call.
fn check_min_context_slot(net: &Localnet, p: &Params) -> RpcResult<()> {
    let Some(Value::Object(config)) = p.len().checked_sub(1).and_then(|i| p.get(i)) else {
        return Ok(());
    };
    if let Some(min) = config.get("minContextSlot").and_then(Value::as_u64) {
        let slot = net.slot();
        if min > slot {
            return Err(RpcError::new(-32016, "Minimum context slot has not been reached")
                .with_data(json!({ "contextSlot": slot })));
        }
    }
    Ok(())
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

fn bincode_options() -> impl Options {
    bincode::DefaultOptions::new()
        .with_limit(PACKET_DATA_SIZE as u64)
        .with_fixint_encoding()
        .allow_trailing_bytes()
}

/// A wire transaction in the configured encoding (base58 unless `"encoding": "base64"`).
fn decode_transaction(encoded: &str, config: &Config) -> RpcResult<VersionedTransaction> {
    let too_large = |n: usize| {
        RpcError::invalid_params(format!("transaction too large: {n} bytes > {PACKET_DATA_SIZE}"))
    };
    let bytes = match config.str("encoding")?.unwrap_or("base58") {
        "base58" => {
            if encoded.len() > MAX_BASE58_TX_CHARS {
                // log(58) / log(256) bytes per character.
                return Err(too_large(encoded.len() * 732 / 1000));
            }
            bs58::decode(encoded).into_vec().map_err(|e| {
                RpcError::invalid_params(format!(
                    "failed to decode transaction: invalid base58: {e}"
                ))
            })?
        }
        "base64" => {
            if encoded.len() > MAX_BASE64_TX_CHARS {
                let padding = encoded.bytes().rev().take_while(|&b| b == b'=').count();
                return Err(too_large((encoded.len() / 4 * 3).saturating_sub(padding)));
            }
            decode_base64(encoded).map_err(|e| {
                RpcError::invalid_params(format!("failed to decode transaction: {e}"))
            })?
        }
        other => {
            return Err(RpcError::invalid_params(format!(
                "unsupported transaction encoding {other:?} (expected base58 or base64)"
            )))
        }
    };
    if bytes.len() > PACKET_DATA_SIZE {
        return Err(too_large(bytes.len()));
    }
    bincode_options()
        .deserialize::<VersionedTransaction>(&bytes)
        .map_err(|e| RpcError::invalid_params(format!("failed to deserialize transaction: {e}")))
}

/// What a real node does before it forwards a transaction: refuses duplicates and simulates it
/// (signatures and blockhash checked), so that a failing transaction is answered with -32002 and
/// not executed: no fee, no status.
fn preflight(net: &Localnet, tx: &VersionedTransaction) -> RpcResult<()> {
    if tx.signatures.first().is_some_and(|sig| net.is_processed(sig)) {
        return Err(already_processed());
    }
    match net.simulate_transaction(tx.clone(), true, false) {
        Err(failure) => Err(preflight_error(&failure)),
        Ok(sim) => match sim.err {
            None => Ok(()),
            Some(err) => Err(preflight_error(&TxFailure {
                err,
                logs: sim.logs,
                units_consumed: sim.units_consumed,
                recorded: false,
            })),
        },
    }
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

fn get_fee_for_message(net: &Localnet, p: &Params) -> RpcResult<Value> {
    let encoded = p.str(0, "message")?;
    if encoded.len() > MAX_BASE64_TX_CHARS {
        return Err(RpcError::invalid_params("message too large"));
    }
    let bytes = decode_base64(encoded)
        .map_err(|e| RpcError::invalid_params(format!("failed to decode message: {e}")))?;
    let message: VersionedMessage = bincode_options()
        .deserialize(&bytes)
        .map_err(|e| RpcError::invalid_params(format!("failed to deserialize message: {e}")))?;
    let fee = net
        .is_blockhash_valid(message.recent_blockhash())
        .then(|| LAMPORTS_PER_SIGNATURE * u64::from(message.header().num_required_signatures));
    Ok(with_context(net.slot(), json!(fee)))
}

fn simulate_transaction(net: &Localnet, p: &Params) -> RpcResult<Value> {
    let encoded = p.str(0, "transaction")?;
    let config = p.config(1)?;
    let sig_verify = config.bool("sigVerify")?.unwrap_or(false);
    let replace = config.bool("replaceRecentBlockhash")?.unwrap_or(false);
    if sig_verify && replace {
        return Err(RpcError::invalid_params(
            "sigVerify may not be used with replaceRecentBlockhash",
        ));
    }
    let tx = decode_transaction(encoded, &config)?;
    let accounts_config = config.object("accounts")?;
    let addresses: Option<Vec<Pubkey>> = match accounts_config.get("addresses") {
        None => None,
        Some(list) => {
            let list = list
                .as_array()
                .ok_or_else(|| RpcError::invalid_params("`accounts.addresses` must be an array"))?;
            if list.len() > 256 {
                return Err(RpcError::invalid_params("Too many accounts provided; max 256"));
            }
            Some(
                list.iter()
                    .map(|k| parse_pubkey(k.as_str().unwrap_or(""), "accounts.addresses"))
                    .collect::<RpcResult<_>>()?,
            )
        }
    };
    let accounts_encoding =
        AccountEncoding::from_config(&accounts_config, AccountEncoding::Base64)?;
    if matches!(accounts_encoding, AccountEncoding::Binary | AccountEncoding::Base58) {
        return Err(RpcError::invalid_params(
            "base58 encoding not supported for simulated accounts",
        ));
    }
    let slot = net.slot();
    let replacement = replace.then(|| {
        json!({ "blockhash": net.latest_blockhash().to_string(), "lastValidBlockHeight": net.last_valid_block_height() })
    });
    let value = match net.simulate_transaction(tx, sig_verify, replace) {
        Ok(sim) => {
            let accounts = match addresses {
                None => Value::Null,
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
                                Some(a) => {
                                    use solana_account::ReadableAccount;
                                    (a.lamports() > 0 || a.executable()).then_some(a)
                                }
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
                "innerInstructions": null,
                "replacementBlockhash": replacement,
            })
        }
        Err(failure) => match failure.err {
            TransactionError::SignatureFailure if sig_verify => {
                return Err(RpcError::new(-32003, "Transaction signature verification failure"));
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

fn get_program_accounts(net: &Localnet, p: &Params) -> RpcResult<Value> {
    use solana_account::ReadableAccount;
    let program = p.pubkey(0, "program id")?;
    let config = p.config(1)?;
    let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
    let slice = DataSlice::from_config(&config)?;
    let filters = Filter::parse_list(&config)?;
    let with_ctx = config.bool("withContext")?.unwrap_or(false);
    let values = net
        .program_accounts(&program)
        .into_iter()
        .filter(|(_, a)| filters.iter().all(|f| f.matches(a.owner(), a.data())))
        .map(|(key, account)| {
            Ok(json!({
                "pubkey": key.to_string(),
                "account": encode::account(net, &key, &account, encoding, slice)?,
            }))
        })
        .collect::<RpcResult<Vec<_>>>()?;
    if with_ctx {
        Ok(with_context(net.slot(), Value::Array(values)))
    } else {
        Ok(Value::Array(values))
    }
}

/// `getTokenAccountsByOwner` and `getTokenAccountsByDelegate`.
fn token_accounts_by(net: &Localnet, p: &Params, by_delegate: bool) -> RpcResult<Value> {
    use solana_account::ReadableAccount;
    let who = p.pubkey(0, if by_delegate { "delegate" } else { "owner" })?;
    let filter = p.config(1)?;
    let (mint, program) = match (filter.str("mint")?, filter.str("programId")?) {
        (Some(mint), None) => {
            let mint = parse_pubkey(mint, "mint")?;
            let account = net
                .get_account(&mint)
                .ok_or_else(|| RpcError::invalid_params("could not find mint"))?;
            if encode::mint(&account.owner, &account.data).is_none() {
                return Err(RpcError::invalid_params("not a Token mint"));
            }
            (Some(mint), account.owner)
        }
        (None, Some(program)) => {
            let program = parse_pubkey(program, "programId")?;
            if !encode::is_token_program(&program) {
                return Err(RpcError::invalid_params("unrecognized Token program id"));
            }
            (None, program)
        }
        _ => {
            return Err(RpcError::invalid_params(
                "expected a filter {\"mint\": ...} or {\"programId\": ...}",
            ))
        }
    };
    let config = p.config(2)?;
    let encoding = AccountEncoding::from_config(&config, AccountEncoding::Binary)?;
    let slice = DataSlice::from_config(&config)?;
    let values = net
        .program_accounts(&program)
        .into_iter()
        .filter(|(_, a)| {
            encode::token_account(a.owner(), a.data()).is_some_and(|t| {
                let holder = if by_delegate { t.delegate == Some(who) } else { t.owner == who };
                holder && mint.is_none_or(|m| m == t.mint)
            })
        })
        .map(|(key, account)| {
            Ok(json!({
                "pubkey": key.to_string(),
                "account": encode::account(net, &key, &account, encoding, slice)?,
            }))
        })
        .collect::<RpcResult<Vec<_>>>()?;
    Ok(with_context(net.slot(), Value::Array(values)))
}

fn get_signatures_for_address(net: &Localnet, p: &Params) -> RpcResult<Value> {
    let address = p.pubkey(0, "address")?;
    let config = p.config(1)?;
    let limit = config.u64("limit")?.unwrap_or(1000);
    if limit == 0 || limit > 1000 {
        return Err(RpcError::invalid_params("Invalid limit; max 1000"));
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
                "memo": encode::memo(r),
                "blockTime": r.block_time,
                "confirmationStatus": "finalized",
            })
        })
        .collect();
    Ok(Value::Array(values))
}
