//! Surfpool's cheatcodes, with its names, parameters and results (solana-foundation/surfpool,
//! `crates/core/src/rpc/surfnet_cheatcodes.rs`): `surfnet_timeTravel`, `surfnet_setAccount`,
//! `surfnet_setTokenAccount`. Where surfpool accepts input that cannot mean anything (an unknown
//! field, a token program that is not one, a mint that does not exist) these refuse it with
//! -32602 and change nothing; localnet/README.md lists the differences.

use serde_json::{json, Map, Value};
use solana_account::Account;
use solana_pubkey::Pubkey;

use crate::rpc::bank::Bank;
use crate::rpc::constants::MAX_PERMITTED_DATA_LENGTH;
use crate::rpc::encode::{self, with_context};
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::{as_u64, parse_surfnet_pubkey, Config, Params};
use crate::rpc::subscriptions::publish::{publish_accounts, publish_slot};
use crate::rpc::token::{self, TokenAccount, ACCOUNT_LEN};
use crate::{spl, TimeTravel, TimeTravelError};

/// Where a time travel without a configuration goes: one hour ahead (surfpool: the wall clock
/// plus one hour, the same while its clock follows the wall clock).
const DEFAULT_TRAVEL_MS: u64 = 3_600_000;

/// `surfnet_timeTravel [config?]`: `config` is one of `{"absoluteEpoch": n}`,
/// `{"absoluteSlot": n}`, `{"absoluteTimestamp": unix ms}`; the answer is `getEpochInfo`'s.
pub(super) fn time_travel(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    at_most(p, 1)?;
    let to =
        match p.get(0) {
            None => TimeTravel::AbsoluteTimestamp(bank.net.now_millis() + DEFAULT_TRAVEL_MS),
            Some(Value::Object(config)) => travel_target(config)?,
            Some(_) => return Err(RpcError::invalid_params(
                "the time travel config must be an object: {\"absoluteEpoch\" | \"absoluteSlot\" \
                 | \"absoluteTimestamp\": <non-negative integer>}",
            )),
        };
    let parent = bank.net.slot();
    let clock = bank.net.time_travel(to).map_err(travel_error)?;
    publish_slot(&bank.net, &mut bank.subs, parent, clock.slot);
    Ok(encode::epoch_info(&bank.net))
}

const TRAVEL_VARIANTS: &str = "`absoluteEpoch`, `absoluteSlot`, `absoluteTimestamp`";

fn travel_target(config: &Map<String, Value>) -> RpcResult<TimeTravel> {
    let mut entries = config.iter();
    let (Some((key, value)), None) = (entries.next(), entries.next()) else {
        return Err(RpcError::invalid_params(format!(
            "the time travel config must have exactly one of {TRAVEL_VARIANTS}"
        )));
    };
    let n = as_u64(value, &format!("`{key}`"))?;
    match key.as_str() {
        "absoluteEpoch" => Ok(TimeTravel::AbsoluteEpoch(n)),
        "absoluteSlot" => Ok(TimeTravel::AbsoluteSlot(n)),
        "absoluteTimestamp" => Ok(TimeTravel::AbsoluteTimestamp(n)),
        _ => Err(RpcError::invalid_params(format!(
            "unknown variant `{key}`, expected one of {TRAVEL_VARIANTS}"
        ))),
    }
}

/// A travel into the past is surfpool's internal error (-32603) with the reason as `data`; a
/// travel too far is bad params.
fn travel_error(e: TimeTravelError) -> RpcError {
    match e {
        TimeTravelError::TooFar => RpcError::invalid_params(e),
        _ => RpcError::internal(&e).with_data(json!(e.to_string())),
    }
}

const ACCOUNT_FIELDS: &[&str] = &["lamports", "data", "owner", "executable", "rentEpoch"];

/// `surfnet_setAccount [pubkey, update]`: `update` has any of `lamports`, `data` (hex),
/// `owner` (base58), `executable`, `rentEpoch`. With all five the account is replaced;
/// otherwise they are applied to the account there (or to an empty system account). 0 lamports
/// removes the account. Answers `{context, value: null}`.
pub(super) fn set_account(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    at_most(p, 2)?;
    let key = parse_surfnet_pubkey(p.str(0, "pubkey")?)?;
    let update = object(p, 1, "update")?;
    only_fields(&update, ACCOUNT_FIELDS, "account update")?;
    let lamports = update.u64("lamports")?;
    let data = update.str("data")?.map(decode_hex).transpose()?;
    if let Some(data) = &data {
        if data.len() as u64 > MAX_PERMITTED_DATA_LENGTH {
            return Err(RpcError::invalid_params(format!(
                "data is {} bytes, more than the maximum account size {MAX_PERMITTED_DATA_LENGTH}",
                data.len()
            )));
        }
    }
    let owner = update.str("owner")?.map(parse_surfnet_pubkey).transpose()?;
    let executable = update.bool("executable")?;
    let rent_epoch = update.u64("rentEpoch")?;

    let mut account = bank
        .net
        .svm()
        .get_account(&key)
        .unwrap_or_else(|| Account::new(0, 0, &solana_sdk_ids::system_program::id()));
    if let Some(lamports) = lamports {
        account.lamports = lamports;
    }
    if let Some(data) = data {
        account.data = data;
    }
    if let Some(owner) = owner {
        account.owner = owner;
    }
    if let Some(executable) = executable {
        account.executable = executable;
    }
    if let Some(rent_epoch) = rent_epoch {
        account.rent_epoch = rent_epoch;
    }
    bank.net
        .try_set_account(key, account)
        .map_err(|e| RpcError::invalid_params(format!("the account {key} cannot be set: {e}")))?;
    publish_accounts(&mut bank.subs, &[key]);
    Ok(with_context(bank.net.slot(), Value::Null))
}

const TOKEN_FIELDS: &[&str] = &["amount", "delegate", "state", "delegatedAmount", "closeAuthority"];

/// `surfnet_setTokenAccount [owner, mint, update, tokenProgram?]`: sets fields of the
/// associated token account of `owner` for `mint` (created, initialized and rent-exempt, if
/// absent). `update` has any of `amount`, `delegate` and `closeAuthority` (base58, or the
/// string "null" to unset), `state` ("uninitialized", "initialized", "frozen"),
/// `delegatedAmount`. `tokenProgram` defaults to SPL Token. Answers `{context, value: null}`.
pub(super) fn set_token_account(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    at_most(p, 4)?;
    let owner = parse_surfnet_pubkey(p.str(0, "owner")?)?;
    let mint = parse_surfnet_pubkey(p.str(1, "mint")?)?;
    let update = object(p, 2, "update")?;
    only_fields(&update, TOKEN_FIELDS, "token account update")?;
    let program = match p.get(3) {
        None => spl::TOKEN,
        Some(_) => parse_surfnet_pubkey(p.str(3, "token program")?)?,
    };
    if !token::is_token_program(&program) {
        return Err(RpcError::invalid_params(format!(
            "token program {program} is neither SPL Token ({}) nor Token-2022 ({})",
            spl::TOKEN,
            spl::TOKEN_2022
        )));
    }
    let amount = update.u64("amount")?;
    let delegate = optional_key(&update, "delegate")?;
    let state = update.str("state")?.map(token_state).transpose()?;
    let delegated_amount = update.u64("delegatedAmount")?;
    let close_authority = optional_key(&update, "closeAuthority")?;

    let net = &bank.net;
    match net.get_account(&mint) {
        None => return Err(RpcError::invalid_params(format!("mint {mint} does not exist"))),
        Some(a) if a.owner != program => {
            return Err(RpcError::invalid_params(format!(
                "mint {mint} is owned by {}, not by the token program {program}",
                a.owner
            )))
        }
        Some(a) if token::mint(&a.owner, &a.data).is_none() => {
            return Err(RpcError::invalid_params(format!("{mint} is not an initialized mint")))
        }
        Some(_) => {}
    }
    let address = spl::associated_token_address(&owner, &mint, &program);
    let native = mint == spl::NATIVE_MINT || mint == spl::NATIVE_MINT_2022;
    let (mut account, mut state_now) = match net.get_account(&address) {
        Some(existing) => {
            let parsed = (existing.owner == program)
                .then(|| token::token_account(&existing.owner, &existing.data))
                .flatten();
            let Some(parsed) = parsed else {
                return Err(RpcError::invalid_params(format!(
                    "{address} (the associated token account of {owner} for {mint}) is not an \
                     initialized token account of {program}"
                )));
            };
            (existing, parsed)
        }
        None => {
            let rent = net.minimum_balance_for_rent_exemption(ACCOUNT_LEN);
            let fresh = TokenAccount {
                mint,
                owner,
                amount: 0,
                delegate: None,
                state: 1,
                is_native: native.then_some(rent),
                delegated_amount: 0,
                close_authority: None,
            };
            (Account::new(rent, ACCOUNT_LEN, &program), fresh)
        }
    };
    if let Some(amount) = amount {
        state_now.amount = amount;
    }
    if let Some(delegate) = delegate {
        state_now.delegate = delegate;
    }
    if let Some(state) = state {
        state_now.state = state;
    }
    if let Some(delegated_amount) = delegated_amount {
        state_now.delegated_amount = delegated_amount;
    }
    if let Some(close_authority) = close_authority {
        state_now.close_authority = close_authority;
    }
    // Wrapped SOL holds its amount in lamports, above the rent-exempt reserve.
    if let Some(reserve) = state_now.is_native {
        account.lamports = reserve.checked_add(state_now.amount).ok_or_else(|| {
            RpcError::invalid_params("amount plus the rent-exempt reserve overflows u64")
        })?;
    }
    token::write_token_account(&mut account.data, &state_now);
    bank.net.try_set_account(address, account).map_err(|e| {
        RpcError::invalid_params(format!("the token account {address} cannot be set: {e}"))
    })?;
    publish_accounts(&mut bank.subs, &[address]);
    Ok(with_context(bank.net.slot(), Value::Null))
}

fn token_state(s: &str) -> RpcResult<u8> {
    match s {
        "uninitialized" => Ok(0),
        "initialized" => Ok(1),
        "frozen" => Ok(2),
        // surfpool's message
        _ => Err(RpcError::invalid_params(format!("Invalid token account state {s}"))),
    }
}

/// A key field that may be unset: a base58 key, or the string "null" (surfpool's
/// `SetSomeAccount`). `None` when absent.
fn optional_key(update: &Config, field: &str) -> RpcResult<Option<Option<Pubkey>>> {
    match update.str(field)? {
        None => Ok(None),
        Some("null") => Ok(Some(None)),
        Some(s) => Ok(Some(Some(parse_surfnet_pubkey(s)?))),
    }
}

/// The required configuration object at `i`.
fn object<'a>(p: &Params<'a>, i: usize, what: &str) -> RpcResult<Config<'a>> {
    match p.required(i, what)? {
        Value::Object(map) => Ok(Config(Some(map))),
        _ => Err(RpcError::invalid_params(format!("{what} must be an object"))),
    }
}

/// Refuses a field `object` does not know (surfpool ignores it: a typo would change nothing
/// without saying so).
fn only_fields(object: &Config, known: &[&str], what: &str) -> RpcResult<()> {
    for key in object.0.into_iter().flat_map(|m| m.keys()) {
        if !known.contains(&key.as_str()) {
            return Err(RpcError::invalid_params(format!(
                "unknown field `{key}` in the {what}, expected one of {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

fn at_most(p: &Params, n: usize) -> RpcResult<()> {
    if p.len() > n {
        return Err(RpcError::invalid_params(format!(
            "expected at most {n} parameters, got {}",
            p.len()
        )));
    }
    Ok(())
}

/// Account data as surfpool takes it: hex, two digits a byte (upper or lower case).
fn decode_hex(s: &str) -> RpcResult<Vec<u8>> {
    let invalid =
        |why: String| RpcError::invalid_params(format!("Invalid hex data provided: {why}"));
    if !s.len().is_multiple_of(2) {
        return Err(invalid(format!("odd number of digits ({})", s.len())));
    }
    s.as_bytes()
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| {
            let digit = |c: u8| (c as char).to_digit(16);
            match (digit(pair[0]), digit(pair[1])) {
                (Some(hi), Some(lo)) => Ok((hi * 16 + lo) as u8),
                _ => Err(invalid(format!("invalid character at {}", 2 * i))),
            }
        })
        .collect()
}
