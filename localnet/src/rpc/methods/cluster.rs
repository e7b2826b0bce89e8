//! The cluster, as a one-node solana-test-validator answers for it: supply and largest accounts,
//! inflation, stake minimum delegation, snapshots and performance samples; the leader schedule,
//! block production, vote accounts and cluster nodes are in `leaders`; `verify` checks
//! parameters as agave does.
//!
//! Parameter checks, error codes and messages are agave 2.3's (`rpc/src/rpc.rs`,
//! `rpc-client-api`): a message agave builds itself is copied exactly, with no `Invalid params:`
//! prefix (`jsonrpc_core::Error::invalid_params` adds none).

mod leaders;
mod verify;

use std::collections::HashSet;

use serde_json::{json, Value};
use solana_account::ReadableAccount;
use solana_epoch_schedule::EpochSchedule;
use solana_inflation::Inflation;
use solana_pubkey::Pubkey;
use solana_stake_interface::state::StakeStateV2;

pub(super) use leaders::{
    block_commitment, block_production, cluster_nodes, leader_schedule, slot_leaders, vote_accounts,
};

use crate::rpc::bank::Bank;
use crate::rpc::encode::with_context;
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::Params;
use crate::Localnet;
use verify::{invalid_params, verify_pubkey};

/// Accounts `getLargestAccounts` lists (agave's `NUM_LARGEST_ACCOUNTS`).
const NUM_LARGEST_ACCOUNTS: usize = 20;
/// Most performance samples served (agave's `PERFORMANCE_SAMPLES_LIMIT`).
const PERFORMANCE_SAMPLES_LIMIT: u64 = 720;
/// -32008, agave's `JSON_RPC_SERVER_ERROR_NO_SNAPSHOT`.
const NO_SNAPSHOT: i64 = -32008;
/// -32004, agave's `JSON_RPC_SERVER_ERROR_BLOCK_NOT_AVAILABLE`.
const BLOCK_NOT_AVAILABLE: i64 = -32004;

/// The inflation the chain's genesis has: solana-test-validator's genesis keeps
/// `GenesisConfig::default()`'s, which is `Inflation::default()` (8 % initial, 1.5 % terminal,
/// 15 % taper, 5 % foundation for 7 years). The full- and pico-inflation features are active from
/// genesis there, so no activation ever replaces it.
fn inflation() -> Inflation {
    Inflation::default()
}

/// The genesis' slots per year: `GenesisConfig::default()`'s PoH (160 ticks a second, 64 ticks a
/// slot: 2.5 slots a second, the 400 ms of a slot here).
fn slots_per_year() -> f64 {
    let tick = std::time::Duration::from_micros(1_000_000 / solana_clock::DEFAULT_TICKS_PER_SECOND);
    solana_time_utils::years_as_slots(1.0, &tick, solana_clock::DEFAULT_TICKS_PER_SLOT)
}

/// The addresses agave counts as non-circulating that exist here: stake accounts whose lockup is
/// in force. (Agave also lists mainnet's hard-coded non-circulating addresses and stake accounts
/// withdrawable by mainnet's auto-stake authorities; none of them exists on a local chain, so
/// they hold no lamports.)
fn non_circulating(net: &Localnet) -> (u64, Vec<Pubkey>) {
    let clock = net.clock();
    let mut lamports = 0u64;
    let mut keys = Vec::new();
    for (key, account) in net.program_accounts(&solana_sdk_ids::stake::id()) {
        let meta = match bincode::deserialize::<StakeStateV2>(account.data()) {
            Ok(StakeStateV2::Initialized(meta)) | Ok(StakeStateV2::Stake(meta, _, _)) => meta,
            _ => continue,
        };
        if meta.lockup.is_in_force(&clock, None) {
            lamports = lamports.saturating_add(account.lamports());
            keys.push(key);
        }
    }
    (lamports, keys)
}

pub(super) fn supply(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let config = p.config(0)?;
    let exclude = config.bool("excludeNonCirculatingAccountsList")?.unwrap_or(false);
    let total = net.capitalization();
    let (non_circulating, accounts) = non_circulating(net);
    let accounts: Vec<String> =
        if exclude { Vec::new() } else { accounts.iter().map(Pubkey::to_string).collect() };
    Ok(with_context(
        net.slot(),
        json!({
            "total": total,
            "circulating": total.saturating_sub(non_circulating),
            "nonCirculating": non_circulating,
            "nonCirculatingAccounts": accounts,
        }),
    ))
}

pub(super) fn largest_accounts(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let config = p.config(0)?;
    // `Some(true)`: only the non-circulating ones; `Some(false)`: only the circulating ones.
    let only_non_circulating = match config.get("filter") {
        None => None,
        Some(Value::String(s)) if s == "circulating" => Some(false),
        Some(Value::String(s)) if s == "nonCirculating" => Some(true),
        Some(Value::String(s)) => {
            return Err(invalid_params(format!(
                "Invalid params: unknown variant `{s}`, expected `circulating` or `nonCirculating`."
            )))
        }
        Some(other) => {
            return Err(invalid_params(format!(
                "Invalid params: invalid type: {other}, expected a filter (`circulating` or `nonCirculating`)."
            )))
        }
    };
    config.bool("sortResults")?;
    let excluded: HashSet<Pubkey> = match only_non_circulating {
        None => HashSet::new(),
        Some(_) => non_circulating(net).1.into_iter().collect(),
    };
    let mut accounts: Vec<(u64, Pubkey)> = net
        .svm()
        .accounts_db()
        .inner
        .iter()
        .filter(|(_, a)| a.lamports() > 0)
        .filter(|(k, _)| match only_non_circulating {
            None => true,
            Some(only) => excluded.contains(*k) == only,
        })
        .map(|(k, a)| (a.lamports(), *k))
        .collect();
    // Largest first; ties in descending address order, as agave's heap gives them.
    accounts.sort_unstable_by(|a, b| b.cmp(a));
    accounts.truncate(NUM_LARGEST_ACCOUNTS);
    let value: Vec<Value> = accounts
        .iter()
        .map(|(lamports, key)| json!({ "address": key.to_string(), "lamports": lamports }))
        .collect();
    Ok(with_context(net.slot(), Value::Array(value)))
}

pub(super) fn inflation_governor(_: &mut Bank, _: &Params) -> RpcResult<Value> {
    let i = inflation();
    Ok(json!({
        "initial": i.initial,
        "terminal": i.terminal,
        "taper": i.taper,
        "foundation": i.foundation,
        "foundationTerm": i.foundation_term,
    }))
}

/// The year of inflation an epoch is in, as a bank computes it (`slot_in_year_for_inflation`):
/// the slots from the start of inflation (genesis: every inflation feature is active from slot 0)
/// to the first slot of the epoch, in years.
fn inflation_year(schedule: &EpochSchedule, epoch: u64) -> f64 {
    schedule.get_first_slot_in_epoch(epoch) as f64 / slots_per_year()
}

pub(super) fn inflation_rate(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    let schedule: EpochSchedule = bank.net.svm().get_sysvar();
    let epoch = bank.net.clock().epoch;
    let year = inflation_year(&schedule, epoch);
    let i = inflation();
    Ok(json!({
        "total": i.total(year),
        "validator": i.validator(year),
        "foundation": i.foundation(year),
        "epoch": epoch,
    }))
}

/// `getInflationReward`: rewards of an epoch are credited in the first block of the next one,
/// so an epoch that has not ended is "Block not available" for that block's slot, as on the
/// validator. This chain pays no inflation rewards: for an ended epoch every address is `null`.
pub(super) fn inflation_reward(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let addresses = p.array(0, "addresses")?;
    for address in addresses {
        let s = address.as_str().ok_or_else(|| {
            invalid_params(format!("Invalid params: invalid type: {address}, expected a string."))
        })?;
        verify_pubkey(s)?;
    }
    let config = p.config(1)?;
    let schedule: EpochSchedule = net.svm().get_sysvar();
    let slot = net.slot();
    let epoch = match config.u64("epoch")? {
        Some(epoch) => epoch,
        None => schedule.get_epoch(slot).saturating_sub(1),
    };
    let boundary = schedule.get_first_slot_in_epoch(epoch.saturating_add(1));
    if boundary > slot {
        return Err(RpcError::new(
            BLOCK_NOT_AVAILABLE,
            format!("Block not available for slot {boundary}"),
        ));
    }
    Ok(Value::Array(vec![Value::Null; addresses.len()]))
}

pub(super) fn stake_minimum_delegation(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let raised =
        net.is_feature_active(&agave_feature_set::stake_raise_minimum_delegation_to_1_sol::id());
    Ok(with_context(net.slot(), json!(solana_stake_program::get_minimum_delegation(raised))))
}

/// No snapshot is ever written: agave's answer for a node without one.
pub(super) fn highest_snapshot_slot(_: &mut Bank, _: &Params) -> RpcResult<Value> {
    Err(RpcError::new(NO_SNAPSHOT, "No snapshot"))
}

/// No samples are kept; the limit is checked as agave checks it.
pub(super) fn recent_performance_samples(_: &mut Bank, p: &Params) -> RpcResult<Value> {
    if let Some(limit) = p.get(0) {
        let limit = limit.as_u64().ok_or_else(|| {
            invalid_params(format!("Invalid params: invalid type: {limit}, expected usize."))
        })?;
        if limit > PERFORMANCE_SAMPLES_LIMIT {
            return Err(invalid_params(format!("Invalid limit; max {PERFORMANCE_SAMPLES_LIMIT}")));
        }
    }
    Ok(json!([]))
}
