//! Blocks and `jsonParsed` transactions, written by agave's own encoder
//! (`solana-transaction-status` 2.3: `ConfirmedBlock::encode_with_options`,
//! `ConfirmedTransactionWithStatusMeta::encode` and its instruction parsers for System, SPL
//! Token, Token-2022, ATA, Memo, address-lookup-table, stake, vote and the BPF loaders), so the
//! JSON is the validator's.

use serde_json::Value;
use solana_pubkey::Pubkey;
use solana_transaction_status::{
    BlockEncodingOptions, ConfirmedBlock, ConfirmedTransactionWithStatusMeta, EncodeError,
    InnerInstruction, InnerInstructions, Reward, RewardType, TransactionDetails,
    TransactionStatusMeta, TransactionTokenBalance, TransactionWithStatusMeta, UiConfirmedBlock,
    UiTransactionEncoding, VersionedTransactionWithStatusMeta,
};

use solana_account_decoder_client_types::token::UiTokenAmount;

use super::encode::ui_amount_string;
use super::jsonrpc::{RpcError, RpcResult};
use crate::chain::{FeeReward, TokenBalance};
use crate::{Block, TxRecord};

/// A block's `rewards`: the leader's fee reward, if the block paid one (agave's bank lists it
/// as `RewardType::Fee`, commission none).
pub fn rewards(fee_reward: Option<FeeReward>, leader: &Pubkey) -> Vec<Reward> {
    fee_reward
        .map(|r| Reward {
            pubkey: leader.to_string(),
            lamports: i64::try_from(r.lamports).unwrap_or(i64::MAX),
            post_balance: r.post_balance,
            reward_type: Some(RewardType::Fee),
            commission: None,
        })
        .into_iter()
        .collect()
}

/// agave's `RpcCustomError::UnsupportedTransactionVersion` (rpc-client-api/src/custom_error.rs).
pub fn unsupported_version(err: EncodeError) -> RpcError {
    let EncodeError::UnsupportedTransactionVersion(version) = err;
    RpcError::new(
        -32015,
        format!(
            "Transaction version ({version}) is not supported by the requesting client. Please try the request \
             again with the following configuration parameter: \"maxSupportedTransactionVersion\": {version}"
        ),
    )
}

/// A recorded transaction with its status metadata, as the validator's blockstore keeps it.
fn with_status_meta(record: &TxRecord) -> VersionedTransactionWithStatusMeta {
    let inner = record
        .meta
        .inner_instructions
        .iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(index, list)| InnerInstructions {
            index: index as u8,
            instructions: list
                .iter()
                .map(|ix| InnerInstruction {
                    instruction: ix.instruction.clone(),
                    stack_height: Some(u32::from(ix.stack_height)),
                })
                .collect(),
        })
        .collect();
    let return_data = &record.meta.return_data;
    let meta = TransactionStatusMeta {
        status: record.err.clone().map_or(Ok(()), Err),
        fee: record.fee,
        pre_balances: record.pre_balances.clone(),
        post_balances: record.post_balances.clone(),
        inner_instructions: Some(inner),
        log_messages: Some(record.meta.logs.clone()),
        pre_token_balances: Some(token_balances(&record.pre_token_balances)),
        post_token_balances: Some(token_balances(&record.post_token_balances)),
        rewards: Some(Vec::new()),
        loaded_addresses: record.loaded_addresses.clone(),
        return_data: (!return_data.data.is_empty()).then(|| {
            solana_transaction_context::TransactionReturnData {
                program_id: return_data.program_id,
                data: return_data.data.clone(),
            }
        }),
        compute_units_consumed: Some(record.meta.compute_units_consumed),
        cost_units: None,
    };
    VersionedTransactionWithStatusMeta { transaction: record.transaction.clone(), meta }
}

fn token_balances(list: &[TokenBalance]) -> Vec<TransactionTokenBalance> {
    list.iter()
        .map(|b| TransactionTokenBalance {
            account_index: b.account_index,
            mint: b.mint.to_string(),
            ui_token_amount: UiTokenAmount {
                ui_amount: Some(b.amount as f64 / 10f64.powi(i32::from(b.decimals))),
                decimals: b.decimals,
                amount: b.amount.to_string(),
                ui_amount_string: ui_amount_string(b.amount, b.decimals),
            },
            owner: b.owner.to_string(),
            program_id: b.program_id.to_string(),
        })
        .collect()
}

/// `getTransaction` through agave's encoder (used for `jsonParsed`).
pub fn transaction(
    record: &TxRecord,
    encoding: UiTransactionEncoding,
    max_version: Option<u8>,
) -> RpcResult<Value> {
    let confirmed = ConfirmedTransactionWithStatusMeta {
        slot: record.slot,
        tx_with_meta: TransactionWithStatusMeta::Complete(with_status_meta(record)),
        block_time: Some(record.block_time),
    };
    let encoded = confirmed.encode(encoding, max_version).map_err(unsupported_version)?;
    serde_json::to_value(encoded).map_err(RpcError::internal)
}

/// How `getBlock` writes a block.
pub struct BlockOptions {
    pub encoding: UiTransactionEncoding,
    pub details: TransactionDetails,
    pub rewards: bool,
    pub max_version: Option<u8>,
}

/// The `getBlock` result for `block`, whose transactions are `records` in execution order and
/// whose leader is `leader`.
pub fn block(
    block: &Block,
    leader: &Pubkey,
    records: &[&TxRecord],
    options: BlockOptions,
) -> RpcResult<Value> {
    let encoded = encoded(block, leader, records, options).map_err(unsupported_version)?;
    serde_json::to_value(encoded).map_err(RpcError::internal)
}

/// `block` as agave's encoder writes it (`getBlock`, `blockNotification`).
pub fn encoded(
    block: &Block,
    leader: &Pubkey,
    records: &[&TxRecord],
    options: BlockOptions,
) -> Result<UiConfirmedBlock, EncodeError> {
    let confirmed = ConfirmedBlock {
        previous_blockhash: block.previous_blockhash.to_string(),
        blockhash: block.blockhash.to_string(),
        parent_slot: block.parent_slot,
        transactions: records
            .iter()
            .map(|r| TransactionWithStatusMeta::Complete(with_status_meta(r)))
            .collect(),
        rewards: rewards(block.fee_reward, leader),
        num_partitions: None,
        block_time: Some(block.block_time),
        block_height: Some(block.block_height),
    };
    confirmed.encode_with_options(
        options.encoding,
        BlockEncodingOptions {
            transaction_details: options.details,
            show_rewards: options.rewards,
            max_supported_transaction_version: options.max_version,
        },
    )
}
