//! The HTTP JSON-RPC methods, run on the bank thread: one table of name → handler.
//!
//! The handlers live by subject in the child modules, which use the layers below (`bank`,
//! `subscriptions`, `encode`, `params`, ...) and never this file: `node` (node and chain),
//! `accounts`, `tokens`, `transactions` (send, simulate, airdrop, fees), `history` (statuses
//! and recorded transactions), `surfnet` (surfpool's cheatcodes: time travel, accounts set
//! directly), `blocks` (blocks and their times), `crucible` (Crucible's own methods, for what surfpool has no cheatcode for),
//! `cluster` (the cluster as its one node sees it: supply, inflation, leaders, votes).

mod accounts;
mod blocks;
mod cluster;
mod crucible;
mod history;
mod node;
mod surfnet;
mod tokens;
mod transactions;

use serde_json::{json, Value};

use super::bank::Bank;
use super::jsonrpc::{find_method, method_names, RpcError, RpcResult};
use super::params::Params;
use crate::Localnet;

/// An HTTP method: the bank and the call's positional parameters.
type Handler = fn(&mut Bank, &Params) -> RpcResult<Value>;

/// Every HTTP method, with its handler.
const TABLE: &[(&str, Handler)] = &[
    ("getHealth", node::health),
    ("getVersion", node::version),
    ("getSlot", node::slot),
    ("getBlockHeight", node::block_height),
    ("getTransactionCount", node::transaction_count),
    ("getGenesisHash", node::genesis_hash),
    ("getFirstAvailableBlock", blocks::first_available_block),
    ("minimumLedgerSlot", node::minimum_ledger_slot),
    ("getMaxRetransmitSlot", node::slot),
    ("getMaxShredInsertSlot", node::slot),
    ("getIdentity", node::identity),
    ("getSlotLeader", node::slot_leader),
    ("getRecentPrioritizationFees", blocks::recent_prioritization_fees),
    ("getRecentPerformanceSamples", cluster::recent_performance_samples),
    ("getEpochSchedule", node::epoch_schedule),
    ("getEpochInfo", node::epoch_info),
    ("getLatestBlockhash", node::latest_blockhash),
    ("isBlockhashValid", node::is_blockhash_valid),
    ("getFeeForMessage", transactions::fee_for_message),
    ("getMinimumBalanceForRentExemption", node::minimum_balance_for_rent_exemption),
    ("getBalance", accounts::balance),
    ("getAccountInfo", accounts::account_info),
    ("getMultipleAccounts", accounts::multiple_accounts),
    ("getProgramAccounts", accounts::program_accounts),
    ("getTokenAccountBalance", tokens::token_account_balance),
    ("getTokenSupply", tokens::token_supply),
    ("getTokenAccountsByOwner", |b, p| tokens::token_accounts_by(b, p, false)),
    ("getTokenAccountsByDelegate", |b, p| tokens::token_accounts_by(b, p, true)),
    ("getTokenLargestAccounts", tokens::token_largest_accounts),
    ("requestAirdrop", transactions::request_airdrop),
    ("sendTransaction", transactions::send_transaction),
    ("simulateTransaction", transactions::simulate_transaction),
    ("getSignatureStatuses", history::signature_statuses),
    ("getTransaction", history::transaction),
    ("getSignaturesForAddress", history::signatures_for_address),
    ("getBlockTime", blocks::block_time),
    ("getBlock", blocks::block),
    ("getBlocks", blocks::blocks),
    ("getBlocksWithLimit", blocks::blocks_with_limit),
    ("getBlockCommitment", cluster::block_commitment),
    ("getSupply", cluster::supply),
    ("getLargestAccounts", cluster::largest_accounts),
    ("getInflationGovernor", cluster::inflation_governor),
    ("getInflationRate", cluster::inflation_rate),
    ("getInflationReward", cluster::inflation_reward),
    ("getVoteAccounts", cluster::vote_accounts),
    ("getClusterNodes", cluster::cluster_nodes),
    ("getLeaderSchedule", cluster::leader_schedule),
    ("getSlotLeaders", cluster::slot_leaders),
    ("getBlockProduction", cluster::block_production),
    ("getStakeMinimumDelegation", cluster::stake_minimum_delegation),
    ("getHighestSnapshotSlot", cluster::highest_snapshot_slot),
    ("surfnet_timeTravel", surfnet::time_travel),
    ("surfnet_setAccount", surfnet::set_account),
    ("surfnet_setTokenAccount", surfnet::set_token_account),
    // Deprecated: `surfnet_timeTravel` moves the clock on surfpool too.
    ("crucible_warp", crucible::warp),
    ("crucible_programs", crucible::programs),
    ("crucible_clock", crucible::clock),
    ("crucible_stats", crucible::stats),
];

const NAMES: [&str; TABLE.len()] = method_names(TABLE);

/// Every HTTP method served.
pub const METHODS: &[&str] = &NAMES;

/// The methods that move the clock or set accounts directly: without cheatcodes
/// ([`crate::rpc::ServerConfig::cheatcodes`]) they are "Method not found", as on
/// solana-test-validator.
pub const CHEATCODES: &[&str] =
    &["surfnet_timeTravel", "surfnet_setAccount", "surfnet_setTokenAccount", "crucible_warp"];

/// Runs one call.
pub(crate) fn dispatch(bank: &mut Bank, method: &str, params: &Value) -> RpcResult<Value> {
    bank.requests += 1;
    let Some(handler) = find_method(TABLE, method) else {
        return Err(RpcError::method_not_found());
    };
    if !bank.cheatcodes && CHEATCODES.contains(&method) {
        return Err(RpcError::method_not_found());
    }
    let p = Params::new(params)?;
    check_min_context_slot(&bank.net, &p)?;
    handler(bank, &p)
}

/// `minContextSlot` in the trailing configuration object of any call.
fn check_min_context_slot(net: &Localnet, p: &Params) -> RpcResult<()> {
    let Some(Value::Object(config)) = p.len().checked_sub(1).and_then(|i| p.get(i)) else {
        return Ok(());
    };
    if let Some(min) = config.get("minContextSlot").and_then(Value::as_u64) {
        let slot = net.slot();
        if min > slot {
            return Err(RpcError::new(-32016, "Minimum context slot has not been reached")
                .with_data(json!({ "contextSlot": slot })));
        }
    }
    Ok(())
}
