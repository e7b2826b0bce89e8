//! Values as the Solana RPC writes them: the context of a result, transaction errors and
//! statuses, accounts in each encoding (with `jsonParsed` SPL Token state), token amounts.

use serde_json::{json, Value};
use solana_account::ReadableAccount;
use solana_epoch_schedule::EpochSchedule;
use solana_pubkey::Pubkey;
use solana_transaction_error::TransactionError;

use super::constants::SOLANA_CORE_VERSION;
use super::jsonrpc::{RpcError, RpcResult};
use super::params::{encode_base64, AccountEncoding, DataSlice};
use super::token::{load_mint, mint, token_account};
use crate::{spl, Localnet};

/// `{"slot": N, "apiVersion": "2.3.13"}`
pub fn context(slot: u64) -> Value {
    json!({ "slot": slot, "apiVersion": SOLANA_CORE_VERSION })
}

/// A result "with context".
pub fn with_context(slot: u64, value: Value) -> Value {
    json!({ "context": context(slot), "value": value })
}

/// `getEpochInfo`'s answer (also what surfpool's clock cheatcodes return).
pub fn epoch_info(net: &Localnet) -> Value {
    let slot = net.slot();
    let s: EpochSchedule = net.svm().get_sysvar();
    let (epoch, slot_index) = s.get_epoch_and_slot_index(slot);
    json!({
        "absoluteSlot": slot,
        "blockHeight": net.block_height(),
        "epoch": epoch,
        "slotIndex": slot_index,
        "slotsInEpoch": s.get_slots_in_epoch(epoch),
        "transactionCount": net.transaction_count(),
    })
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
        // As agave's `encode_ui_account` compresses (a zstd stream at level 0), base64 of the
        // whole data should compression fail.
        AccountEncoding::Base64Zstd => {
            let bytes = DataSlice::apply(slice, data);
            let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 0)
                .map_err(|e| RpcError::internal(format!("zstd: {e}")))?;
            match std::io::Write::write_all(&mut encoder, bytes).and_then(|()| encoder.finish()) {
                Ok(compressed) => json!([encode_base64(&compressed), "base64+zstd"]),
                Err(_) => json!([encode_base64(data), "base64"]),
            }
        }
        AccountEncoding::Base58 | AccountEncoding::Binary => {
            let bytes = DataSlice::apply(slice, data);
            if bytes.len() > MAX_BASE58_BYTES {
                // agave's `encode_account`: `InvalidRequest` with this message.
                return Err(RpcError::new(
                    -32600,
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
        "rentEpoch": rent_epoch(account),
        "space": data.len(),
    }))
}

/// The rent epoch agave 2.3 reports: every account that holds lamports is rent-exempt, and the
/// runtime marks a rent-exempt account with `u64::MAX` (`RENT_EXEMPT_RENT_EPOCH`); LiteSVM leaves
/// the 0 an account was created with, so a 0 is reported as `u64::MAX`. A rent epoch set
/// explicitly (`surfnet_setAccount`'s `rentEpoch`) is reported as set, as surfpool does; a
/// deleted account (no lamports) keeps its own (0).
fn rent_epoch(account: &impl ReadableAccount) -> u64 {
    if account.lamports() > 0 && account.rent_epoch() == 0 {
        u64::MAX
    } else {
        account.rent_epoch()
    }
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
