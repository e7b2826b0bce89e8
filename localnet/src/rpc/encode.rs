//! Accounts, SPL Token state and transactions as the Solana RPC writes them.

use serde_json::{json, Value};
use solana_account::ReadableAccount;
use solana_message::{compiled_instruction::CompiledInstruction, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_transaction_error::TransactionError;

use super::params::{encode_base64, AccountEncoding, DataSlice, RpcError, RpcResult};
use super::SOLANA_CORE_VERSION;
use crate::{spl, Localnet, TxRecord};

/// `{"slot": N, "apiVersion": "2.3.13"}`
pub fn context(slot: u64) -> Value {
    json!({ "slot": slot, "apiVersion": SOLANA_CORE_VERSION })
}

/// A result "with context".
pub fn with_context(slot: u64, value: Value) -> Value {
    json!({ "context": context(slot), "value": value })
}

/// A `TransactionError` exactly as Solana serializes it.
pub fn tx_error(err: &TransactionError) -> Value {
    serde_json::to_value(err).unwrap_or_else(|_| Value::String(format!("{err:?}")))
}

pub fn opt_tx_error(err: Option<&TransactionError>) -> Value {
    err.map(tx_error).unwrap_or(Value::Null)
}

/// `{"Ok": null}` or `{"Err": ...}`
pub fn status(err: Option<&TransactionError>) -> Value {
    match err {
        None => json!({ "Ok": null }),
        Some(err) => json!({ "Err": tx_error(err) }),
    }
}

/// Largest account data the base58 encodings accept (as the real RPC).
const MAX_BASE58_BYTES: usize = 128;

/// An account as `getAccountInfo` writes it.
pub fn account(
    net: &Localnet,
    pubkey: &Pubkey,
    account: &impl ReadableAccount,
    encoding: AccountEncoding,
    slice: Option<DataSlice>,
) -> RpcResult<Value> {
    let data = account.data();
    let encoded = match encoding {
        AccountEncoding::JsonParsed => match parse_account(net, pubkey, account.owner(), data) {
            Some(parsed) => parsed,
            None => json!([encode_base64(DataSlice::apply(slice, data)), "base64"]),
        },
        AccountEncoding::Base64 => json!([encode_base64(DataSlice::apply(slice, data)), "base64"]),
        AccountEncoding::Base58 | AccountEncoding::Binary => {
            let bytes = DataSlice::apply(slice, data);
            if bytes.len() > MAX_BASE58_BYTES {
                return Err(RpcError::invalid_params(
                    "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
                ));
            }
            let text = bs58::encode(bytes).into_string();
            if encoding == AccountEncoding::Binary {
                Value::String(text)
            } else {
                json!([text, "base58"])
            }
        }
    };
    Ok(json!({
        "data": encoded,
        "executable": account.executable(),
        "lamports": account.lamports(),
        "owner": account.owner().to_string(),
        "rentEpoch": account.rent_epoch(),
        "space": data.len(),
    }))
}

/// What a deleted (or never created) account looks like in a notification.
pub fn empty_account() -> solana_account::Account {
    solana_account::Account {
        lamports: 0,
        data: Vec::new(),
        owner: Pubkey::default(),
        executable: false,
        rent_epoch: 0,
    }
}

// ---- SPL Token state -------------------------------------------------------------------------

pub fn is_token_program(owner: &Pubkey) -> bool {
    *owner == spl::TOKEN || *owner == spl::TOKEN_2022
}

const MINT_LEN: usize = 82;
const ACCOUNT_LEN: usize = 165;

/// An SPL Token (or Token-2022) account's base state.
pub struct TokenAccount {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub delegate: Option<Pubkey>,
    pub state: u8,
    pub is_native: Option<u64>,
    pub delegated_amount: u64,
    pub close_authority: Option<Pubkey>,
}

/// An SPL Token (or Token-2022) mint's base state.
pub struct Mint {
    pub mint_authority: Option<Pubkey>,
    pub supply: u64,
    pub decimals: u8,
    pub is_initialized: bool,
    pub freeze_authority: Option<Pubkey>,
}

fn pubkey_at(data: &[u8], at: usize) -> Pubkey {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&data[at..at + 32]);
    Pubkey::new_from_array(bytes)
}

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[at..at + 8]);
    u64::from_le_bytes(bytes)
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&data[at..at + 4]);
    u32::from_le_bytes(bytes)
}

/// `COption<Pubkey>`: 4-byte tag then 32 bytes. `None` if malformed.
fn coption_pubkey(data: &[u8], at: usize) -> Option<Option<Pubkey>> {
    match u32_at(data, at) {
        0 => Some(None),
        1 => Some(Some(pubkey_at(data, at + 4))),
        _ => None,
    }
}

fn coption_u64(data: &[u8], at: usize) -> Option<Option<u64>> {
    match u32_at(data, at) {
        0 => Some(None),
        1 => Some(Some(u64_at(data, at + 4))),
        _ => None,
    }
}

/// The account type byte of Token-2022 extended state (1 mint, 2 account).
fn account_type(owner: &Pubkey, data: &[u8]) -> Option<u8> {
    if *owner == spl::TOKEN_2022 && data.len() > ACCOUNT_LEN {
        Some(data[ACCOUNT_LEN])
    } else {
        None
    }
}

/// The initialized token account in `data`, if `owner` is a token program and it is one.
pub fn token_account(owner: &Pubkey, data: &[u8]) -> Option<TokenAccount> {
    if !is_token_program(owner) {
        return None;
    }
    let shaped = data.len() == ACCOUNT_LEN || account_type(owner, data) == Some(2);
    if !shaped {
        return None;
    }
    let state = data[108];
    if state == 0 || state > 2 {
        return None;
    }
    Some(TokenAccount {
        mint: pubkey_at(data, 0),
        owner: pubkey_at(data, 32),
        amount: u64_at(data, 64),
        delegate: coption_pubkey(data, 72)?,
        state,
        is_native: coption_u64(data, 109)?,
        delegated_amount: u64_at(data, 121),
        close_authority: coption_pubkey(data, 129)?,
    })
}

/// The initialized mint in `data`, if `owner` is a token program and it is one.
pub fn mint(owner: &Pubkey, data: &[u8]) -> Option<Mint> {
    if !is_token_program(owner) {
        return None;
    }
    let shaped = data.len() == MINT_LEN || account_type(owner, data) == Some(1);
    if !shaped || data[45] != 1 {
        return None;
    }
    Some(Mint {
        mint_authority: coption_pubkey(data, 0)?,
        supply: u64_at(data, 36),
        decimals: data[44],
        is_initialized: true,
        freeze_authority: coption_pubkey(data, 46)?,
    })
}

/// The mint of `mint_key` from the chain.
pub fn load_mint(net: &Localnet, mint_key: &Pubkey) -> Option<Mint> {
    let account = net.get_account(mint_key)?;
    mint(&account.owner, &account.data)
}

/// `amount` with `decimals` places, trailing zeros trimmed (`uiAmountString`).
pub fn ui_amount_string(amount: u64, decimals: u8) -> String {
    let decimals = usize::from(decimals);
    if decimals == 0 {
        return amount.to_string();
    }
    let mut s = format!("{:0width$}", amount, width = decimals + 1);
    s.insert(s.len() - decimals, '.');
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// `{amount, decimals, uiAmount, uiAmountString}`
pub fn token_amount(amount: u64, decimals: u8) -> Value {
    let ui = amount as f64 / 10f64.powi(i32::from(decimals));
    json!({
        "amount": amount.to_string(),
        "decimals": decimals,
        "uiAmount": ui,
        "uiAmountString": ui_amount_string(amount, decimals),
    })
}

fn program_name(owner: &Pubkey) -> &'static str {
    if *owner == spl::TOKEN_2022 {
        "spl-token-2022"
    } else {
        "spl-token"
    }
}

/// `jsonParsed` data for SPL Token accounts and mints; `None` for anything else.
fn parse_account(net: &Localnet, _pubkey: &Pubkey, owner: &Pubkey, data: &[u8]) -> Option<Value> {
    if let Some(acc) = token_account(owner, data) {
        let decimals = load_mint(net, &acc.mint)?.decimals;
        let mut info = json!({
            "isNative": acc.is_native.is_some(),
            "mint": acc.mint.to_string(),
            "owner": acc.owner.to_string(),
            "state": if acc.state == 2 { "frozen" } else { "initialized" },
            "tokenAmount": token_amount(acc.amount, decimals),
        });
        if let Some(delegate) = acc.delegate {
            info["delegate"] = json!(delegate.to_string());
            info["delegatedAmount"] = token_amount(acc.delegated_amount, decimals);
        }
        if let Some(reserve) = acc.is_native {
            info["rentExemptReserve"] = token_amount(reserve, decimals);
        }
        if let Some(close) = acc.close_authority {
            info["closeAuthority"] = json!(close.to_string());
        }
        return Some(json!({
            "program": program_name(owner),
            "parsed": { "info": info, "type": "account" },
            "space": data.len(),
        }));
    }
    if let Some(m) = mint(owner, data) {
        return Some(json!({
            "program": program_name(owner),
            "parsed": {
                "info": {
                    "decimals": m.decimals,
                    "freezeAuthority": m.freeze_authority.map(|k| k.to_string()),
                    "isInitialized": m.is_initialized,
                    "mintAuthority": m.mint_authority.map(|k| k.to_string()),
                    "supply": m.supply.to_string(),
                },
                "type": "mint",
            },
            "space": data.len(),
        }));
    }
    None
}

// ---- Transactions ----------------------------------------------------------------------------

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
        "preTokenBalances": [],
        "postTokenBalances": [],
        "rewards": [],
        "loadedAddresses": { "writable": [], "readonly": [] },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_amount_strings() {
        assert_eq!(ui_amount_string(0, 0), "0");
        assert_eq!(ui_amount_string(0, 6), "0");
        assert_eq!(ui_amount_string(1_500_000, 6), "1.5");
        assert_eq!(ui_amount_string(1_000_000_000, 9), "1");
        assert_eq!(ui_amount_string(1, 9), "0.000000001");
        assert_eq!(ui_amount_string(123, 0), "123");
        assert_eq!(ui_amount_string(u64::MAX, 255).len(), 257);
    }

    #[test]
    fn errors_serialize_like_solana() {
        use solana_instruction::error::InstructionError;
        assert_eq!(tx_error(&TransactionError::BlockhashNotFound), json!("BlockhashNotFound"));
        assert_eq!(
            tx_error(&TransactionError::InstructionError(0, InstructionError::Custom(6001))),
            json!({"InstructionError": [0, {"Custom": 6001}]})
        );
        assert_eq!(
            tx_error(&TransactionError::InstructionError(2, InstructionError::InvalidArgument)),
            json!({"InstructionError": [2, "InvalidArgument"]})
        );
        assert_eq!(
            tx_error(&TransactionError::InsufficientFundsForRent { account_index: 1 }),
            json!({"InsufficientFundsForRent": {"account_index": 1}})
        );
    }
}
