//! The one node as the cluster's leader and voter: leader schedule, slot leaders, block
//! production, vote accounts and cluster nodes.
//!
//! The node leads every slot. Its leader schedules are those a validator's leader-schedule cache
//! holds: every epoch up to the leader-schedule epoch of the current slot (the next one), the
//! newest 10 of them (agave's `MAX_SCHEDULES`).

use serde_json::{json, Map, Value};
use solana_epoch_schedule::EpochSchedule;

use super::verify::{config_pubkey, invalid_params};
use crate::chain::VALIDATOR_COMMISSION;
use crate::rpc::bank::Bank;
use crate::rpc::constants::{FEATURE_SET, SOLANA_CORE_VERSION};
use crate::rpc::encode::with_context;
use crate::rpc::jsonrpc::RpcResult;
use crate::rpc::params::{as_u64, Config, Params};
use crate::Localnet;

/// Leader schedules a validator keeps (agave's `LeaderScheduleCache` `MAX_SCHEDULES`).
const MAX_SCHEDULES: u64 = 10;
/// Most slot leaders one `getSlotLeaders` gives (agave's `MAX_GET_SLOT_LEADERS`).
const MAX_GET_SLOT_LEADERS: u64 = 5000;
/// Slots behind after which a vote account is delinquent (`DELINQUENT_VALIDATOR_SLOT_DISTANCE`).
const DELINQUENT_VALIDATOR_SLOT_DISTANCE: u64 = 128;
/// Entries of `epochCredits` given (`MAX_RPC_VOTE_ACCOUNT_INFO_EPOCH_CREDITS_HISTORY`).
const EPOCH_CREDITS_HISTORY: usize = 5;
/// Votes a tower holds before the oldest becomes its root (`MAX_LOCKOUT_HISTORY`).
const MAX_LOCKOUT_HISTORY: u64 = 31;
/// Credits a vote earns when it lands in the next slot (timely vote credits' maximum).
const CREDITS_PER_VOTE: u64 = 16;

fn schedule(net: &Localnet) -> EpochSchedule {
    net.svm().get_sysvar()
}

/// Whether a validator at the chain's slot has the leader schedule of `epoch`.
fn has_schedule(net: &Localnet, schedule: &EpochSchedule, epoch: u64) -> bool {
    let newest = schedule.get_leader_schedule_epoch(net.slot());
    epoch <= newest && epoch + MAX_SCHEDULES > newest
}

/// Checks that the leader schedules of `count` slots from `start` are known; the leader of each
/// is the node. Agave's `get_slot_leaders` error otherwise.
fn check_leaders(net: &Localnet, start: u64, count: u64) -> RpcResult<()> {
    let schedule = schedule(net);
    let (mut epoch, mut index) = schedule.get_epoch_and_slot_index(start);
    let mut covered = 0u64;
    while covered < count {
        if !has_schedule(net, &schedule, epoch) {
            return Err(invalid_params(format!(
                "Invalid slot range: leader schedule for epoch {epoch} is unavailable"
            )));
        }
        covered = covered.saturating_add(schedule.get_slots_in_epoch(epoch) - index);
        epoch += 1;
        index = 0;
    }
    Ok(())
}

/// `[slot]`, `[config]`, `[slot, config]` or `[null, config]`, as agave's
/// `RpcLeaderScheduleConfigWrapper` reads them.
fn leader_schedule_args<'a>(p: &Params<'a>) -> RpcResult<(Option<u64>, Config<'a>)> {
    let (slot, config) = match p.get(0) {
        None => (None, None),
        Some(Value::Object(map)) => (None, Some(Config(Some(map)))),
        Some(v) => match v.as_u64() {
            Some(slot) => (Some(slot), None),
            None => {
                return Err(invalid_params(
                    "Invalid params: data did not match any variant of untagged enum \
                     RpcLeaderScheduleConfigWrapper.",
                ))
            }
        },
    };
    let config = match config {
        Some(config) => config,
        None => p.config(1)?,
    };
    Ok((slot, config))
}

pub(crate) fn leader_schedule(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let (slot, config) = leader_schedule_args(p)?;
    let identity = config_pubkey(&config, "identity")?;
    let schedule = schedule(net);
    let epoch = schedule.get_epoch(slot.unwrap_or_else(|| net.slot()));
    if !has_schedule(net, &schedule, epoch) {
        return Ok(Value::Null);
    }
    let node = net.validator().identity;
    let mut by_identity = Map::new();
    if identity.is_none_or(|id| id == node) {
        let slots: Vec<u64> = (0..schedule.get_slots_in_epoch(epoch)).collect();
        by_identity.insert(node.to_string(), json!(slots));
    }
    Ok(Value::Object(by_identity))
}

pub(crate) fn slot_leaders(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let start = p.u64(0, "start slot")?;
    let limit = p.u64(1, "limit")?;
    if limit > MAX_GET_SLOT_LEADERS {
        return Err(invalid_params(format!("Invalid limit; max {MAX_GET_SLOT_LEADERS}")));
    }
    check_leaders(net, start, limit)?;
    let node = net.validator().identity.to_string();
    Ok(json!(vec![node; limit as usize]))
}

pub(crate) fn block_production(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let config = p.config(0)?;
    let identity = config_pubkey(&config, "identity")?;
    let slot = net.slot();
    let schedule = schedule(net);
    let (first, last) = match config.get("range") {
        None => (schedule.get_first_slot_in_epoch(schedule.get_epoch(slot)), slot),
        Some(Value::Object(range)) => {
            let first = range
                .get("firstSlot")
                .filter(|v| !v.is_null())
                .ok_or_else(|| invalid_params("Invalid params: missing field `firstSlot`."))?;
            let first = as_u64(first, "firstSlot")?;
            let last = match range.get("lastSlot").filter(|v| !v.is_null()) {
                Some(v) => as_u64(v, "lastSlot")?,
                None => slot,
            };
            if last < first {
                return Err(invalid_params(format!(
                    "lastSlot, {last}, cannot be less than firstSlot, {first}"
                )));
            }
            (first, last)
        }
        Some(other) => {
            return Err(invalid_params(format!(
            "Invalid params: invalid type: {other}, expected struct RpcBlockProductionConfigRange."
        )))
        }
    };
    // The range a bank's `SlotHistory` covers: its newest slot is the bank's.
    let oldest = (slot + 1).saturating_sub(solana_slot_history::MAX_ENTRIES);
    if first < oldest {
        return Err(invalid_params(format!("firstSlot, {first}, is too small; min {oldest}")));
    }
    if last > slot {
        return Err(invalid_params(format!("lastSlot, {last}, is too large; max {slot}")));
    }
    let leader_slots = last - first + 1;
    check_leaders(net, first, leader_slots)?;
    let node = net.validator().identity;
    let mut by_identity = Map::new();
    if identity.is_none_or(|id| id == node) {
        by_identity.insert(node.to_string(), json!([leader_slots, net.blocks_in(first, last)]));
    }
    Ok(with_context(
        slot,
        json!({
            "byIdentity": by_identity,
            "range": { "firstSlot": first, "lastSlot": last },
        }),
    ))
}

/// The vote account as a node that votes on every block it produces, each vote landing in the
/// next slot, would have it: its last vote is the current slot; its root the vote 31 slots back
/// (none, `0`, before 32 votes); every rooted block earned 16 credits, counted in the epoch of
/// the block.
fn vote_account_info(net: &Localnet) -> Value {
    let validator = net.validator();
    let slot = net.slot();
    let root = slot.checked_sub(MAX_LOCKOUT_HISTORY).filter(|r| *r > 0);
    let schedule = schedule(net);
    let credits_until = |last: u64| CREDITS_PER_VOTE * net.blocks_in(1, last);
    let mut epoch_credits = Vec::new();
    if let Some(root) = root {
        let mut epoch = schedule.get_epoch(root);
        loop {
            let start = schedule.get_first_slot_in_epoch(epoch);
            let before = if start == 0 { 0 } else { credits_until(start - 1) };
            let end = credits_until(root.min(schedule.get_last_slot_in_epoch(epoch)));
            if end > before {
                epoch_credits.push(json!([epoch, end, before]));
            }
            if epoch_credits.len() == EPOCH_CREDITS_HISTORY || epoch == 0 || before == 0 {
                break;
            }
            epoch -= 1;
        }
        epoch_credits.reverse();
    }
    json!({
        "votePubkey": validator.vote_account.to_string(),
        "nodePubkey": validator.identity.to_string(),
        "activatedStake": validator.activated_stake,
        "commission": VALIDATOR_COMMISSION,
        "epochVoteAccount": true,
        "epochCredits": epoch_credits,
        "lastVote": slot,
        "rootSlot": root.unwrap_or(0),
    })
}

/// `getBlockCommitment <slot>` from the same vote model as [`vote_account_info`]: the tower
/// holds the blocks above the root, each voted on, so a block `s` there has as many
/// confirmations as there are blocks from `s` to the last vote, and agave's
/// `BlockCommitment` (32 entries, the stake at each confirmation count, from
/// `aggregate_commitment`) holds the validator's stake at that count. A rooted block, or one
/// not produced, is not in the commitment cache: `commitment: null`.
pub(crate) fn block_commitment(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let slot = p.u64(0, "slot")?;
    let net = &bank.net;
    let stake = net.validator().activated_stake;
    let last_vote = net.slot();
    let root = last_vote.saturating_sub(MAX_LOCKOUT_HISTORY);
    let voted = slot > root && slot <= last_vote && net.blocks_in(slot, slot) == 1;
    let commitment = voted.then(|| {
        let mut stakes = [0u64; MAX_LOCKOUT_HISTORY as usize + 1];
        let confirmations = net.blocks_in(slot, last_vote);
        stakes[(confirmations - 1) as usize] = stake;
        stakes
    });
    Ok(json!({ "commitment": commitment, "totalStake": stake }))
}

pub(crate) fn vote_accounts(bank: &mut Bank, p: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let config = p.config(0)?;
    let vote_pubkey = config_pubkey(&config, "votePubkey")?;
    let keep_unstaked = config.bool("keepUnstakedDelinquents")?.unwrap_or(false);
    let distance =
        config.u64("delinquentSlotDistance")?.unwrap_or(DELINQUENT_VALIDATOR_SLOT_DISTANCE);
    let mut current = Vec::new();
    let mut delinquent = Vec::new();
    if vote_pubkey.is_none_or(|k| k == net.validator().vote_account) {
        let info = vote_account_info(net);
        let slot = net.slot();
        let last_vote = slot;
        let is_current = if slot >= distance { last_vote > slot - distance } else { last_vote > 0 };
        if is_current {
            current.push(info);
        } else if keep_unstaked || net.validator().activated_stake > 0 {
            delinquent.push(info);
        }
    }
    Ok(json!({ "current": current, "delinquent": delinquent }))
}

/// The node, as `getClusterNodes` lists it: its JSON-RPC and PubSub addresses; no gossip, TPU,
/// TVU or repair service runs, so those are `null`.
pub(crate) fn cluster_nodes(bank: &mut Bank, _: &Params) -> RpcResult<Value> {
    let net = &bank.net;
    let (rpc, pubsub) = match bank.ports {
        Some((rpc, ws)) => (json!(format!("127.0.0.1:{rpc}")), json!(format!("127.0.0.1:{ws}"))),
        None => (Value::Null, Value::Null),
    };
    let shred_version = solana_shred_version::compute_shred_version(&net.genesis_hash(), None);
    Ok(json!([{
        "pubkey": net.validator().identity.to_string(),
        "gossip": null,
        "tvu": null,
        "tpu": null,
        "tpuQuic": null,
        "tpuForwards": null,
        "tpuForwardsQuic": null,
        "tpuVote": null,
        "serveRepair": null,
        "rpc": rpc,
        "pubsub": pubsub,
        "version": SOLANA_CORE_VERSION,
        "featureSet": FEATURE_SET,
        "shredVersion": shred_version,
    }]))
}
