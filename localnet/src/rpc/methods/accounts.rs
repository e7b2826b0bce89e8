//! Accounts: balances, account data, program accounts with filters.

use serde_json::{json, Value};
use solana_account::ReadableAccount;

use crate::rpc::bank::Bank;
use crate::rpc::encode::{self, with_context};
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::{item_str, parse_pubkey, AccountEncoding, DataSlice, Filter, Params};

pub(super) fn balance(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let key = p.pubkey(0, "address")?;
    Ok(with_context(net.slot(), json!(net.get_balance(&key))))
}

pub(super) fn account_info(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let slot = net.slot();
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

pub(super) fn multiple_accounts(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let slot = net.slot();
    let keys = p.array(0, "addresses")?;
    if keys.len() > 100 {
        return Err(RpcError::params("Too many inputs provided; max 100"));
    }
    let keys = keys
        .iter()
        .map(|k| parse_pubkey(item_str(k, "addresses")?, "address"))
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

pub(super) fn program_accounts(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
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
