//! What `getTransaction` and `getSignaturesForAddress` need besides agave's encoder (which
//! writes transactions, see `encode_block`): the encodings asked for, the memo column.

use serde_json::Value;
use solana_pubkey::Pubkey;

use crate::{spl, TxRecord};

/// How `getTransaction` writes the transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxEncoding {
    Json,
    JsonParsed,
    Base58,
    Base64,
}

/// The memo column of `getSignaturesForAddress`: `[len] text` per SPL Memo instruction.
pub fn memo(record: &TxRecord) -> Value {
    const MEMO_V1: Pubkey = solana_pubkey::pubkey!("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo");
    let message = &record.transaction.message;
    let keys = message.static_account_keys();
    let memos: Vec<String> = message
        .instructions()
        .iter()
        .filter(|ix| {
            keys.get(usize::from(ix.program_id_index))
                .is_some_and(|p| *p == spl::MEMO || *p == MEMO_V1)
        })
        .map(|ix| format!("[{}] {}", ix.data.len(), String::from_utf8_lossy(&ix.data)))
        .collect();
    if memos.is_empty() {
        Value::Null
    } else {
        Value::String(memos.join("; "))
    }
}
