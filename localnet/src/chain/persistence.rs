//! The chain and its ledger: what a commit gathers, and how a chain is restored from a ledger
//! (see `ledger.rs` for the store itself).
//!
//! Every change to the chain goes through a hook that tells the ledger what changed: an account
//! written directly ([`Localnet::set_account`], airdrops' and cheatcodes' writes), a transaction
//! executed (all its accounts: fee payer, writable static keys, writable addresses loaded from
//! lookup tables), a block, a time travel. [`Localnet::commit`] then writes those accounts,
//! the new history records, the blocks closed since the last commit, the sysvars that follow
//! blocks (Clock, SlotHashes, RecentBlockhashes) and the block state in one redb
//! transaction. The RPC server commits after every call, before it answers, and after every
//! block.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use solana_account::{Account, ReadableAccount};
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::VersionedMessage;
use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::block_store::Blocks;
use super::ledger::{Meta, OpenLedger, Stored};
use super::ledger_codec::OpenBlock;
use super::{base_svm, Localnet, Options, Validator, BLOCKHASH_MAX_AGE, BLOCKHASH_RING};

/// Sysvars written at every block (or time travel): stored with every commit.
const BLOCK_SYSVARS: [Pubkey; 3] = [
    solana_sdk_ids::sysvar::clock::ID,
    solana_sdk_ids::sysvar::slot_hashes::ID,
    #[allow(deprecated)]
    solana_sdk_ids::sysvar::recent_blockhashes::ID,
];

fn unix_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

impl Localnet {
    /// The chain of `ledger`: resumed where it was if the ledger holds one, else a new chain
    /// (built with `options`) whose genesis is written to it. From then on every
    /// [`Localnet::commit`] writes what changed.
    pub fn with_ledger(open: OpenLedger, options: Options) -> Result<Self, String> {
        let OpenLedger { mut ledger, stored } = open;
        let mut net = match stored {
            None => {
                let net = Self::with_options(options);
                let accounts =
                    net.svm.accounts_db().inner.iter().map(|(k, a)| (*k, Account::from(a.clone())));
                ledger.write_genesis(&net.meta(), accounts)?;
                net
            }
            Some(stored) => Self::restore(stored, &options)?,
        };
        net.ledger = Some(ledger);
        // A history kept longer than this chain keeps (a smaller `history_capacity`): the
        // oldest records go, from the ledger too.
        while net.history_order.len() > net.history_capacity {
            let Some(old) = net.history_order.pop_front() else { break };
            if let Some(record) = net.history.remove(&old) {
                // Its block goes with it, as in `remember` (see `block_store`).
                net.blocks.evict_through(record.slot);
                net.ledger_recorded_eviction(record.seq);
            }
        }
        Ok(net)
    }

    /// Writes what changed since the last commit to the ledger, durably; nothing to do without
    /// a ledger or a change. On an error the changes stay pending for the next commit.
    pub fn commit(&mut self) -> Result<(), String> {
        let Some(mut ledger) = self.ledger.take() else {
            return Ok(());
        };
        let result = if ledger.is_changed() {
            let meta = self.meta();
            ledger.commit(
                &meta,
                &BLOCK_SYSVARS,
                |k| self.svm.get_account(k).filter(|a| a.lamports > 0 || a.executable),
                |s| self.history.get(s).cloned(),
                |slot| match self.blocks.lookup(slot) {
                    super::BlockLookup::Found(b) => Some(b.clone()),
                    _ => None,
                },
            )
        } else {
            Ok(())
        };
        self.ledger = Some(ledger);
        result
    }

    /// Tells the ledger that `key`'s account was written.
    pub(super) fn touch(&mut self, key: Pubkey) {
        if let Some(ledger) = &mut self.ledger {
            ledger.touch(key);
        }
    }

    /// Tells the ledger that a transaction ran: every account it may have written (its writable
    /// keys, the fee payer's first, and the writable addresses it loads).
    pub(super) fn touch_message(&mut self, message: &VersionedMessage) {
        let Some(ledger) = &mut self.ledger else {
            return;
        };
        for (i, key) in message.static_account_keys().iter().enumerate() {
            if message.is_maybe_writable(i, None) {
                ledger.touch(*key);
            }
        }
        // Writable addresses loaded from lookup tables: a table's data is a 56-byte header,
        // then the addresses (agave's `LOOKUP_TABLE_META_SIZE`).
        for lookup in message.address_table_lookups().unwrap_or_default() {
            let Some(table) = self.svm.get_account(&lookup.account_key) else {
                continue;
            };
            let addresses = table.data().get(56..).unwrap_or_default();
            for &i in &lookup.writable_indexes {
                let at = usize::from(i) * 32;
                if let Some(Ok(key)) = addresses.get(at..at + 32).map(Pubkey::try_from) {
                    ledger.touch(key);
                }
            }
        }
    }

    /// Tells the ledger that a transaction was recorded, and which record the history evicted.
    pub(super) fn ledger_recorded(&mut self, signature: Signature, evicted: Option<u64>) {
        if let Some(ledger) = &mut self.ledger {
            ledger.recorded(signature);
            if let Some(seq) = evicted {
                ledger.evicted(seq);
            }
        }
    }

    /// Tells the ledger that the block at `slot` closed.
    pub(super) fn ledger_block_closed(&mut self, slot: u64) {
        if let Some(ledger) = &mut self.ledger {
            ledger.block_closed(slot);
        }
    }

    fn ledger_recorded_eviction(&mut self, seq: u64) {
        if let Some(ledger) = &mut self.ledger {
            ledger.evicted(seq);
        }
    }

    /// Tells the ledger that the block state changed (a block, a blockhash, the clock).
    pub(super) fn ledger_changed(&mut self) {
        if let Some(ledger) = &mut self.ledger {
            ledger.changed();
        }
    }

    fn meta(&self) -> Meta {
        let (now, now_sys) = (Instant::now(), SystemTime::now());
        let issued = |at: Instant| unix_ms(now_sys - now.saturating_duration_since(at));
        Meta {
            format: Meta::format(),
            genesis_hash: self.genesis_hash.to_bytes(),
            faucet: self.faucet.to_bytes().to_vec(),
            validator_identity: self.validator.identity.to_bytes(),
            vote_account: self.validator.vote_account.to_bytes(),
            stake_account: self.validator.stake_account.to_bytes(),
            activated_stake: self.validator.activated_stake,
            block_height: self.block_height,
            transaction_count: self.transaction_count,
            blockhashes: self
                .blockhashes
                .iter()
                .map(|(h, at)| (h.to_bytes(), issued(*at)))
                .collect(),
            slot_hashes: self.slot_hashes.iter().map(|(s, h)| (*s, h.to_bytes())).collect(),
            clock_millis: self.clock_millis,
            skipped_slots: self.skipped_slots.clone(),
            open_block: OpenBlock::of(self.blocks.open_block()),
            first_available_block: self.blocks.first_available(),
        }
    }

    /// A fresh runtime (builtins, SPL and Crucible programs re-added) with the stored accounts
    /// and state on it.
    fn restore(stored: Stored, options: &Options) -> Result<Self, String> {
        let Stored { meta, accounts, records, blocks } = stored;
        let mut svm = base_svm(options);
        // Data accounts (sysvars included) first: an upgradeable program's account loads its
        // program from its program-data account, which must be there already.
        let (programs, data): (Vec<_>, Vec<_>) =
            accounts.into_iter().partition(|(_, a)| a.executable);
        for (key, account) in data.into_iter().chain(programs) {
            if svm.get_account(&key).as_ref() == Some(&account) {
                continue; // a program or sysvar the runtime already has, unchanged
            }
            svm.set_account(key, account)
                .map_err(|e| format!("the ledger's account {key} cannot be loaded: {e}"))?;
        }
        let faucet = Keypair::try_from(meta.faucet.as_slice())
            .map_err(|_| "the ledger's faucet keypair does not parse".to_string())?;
        let validator = Validator {
            identity: Pubkey::new_from_array(meta.validator_identity),
            vote_account: Pubkey::new_from_array(meta.vote_account),
            stake_account: Pubkey::new_from_array(meta.stake_account),
            activated_stake: meta.activated_stake,
        };
        let mut net = Self::assemble(svm, faucet, validator, options);
        net.genesis_hash = Hash::new_from_array(meta.genesis_hash);
        net.block_height = meta.block_height;
        net.transaction_count = meta.transaction_count;
        net.clock_millis = meta.clock_millis;
        net.skipped_slots = meta.skipped_slots;
        net.slot_hashes =
            meta.slot_hashes.iter().map(|(s, h)| (*s, Hash::new_from_array(*h))).collect();
        net.slot_hashes_stale = true;
        // The ring: the newest BLOCKHASH_RING blockhashes, and older ones younger than
        // BLOCKHASH_MAX_AGE, as before the stop (the age counts the time stopped).
        let (now, now_sys) = (Instant::now(), unix_ms(SystemTime::now()));
        let count = meta.blockhashes.len();
        net.blockhashes.clear();
        net.valid_blockhashes.clear();
        for (i, (hash, issued)) in meta.blockhashes.into_iter().enumerate() {
            let age = Duration::from_millis(now_sys.saturating_sub(issued));
            if i + BLOCKHASH_RING < count && age >= BLOCKHASH_MAX_AGE {
                continue;
            }
            let hash = Hash::new_from_array(hash);
            net.blockhashes.push_back((hash, now.checked_sub(age).unwrap_or(now)));
            net.valid_blockhashes.insert(hash);
        }
        if net.blockhashes.is_empty() {
            return Err("the ledger holds no blockhash".into());
        }
        // The block open when the ledger was written stays open: the chain is still in its slot
        // (the Clock sysvar is restored with the accounts), its transactions are the history's
        // records in that slot (in execution order, as `seq` orders them), and it closes with
        // the next block, holding them, at the slot their `getTransaction` names.
        let open: Vec<Signature> = records
            .iter()
            .filter(|r| r.slot == meta.open_block.slot)
            .filter_map(|r| r.transaction.signatures.first().copied())
            .collect();
        net.blocks =
            Blocks::restore(blocks, meta.open_block.reopen(open), meta.first_available_block);
        for record in records {
            let signature = record.transaction.signatures.first().copied().unwrap_or_default();
            let hash = *record.transaction.message.recent_blockhash();
            if net.valid_blockhashes.contains(&hash) && net.processed.insert(signature) {
                net.recent.push_back((signature, hash));
            }
            net.history_order.push_back(signature);
            net.history.insert(signature, record);
        }
        Ok(net)
    }
}

impl Drop for Localnet {
    /// A chain dropped in-process commits what it has not yet (the server commits as it goes).
    fn drop(&mut self) {
        if let Err(e) = self.commit() {
            eprintln!("crucible-localnet: {e}");
        }
    }
}
