//! How the ledger (`ledger.rs`) writes what it stores: transaction records (bincode of
//! [`StoredRecord`]), accounts (a fixed header, then the data) and blocks (a fixed header,
//! then the signatures).

use litesvm::types::TransactionMetadata;
use serde::{Deserialize, Serialize};
use solana_account::Account;
use solana_hash::Hash;
use solana_message::{
    compiled_instruction::CompiledInstruction, inner_instruction::InnerInstruction,
};
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_context::TransactionReturnData;
use solana_transaction_error::TransactionError;

use super::block_store::{Block, FeeReward};
use super::records::{TokenBalance, TxRecord};

/// A [`TxRecord`] as stored (LiteSVM's metadata has no serde without a feature of its own).
#[derive(Serialize, Deserialize)]
pub(super) struct StoredRecord {
    seq: u64,
    slot: u64,
    block_time: i64,
    transaction: VersionedTransaction,
    err: Option<TransactionError>,
    logs: Vec<String>,
    inner_instructions: Vec<Vec<(CompiledInstruction, u8)>>,
    compute_units_consumed: u64,
    return_data: (Pubkey, Vec<u8>),
    fee: u64,
    pre_balances: Vec<u64>,
    post_balances: Vec<u64>,
    writable: Vec<Pubkey>,
    /// The addresses its lookup tables loaded: writable, then read-only.
    loaded_addresses: (Vec<Pubkey>, Vec<Pubkey>),
    pre_token_balances: Vec<TokenBalance>,
    post_token_balances: Vec<TokenBalance>,
}

impl StoredRecord {
    pub(super) fn from_record(r: &TxRecord) -> Self {
        Self {
            seq: r.seq,
            slot: r.slot,
            block_time: r.block_time,
            transaction: r.transaction.clone(),
            err: r.err.clone(),
            logs: r.meta.logs.clone(),
            inner_instructions: r
                .meta
                .inner_instructions
                .iter()
                .map(|ixs| ixs.iter().map(|i| (i.instruction.clone(), i.stack_height)).collect())
                .collect(),
            compute_units_consumed: r.meta.compute_units_consumed,
            return_data: (r.meta.return_data.program_id, r.meta.return_data.data.clone()),
            fee: r.fee,
            pre_balances: r.pre_balances.clone(),
            post_balances: r.post_balances.clone(),
            writable: r.writable.clone(),
            loaded_addresses: (
                r.loaded_addresses.writable.clone(),
                r.loaded_addresses.readonly.clone(),
            ),
            pre_token_balances: r.pre_token_balances.clone(),
            post_token_balances: r.post_token_balances.clone(),
        }
    }

    pub(super) fn into_record(self) -> TxRecord {
        let signature = self.transaction.signatures.first().copied().unwrap_or_default();
        TxRecord {
            seq: self.seq,
            slot: self.slot,
            block_time: self.block_time,
            transaction: self.transaction,
            err: self.err,
            meta: TransactionMetadata {
                signature,
                logs: self.logs,
                inner_instructions: self
                    .inner_instructions
                    .into_iter()
                    .map(|ixs| {
                        ixs.into_iter()
                            .map(|(instruction, stack_height)| InnerInstruction {
                                instruction,
                                stack_height,
                            })
                            .collect()
                    })
                    .collect(),
                compute_units_consumed: self.compute_units_consumed,
                return_data: TransactionReturnData {
                    program_id: self.return_data.0,
                    data: self.return_data.1,
                },
            },
            fee: self.fee,
            pre_balances: self.pre_balances,
            post_balances: self.post_balances,
            writable: self.writable,
            loaded_addresses: solana_message::v0::LoadedAddresses {
                writable: self.loaded_addresses.0,
                readonly: self.loaded_addresses.1,
            },
            pre_token_balances: self.pre_token_balances,
            post_token_balances: self.post_token_balances,
        }
    }
}

/// An account as stored: lamports, rent epoch (u64 LE each), owner (32 bytes), executable (one
/// byte), then the data.
pub(super) fn encode_account(a: &Account) -> Vec<u8> {
    let mut out = Vec::with_capacity(49 + a.data.len());
    out.extend_from_slice(&a.lamports.to_le_bytes());
    out.extend_from_slice(&a.rent_epoch.to_le_bytes());
    out.extend_from_slice(a.owner.as_ref());
    out.push(u8::from(a.executable));
    out.extend_from_slice(&a.data);
    out
}

pub(super) fn decode_account(bytes: &[u8]) -> Option<Account> {
    if bytes.len() < 49 {
        return None;
    }
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    Some(Account {
        lamports: u64_at(0),
        rent_epoch: u64_at(8),
        owner: Pubkey::try_from(&bytes[16..48]).ok()?,
        executable: bytes[48] != 0,
        data: bytes[49..].to_vec(),
    })
}

/// The fixed part of a stored block: six 8-byte numbers and two hashes.
const BLOCK_HEADER: usize = 6 * 8 + 2 * 32;

/// A closed block as stored: slot, parent slot, block height (u64 LE each), block time (i64
/// LE), its fee reward's lamports and post balance (u64 LE each, both 0 for none), blockhash and
/// previous blockhash (32 bytes each), then its signatures (64 bytes each), in execution order.
pub(super) fn encode_block(b: &Block) -> Vec<u8> {
    let mut out = Vec::with_capacity(BLOCK_HEADER + 64 * b.signatures.len());
    out.extend_from_slice(&b.slot.to_le_bytes());
    out.extend_from_slice(&b.parent_slot.to_le_bytes());
    out.extend_from_slice(&b.block_height.to_le_bytes());
    out.extend_from_slice(&b.block_time.to_le_bytes());
    let reward = b.fee_reward.map_or((0, 0), |r| (r.lamports, r.post_balance));
    out.extend_from_slice(&reward.0.to_le_bytes());
    out.extend_from_slice(&reward.1.to_le_bytes());
    out.extend_from_slice(b.blockhash.as_ref());
    out.extend_from_slice(b.previous_blockhash.as_ref());
    for signature in &b.signatures {
        out.extend_from_slice(signature.as_ref());
    }
    out
}

pub(super) fn decode_block(bytes: &[u8]) -> Option<Block> {
    if bytes.len() < BLOCK_HEADER || !(bytes.len() - BLOCK_HEADER).is_multiple_of(64) {
        return None;
    }
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    let i64_at = |i: usize| i64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    let hash_at = |i: usize| Hash::new_from_array(bytes[i..i + 32].try_into().expect("32 bytes"));
    Some(Block {
        slot: u64_at(0),
        parent_slot: u64_at(8),
        block_height: u64_at(16),
        block_time: i64_at(24),
        fee_reward: (u64_at(32) > 0)
            .then(|| FeeReward { lamports: u64_at(32), post_balance: u64_at(40) }),
        blockhash: hash_at(48),
        previous_blockhash: hash_at(80),
        signatures: bytes[BLOCK_HEADER..]
            .chunks(64)
            .map(|c| Signature::from(<[u8; 64]>::try_from(c).expect("64 bytes")))
            .collect(),
    })
}

/// The block still open at a commit, without its transactions (the history records them, in
/// its slot): what a restart reopens.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct OpenBlock {
    pub slot: u64,
    pub parent_slot: u64,
    pub previous_blockhash: [u8; 32],
    pub block_height: u64,
    pub block_time: i64,
}

impl OpenBlock {
    pub(crate) fn of(b: &Block) -> Self {
        Self {
            slot: b.slot,
            parent_slot: b.parent_slot,
            previous_blockhash: b.previous_blockhash.to_bytes(),
            block_height: b.block_height,
            block_time: b.block_time,
        }
    }

    /// The block again, holding `signatures`.
    pub(crate) fn reopen(&self, signatures: Vec<Signature>) -> Block {
        Block {
            slot: self.slot,
            parent_slot: self.parent_slot,
            blockhash: Hash::default(),
            previous_blockhash: Hash::new_from_array(self.previous_blockhash),
            block_height: self.block_height,
            block_time: self.block_time,
            signatures,
            fee_reward: None,
        }
    }
}
