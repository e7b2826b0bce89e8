//! The chain's blocks as it answers for them (the store is `block_store`).

use solana_pubkey::Pubkey;

use super::block_store::{FeeReward, RECENT_PRIORITIZATION_BLOCKS};
use super::{Block, BlockLookup, Localnet};

/// The share of signature fees a bank burns (`solana_fee_calculator::DEFAULT_BURN_PERCENT`).
const BURN_PERCENT: u64 = 50;

impl Localnet {
    /// The block at `slot`, or why there is none.
    pub fn block(&self, slot: u64) -> BlockLookup<'_> {
        self.blocks.lookup(slot)
    }

    /// The produced (closed) blocks in `first..=last`, oldest first, at most `limit`.
    pub fn blocks(&self, first: u64, last: u64, limit: usize) -> impl Iterator<Item = &Block> {
        self.blocks.range(first, last, limit)
    }

    /// `getRecentPrioritizationFees`, as agave's prioritization-fee cache answers it: for each of
    /// the newest 150 blocks that hold transactions (oldest first), the lowest compute-unit
    /// price paid in it, raised to the lowest price paid by the transactions that write each of
    /// `accounts` where that is higher (the price needed to land next to them).
    pub fn recent_prioritization_fees(&self, accounts: &[Pubkey]) -> Vec<(u64, u64)> {
        let mut out: Vec<(u64, u64)> = Vec::new();
        // Bounded: at most RECENT_PRIORITIZATION_BLOCKS blocks are read.
        for block in self.blocks.newest_first() {
            if out.len() >= RECENT_PRIORITIZATION_BLOCKS {
                break;
            }
            let mut block_min: Option<u64> = None;
            let mut account_min: Vec<Option<u64>> = vec![None; accounts.len()];
            for signature in &block.signatures {
                let Some(record) = self.transaction(signature) else { continue };
                let Some(price) = super::fees::compute_unit_price_of(&record.transaction.message)
                else {
                    continue;
                };
                block_min = Some(block_min.map_or(price, |m| m.min(price)));
                for (account, min) in accounts.iter().zip(account_min.iter_mut()) {
                    let writes = record.writable.contains(account)
                        || record.loaded_addresses.writable.contains(account);
                    if writes {
                        *min = Some(min.map_or(price, |m| m.min(price)));
                    }
                }
            }
            let Some(block_min) = block_min else { continue };
            let fee = account_min.iter().flatten().fold(block_min, |fee, &m| fee.max(m));
            out.push((block.slot, fee));
        }
        out.reverse();
        out
    }

    /// The transactions of the open block (the current slot's) so far, in execution order: after
    /// a restart on a ledger, those recorded in it before the stop come first.
    pub fn open_block_signatures(&self) -> &[solana_signature::Signature] {
        &self.blocks.open_block().signatures
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
        let fee_reward = self.distribute_fees();
        let slot = self.blocks.open_block().slot;
        self.blocks.close(blockhash, block_time, fee_reward, next_slot);
        self.ledger_block_closed(slot);
    }

    /// The fees the open block's transactions paid, (signature, prioritization): charged to
    /// their payers, not yet burned or paid to the leader.
    fn open_block_fees(&self) -> (u64, u64) {
        let (mut signature, mut prioritization) = (0u64, 0u64);
        // Bounded by the block's transactions.
        for sig in self.blocks.open_signatures() {
            let Some(record) = self.transaction(sig) else { continue };
            let priority = super::fees::fee_of(&record.transaction.message).prioritization;
            prioritization = prioritization.saturating_add(priority);
            signature = signature.saturating_add(record.fee.saturating_sub(priority));
        }
        (signature, prioritization)
    }

    /// Every lamport on the chain, as a bank's capitalization counts it: the accounts' lamports
    /// (sysvars and programs included) and the open block's fees, which leave the supply (their
    /// burned half) only as the block closes.
    pub fn capitalization(&self) -> u64 {
        let (signature, prioritization) = self.open_block_fees();
        self.svm
            .accounts_db()
            .inner
            .values()
            .map(solana_account::ReadableAccount::lamports)
            .fold(signature.saturating_add(prioritization), u64::saturating_add)
    }

    /// Pays the leader its share of the open block's fees as the block closes, as agave's bank
    /// does when it freezes (`runtime/src/bank/fee_distribution.rs`,
    /// `distribute_transaction_fee_details`): of the signature fees half is burned
    /// (`DEFAULT_BURN_PERCENT`, 50) and half deposited, the prioritization fees are deposited
    /// whole (`reward_full_priority_fee`, active from genesis), into the validator identity;
    /// a block whose signature fees are 0 pays nothing. The burn is what leaves the supply.
    fn distribute_fees(&mut self) -> Option<FeeReward> {
        let (signature, prioritization) = self.open_block_fees();
        if signature == 0 {
            return None;
        }
        let burn = signature * BURN_PERCENT / 100;
        let lamports = prioritization.saturating_add(signature - burn);
        let identity = self.validator().identity;
        // agave burns what a fee collector that is not a system account (or absent) cannot take.
        let mut account = self
            .svm
            .get_account(&identity)
            .filter(|a| a.owner == solana_sdk_ids::system_program::id())?;
        account.lamports = account.lamports.checked_add(lamports)?;
        let post_balance = account.lamports;
        self.set_account(identity, account);
        Some(FeeReward { lamports, post_balance })
    }
}
