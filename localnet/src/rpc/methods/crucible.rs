//! Crucible's own methods: the clock warp, the clock, the programs loaded, server statistics.

use serde_json::{json, Value};

use crate::rpc::bank::Bank;
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::Params;
use crate::rpc::subscriptions::publish_slot;

/// Longest `crucible_warp` accepted: 100 years.
pub const MAX_WARP_SECONDS: u64 = 100 * 31_557_600;

pub(super) fn warp(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let slot = bank.net.slot();
    let seconds = p.u64(0, "seconds")?;
    if seconds > MAX_WARP_SECONDS {
        return Err(RpcError::invalid_params(format!(
            "seconds must be at most {MAX_WARP_SECONDS} (100 years)"
        )));
    }
    let clock = bank.net.warp(seconds);
    publish_slot(&mut bank.subs, slot, clock.slot);
    Ok(json!({ "slot": clock.slot, "unixTimestamp": clock.unix_timestamp, "epoch": clock.epoch }))
}

pub(super) fn programs(_: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(Value::Array(
        crate::programs()
            .into_iter()
            .map(|(name, id)| json!({ "name": name, "programId": id.to_string() }))
            .collect(),
    ))
}

pub(super) fn clock(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    let c = bank.net.clock();
    Ok(json!({
        "slot": c.slot,
        "epochStartTimestamp": c.epoch_start_timestamp,
        "epoch": c.epoch,
        "leaderScheduleEpoch": c.leader_schedule_epoch,
        "unixTimestamp": c.unix_timestamp,
    }))
}

pub(super) fn stats(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    Ok(json!({
        "transactions": net.transaction_count(),
        "historyLen": net.history_len(),
        "slot": net.slot(),
        "blockHeight": net.block_height(),
        "accounts": net.svm().accounts_db().inner.len(),
        "subscriptions": bank.subs.subscription_count(),
        "wsConnections": bank.subs.connection_count(),
        "requests": bank.requests,
    }))
}
