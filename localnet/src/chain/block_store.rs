//! The block store: every slot the chain produced holds one, with the transactions executed in it in
//! execution order. A slot the clock produced without transactions holds an empty block, as on
//! a validator that produced it; a slot a time travel jumped over holds none (skipped).
//!
//! The store is bounded: a block goes when one of its transactions leaves the bounded history
//! (so a block answered is always complete), and at most [`BLOCK_CAPACITY`] blocks are kept.
//! The first block kept is the ledger's first available block, as `getFirstAvailableBlock`
//! reports it on a validator whose ledger was cleaned up (agave's
//! `Blockstore::get_first_available_block`, the lowest complete rooted block kept).
//!
//! With `--ledger` the closed blocks, the first available slot and the open block's header are
//! stored with the history (see `persistence.rs`), as agave's blockstore keeps its blocks on
//! disk, so that a restart answers for every earlier block as before.

use std::collections::VecDeque;

use solana_hash::Hash;
use solana_signature::Signature;

/// Blocks `getRecentPrioritizationFees` answers for (agave's `MAX_NUM_RECENT_BLOCKS`).
pub const RECENT_PRIORITIZATION_BLOCKS: usize = 150;
/// Accounts one `getRecentPrioritizationFees` may name (agave's `MAX_TX_ACCOUNT_LOCKS`).
pub const MAX_PRIORITIZATION_ACCOUNTS: usize = 128;

/// Most blocks kept: two days of 400 ms slots.
pub const BLOCK_CAPACITY: usize = 432_000;

/// A produced block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub slot: u64,
    pub parent_slot: u64,
    /// The blockhash issued when the block closed (what transactions of later blocks name).
    pub blockhash: Hash,
    /// The parent block's blockhash (`Hash::default()` for genesis, whose parent is itself).
    pub previous_blockhash: Hash,
    pub block_height: u64,
    pub block_time: i64,
    /// Its transactions, in execution order.
    pub signatures: Vec<Signature>,
    /// The leader's share of the block's fees, paid to the validator identity as the block
    /// closed (agave's `RewardType::Fee`); `None` for a block without fees.
    pub fee_reward: Option<FeeReward>,
}

/// A block's fee reward: `lamports` deposited into the validator identity, leaving it
/// `post_balance`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeReward {
    pub lamports: u64,
    pub post_balance: u64,
}

/// Where a slot stands among the blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockLookup<'a> {
    Found(&'a Block),
    /// The current slot, whose block is still open, or a slot not reached yet.
    NotAvailable,
    /// A slot jumped over (no block was produced in it).
    Skipped,
    /// Older than the first block kept.
    CleanedUp {
        first_available: u64,
    },
}

#[derive(Debug)]
pub(crate) struct Blocks {
    closed: VecDeque<Block>,
    open: Block,
    /// The first slot whose block may still be kept (raised by evictions).
    first_available: u64,
}

impl Blocks {
    pub(crate) fn new() -> Self {
        Self {
            closed: VecDeque::new(),
            open: Block {
                slot: 0,
                parent_slot: 0,
                blockhash: Hash::default(),
                previous_blockhash: Hash::default(),
                block_height: 0,
                block_time: 0,
                signatures: Vec::new(),
                fee_reward: None,
            },
            first_available: 0,
        }
    }

    /// The blocks a ledger kept: `closed` oldest first, the block still open when it was
    /// written (its transactions are those the history records in its slot), and the first
    /// available slot.
    pub(crate) fn restore(closed: Vec<Block>, open: Block, first_available: u64) -> Self {
        Self { closed: closed.into(), open, first_available }
    }

    /// The open block (the current slot's): its transactions so far.
    pub(crate) fn open_block(&self) -> &Block {
        &self.open
    }

    /// Records a transaction executed in the open block.
    pub(crate) fn push_transaction(&mut self, signature: Signature) {
        self.open.signatures.push(signature);
    }

    /// The open block's transactions, in execution order.
    pub(crate) fn open_signatures(&self) -> &[Signature] {
        &self.open.signatures
    }

    /// Closes the open block (at `block_time`, with `blockhash`, paying `fee_reward`) and opens
    /// the next at `next_slot`.
    pub(crate) fn close(
        &mut self,
        blockhash: Hash,
        block_time: i64,
        fee_reward: Option<FeeReward>,
        next_slot: u64,
    ) {
        let next = Block {
            slot: next_slot,
            parent_slot: self.open.slot,
            blockhash: Hash::default(),
            previous_blockhash: blockhash,
            block_height: self.open.block_height + 1,
            block_time,
            signatures: Vec::new(),
            fee_reward: None,
        };
        let mut closed = std::mem::replace(&mut self.open, next);
        closed.blockhash = blockhash;
        closed.block_time = block_time;
        closed.fee_reward = fee_reward;
        if closed.slot < self.first_available {
            self.first_available = self.open.slot;
            return;
        }
        self.closed.push_back(closed);
        if self.closed.len() > BLOCK_CAPACITY {
            self.closed.pop_front();
            self.first_available = self.closed.front().map_or(self.open.slot, |b| b.slot);
        }
    }

    /// Forgets every block up to `slot` (one of its transactions left the history).
    pub(crate) fn evict_through(&mut self, slot: u64) {
        if slot < self.first_available {
            return;
        }
        while self.closed.front().is_some_and(|b| b.slot <= slot) {
            self.closed.pop_front();
        }
        // With no closed block left the next block kept is the open one, unless it lost a
        // transaction itself (a history smaller than a block): then it is dropped when it closes.
        let next = if slot < self.open.slot { self.open.slot } else { slot + 1 };
        self.first_available = self.closed.front().map_or(next, |b| b.slot);
    }

    pub(crate) fn first_available(&self) -> u64 {
        self.first_available
    }

    fn index_of(&self, slot: u64) -> Result<usize, usize> {
        self.closed.binary_search_by_key(&slot, |b| b.slot)
    }

    pub(crate) fn lookup(&self, slot: u64) -> BlockLookup<'_> {
        if slot >= self.open.slot {
            return BlockLookup::NotAvailable;
        }
        if slot < self.first_available {
            return BlockLookup::CleanedUp { first_available: self.first_available };
        }
        match self.index_of(slot) {
            Ok(i) => BlockLookup::Found(&self.closed[i]),
            Err(_) => BlockLookup::Skipped,
        }
    }

    /// The closed blocks in `first..=last`, oldest first, at most `limit`.
    pub(crate) fn range(
        &self,
        first: u64,
        last: u64,
        limit: usize,
    ) -> impl Iterator<Item = &Block> {
        let start = self.index_of(first).unwrap_or_else(|i| i);
        self.closed.range(start..).take_while(move |b| b.slot <= last).take(limit)
    }

    /// The closed blocks, newest first.
    pub(crate) fn newest_first(&self) -> impl Iterator<Item = &Block> {
        self.closed.iter().rev()
    }

    /// The newest closed block's slot (what a validator has finalized), if any.
    pub(crate) fn last_closed_slot(&self) -> Option<u64> {
        self.closed.back().map(|b| b.slot)
    }
}
