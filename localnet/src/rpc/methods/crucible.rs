//! Crucible's own methods, for what surfpool has no cheatcode for: the clock, the programs
//! loaded, server statistics; and the deprecated relative clock warp (`surfnet_timeTravel`
//! replaces it).

use serde_json::{json, Value};

use crate::rpc::bank::Bank;
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::Params;
use crate::rpc::subscriptions::publish::publish_slot;
use crate::MAX_TRAVEL_SECONDS;

/// Deprecated: `surfnet_timeTravel` does this on surfpool too. Kept so that scripts written for
/// earlier versions keep working.
pub(super) fn warp(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let slot = bank.net.slot();
    let seconds = p.u64(0, "seconds")?;
    if seconds > MAX_TRAVEL_SECONDS {
        return Err(RpcError::invalid_params(format!(
            "seconds must be at most {MAX_TRAVEL_SECONDS} (100 years)"
        )));
    }
    let clock = bank.net.warp(seconds);
    publish_slot(&bank.net, &mut bank.subs, slot, clock.slot);
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
