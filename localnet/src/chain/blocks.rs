//! The chain's blocks as it answers for them (the store is `block_store`).

use super::{Block, BlockLookup, Localnet};

impl Localnet {
    /// The block at `slot`, or why there is none.
    pub fn block(&self, slot: u64) -> BlockLookup<'_> {
        self.blocks.lookup(slot)
    }

    /// The produced (closed) blocks in `first..=last`, oldest first, at most `limit`.
    pub fn blocks(&self, first: u64, last: u64, limit: usize) -> impl Iterator<Item = &Block> {
        self.blocks.range(first, last, limit)
    }

    /// The newest produced block's slot (0 before the first block closed).
    pub fn last_block_slot(&self) -> u64 {
        self.blocks.last_closed_slot().unwrap_or(0)
    }

    /// The oldest block the chain still holds.
    pub fn first_available_block(&self) -> u64 {
        self.blocks.first_available()
    }

    /// Closes the open block before the slot moves to `next_slot`: it gets the latest
    /// blockhash and the clock's time as it was in it.
    pub(super) fn close_block(&mut self, block_time: i64, next_slot: u64) {
        let blockhash = self.latest_blockhash();
        self.blocks.close(blockhash, block_time, next_slot);
    }
}
