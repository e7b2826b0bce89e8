//! SPL Token methods: balances, supply, accounts by owner or delegate, largest holders.

use serde_json::{json, Value};
use solana_account::ReadableAccount;
use solana_pubkey::Pubkey;

use crate::rpc::bank::Bank;
use crate::rpc::encode::{self, token_amount, with_context};
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::{parse_pubkey, AccountEncoding, DataSlice, Params};
use crate::rpc::token::{is_token_program, load_mint, mint, token_account};

pub(super) fn token_account_balance(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let slot = net.slot();
    let key = p.pubkey(0, "token account")?;
    let account = net
        .get_account(&key)
        .ok_or_else(|| RpcError::params("Invalid param: could not find account"))?;
    let token = token_account(&account.owner, &account.data)
        .ok_or_else(|| RpcError::params("Invalid param: not a Token account"))?;
    let mint = load_mint(net, &token.mint)
        .ok_or_else(|| RpcError::params("Invalid param: could not find mint"))?;
    Ok(with_context(slot, token_amount(token.amount, mint.decimals)))
}

pub(super) fn token_supply(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let slot = net.slot();
    let key = p.pubkey(0, "mint")?;
    // agave (`get_token_supply`): the account first, then whether it is a mint.
    if net.get_account(&key).is_none() {
        return Err(RpcError::params("Invalid param: could not find account"));
    }
    let mint =
        load_mint(net, &key).ok_or_else(|| RpcError::params("Invalid param: not a Token mint"))?;
    Ok(with_context(slot, token_amount(mint.supply, mint.decimals)))
}

pub(super) fn token_largest_accounts(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let slot = net.slot();
    let key = p.pubkey(0, "mint")?;
    let mint_account = net
        .get_account(&key)
        .ok_or_else(|| RpcError::params("Invalid param: could not find mint"))?;
    let mint = mint(&mint_account.owner, &mint_account.data)
        .ok_or_else(|| RpcError::params("Invalid param: not a Token mint"))?;
    let mut holders: Vec<(Pubkey, u64)> = net
        .program_accounts(&mint_account.owner)
        .into_iter()
        .filter_map(|(k, a)| {
            let t = token_account(a.owner(), a.data())?;
            (t.mint == key).then_some((k, t.amount))
        })
        .collect();
    holders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    holders.truncate(20);
    let values: Vec<Value> = holders
        .into_iter()
        .map(|(k, amount)| {
            let mut v = token_amount(amount, mint.decimals);
            v["address"] = json!(k.to_string());
            v
        })
        .collect();
    Ok(with_context(slot, Value::Array(values)))
}

/// `getTokenAccountsByOwner` and `getTokenAccountsByDelegate`.
pub(super) fn token_accounts_by(
    bank: &mut Bank,
    p: &Params,
    by_delegate: bool,
) -> RpcResult<Value> {
    let net = &bank.net;
    let who = p.pubkey(0, if by_delegate { "delegate" } else { "owner" })?;
    let filter = p.config(1)?;
    let (mint, program) = match (filter.str("mint")?, filter.str("programId")?) {
        (Some(mint_key), None) => {
            let mint_key = parse_pubkey(mint_key, "mint")?;
            let account = net
                .get_account(&mint_key)
                .ok_or_else(|| RpcError::params("Invalid param: could not find mint"))?;
            if mint(&account.owner, &account.data).is_none() {
                return Err(RpcError::params("Invalid param: not a Token mint"));
            }
            (Some(mint_key), account.owner)
        }
        (None, Some(program)) => {
            let program = parse_pubkey(program, "programId")?;
            if !is_token_program(&program) {
                return Err(RpcError::params("Invalid param: unrecognized Token program id"));
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
            token_account(a.owner(), a.data()).is_some_and(|t| {
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
