//! Node and chain: health, version, slots, epochs, blockhashes, rent.

use serde_json::{json, Value};
use solana_epoch_schedule::EpochSchedule;

use crate::rpc::bank::Bank;
use crate::rpc::constants::{FEATURE_SET, MAX_PERMITTED_DATA_LENGTH, SOLANA_CORE_VERSION};
use crate::rpc::encode::{self, with_context};
use crate::rpc::jsonrpc::{RpcError, RpcResult};
use crate::rpc::params::{parse_hash, Params};

pub(super) fn health(_: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!("ok"))
}

pub(super) fn version(_: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!({ "solana-core": SOLANA_CORE_VERSION, "feature-set": FEATURE_SET }))
}

/// `getSlot`, and the slots a single node has no reason to tell apart from it.
pub(super) fn slot(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!(bank.net.slot()))
}

pub(super) fn block_height(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!(bank.net.block_height()))
}

pub(super) fn transaction_count(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!(bank.net.transaction_count()))
}

pub(super) fn genesis_hash(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!(bank.net.genesis_hash().to_string()))
}

/// `minimumLedgerSlot` (agave's name, `rpc_full`): the lowest slot the ledger still holds, its
/// first available block.
pub(super) fn minimum_ledger_slot(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!(bank.net.first_available_block()))
}

pub(super) fn identity(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!({ "identity": bank.net.faucet().to_string() }))
}

pub(super) fn slot_leader(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(json!(bank.net.faucet().to_string()))
}

pub(super) fn epoch_schedule(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    let s: EpochSchedule = bank.net.svm().get_sysvar();
    Ok(json!({
        "slotsPerEpoch": s.slots_per_epoch,
        "leaderScheduleSlotOffset": s.leader_schedule_slot_offset,
        "warmup": s.warmup,
        "firstNormalEpoch": s.first_normal_epoch,
        "firstNormalSlot": s.first_normal_slot,
    }))
}

pub(super) fn epoch_info(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    Ok(encode::epoch_info(&bank.net))
}

pub(super) fn latest_blockhash(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    Ok(with_context(
        net.slot(),
        json!({
            "blockhash": net.latest_blockhash().to_string(),
            "lastValidBlockHeight": net.last_valid_block_height(),
        }),
    ))
}

pub(super) fn is_blockhash_valid(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let slot = bank.net.slot();
    let hash = parse_hash(p.str(0, "blockhash")?)?;
    Ok(with_context(slot, json!(bank.net.is_blockhash_valid(&hash))))
}

pub(super) fn minimum_balance_for_rent_exemption(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let len = p.u64(0, "data length")?;
    // agave (`rpc_bank::get_minimum_balance_for_rent_exemption`): `Error::invalid_request()`.
    if len > MAX_PERMITTED_DATA_LENGTH {
        return Err(RpcError::invalid_request(""));
    }
    let len = len as usize;
    Ok(json!(bank.net.minimum_balance_for_rent_exemption(len)))
}
