//! Executing, simulating and remembering transactions.

use litesvm::types::FailedTransactionMetadata;
use solana_hash::Hash;
use solana_message::{v0::LoadedAddresses, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

use solana_account::{Account, AccountSharedData};

use super::{fees, Localnet, Simulation, TxFailure, TxRecord};

impl Localnet {
    /// Gives `pubkey` lamports from the faucet, as a recorded System transfer.
    pub fn airdrop(&mut self, pubkey: &Pubkey, lamports: u64) -> Result<Signature, TxFailure> {
        let ix =
            solana_system_interface::instruction::transfer(&self.faucet.pubkey(), pubkey, lamports);
        let message = solana_message::Message::new_with_blockhash(
            &[ix],
            Some(&self.faucet.pubkey()),
            &self.latest_blockhash(),
        );
        let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[&self.faucet])
            .map_err(|_| TxFailure::rejected(TransactionError::SignatureFailure))?;
        self.send_transaction(tx)
    }

    /// Sends a signed transaction: signatures, blockhash and duplicates are checked, then it
    /// executes. A transaction that executes and fails is recorded (its fee is charged).
    pub fn send_transaction(&mut self, tx: VersionedTransaction) -> Result<Signature, TxFailure> {
        self.execute(tx, false)
    }

    /// [`Self::send_transaction`] after a preflight, as `sendTransaction` without
    /// `skipPreflight`: a transaction that would fail is refused and leaves no trace (no fee,
    /// no record, a durable nonce not advanced). A validator simulates and then executes; on
    /// this chain nothing runs between the two, so the simulation's outcome is the execution's,
    /// and the transaction runs once: a failure is undone (the fee payer's and the nonce
    /// account's state restored, the only accounts a failed transaction writes).
    pub fn send_transaction_with_preflight(
        &mut self,
        tx: VersionedTransaction,
    ) -> Result<Signature, TxFailure> {
        self.execute(tx, true)
    }

    fn execute(
        &mut self,
        tx: VersionedTransaction,
        preflight: bool,
    ) -> Result<Signature, TxFailure> {
        let signature = *tx
            .signatures
            .first()
            .ok_or_else(|| TxFailure::rejected(TransactionError::SanitizeFailure))?;
        self.precheck(&tx, true)?;
        if self.is_processed(&signature) {
            return Err(TxFailure::rejected(TransactionError::AlreadyProcessed));
        }
        let nonce = if self.is_blockhash_valid(tx.message.recent_blockhash()) {
            None
        } else {
            self.usable_nonce(&tx.message)
        };
        let loaded_addresses = self.loaded_addresses(&tx.message);
        let keys: Vec<Pubkey> = tx.message.static_account_keys().to_vec();
        let all_keys: Vec<Pubkey> = keys
            .iter()
            .chain(&loaded_addresses.writable)
            .chain(&loaded_addresses.readonly)
            .copied()
            .collect();
        let pre_balances: Vec<u64> = all_keys.iter().map(|k| self.get_balance(k)).collect();
        let pre_token_balances = self.token_balances(&all_keys, &tx.message);
        let writable: Vec<Pubkey> = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| tx.message.is_maybe_writable(*i, None))
            .map(|(_, k)| *k)
            .collect();
        // What a failed preflight puts back (before any fee is charged).
        let undo: Vec<(Pubkey, Option<Account>)> = if preflight {
            std::iter::once(keys[0])
                .chain(nonce)
                .map(|key| (key, self.svm.get_account(&key)))
                .collect()
        } else {
            Vec::new()
        };
        // LiteSVM charges the signature fee; the prioritization fee is charged here, checked
        // first as the validator checks the whole fee.
        let fee = fees::fee_of(&tx.message);
        if fee.prioritization > 0 {
            let payer = self.svm.get_account(&keys[0]).map(AccountSharedData::from);
            fees::check_fee_payer(payer.as_ref(), &self.svm.get_sysvar(), fee.total())
                .map_err(TxFailure::rejected)?;
            self.adjust_lamports(&keys[0], |l| l - fee.prioritization);
        }
        let paid_before = pre_balances[0] - fee.prioritization;
        self.sync_slot_hashes(&tx.message);
        let clock = self.clock();
        // The runtime sees the bank's blockhash, as on a validator (a durable nonce advances
        // from it), not the transaction's: LiteSVM takes it from the transaction, and its own
        // signature and age checks are off (both are done above).
        let blockhash = self.latest_blockhash();
        let mut executed_tx = tx.clone();
        set_recent_blockhash(&mut executed_tx.message, blockhash);
        let result = self.svm.send_transaction(executed_tx);
        self.touch_message(&tx.message);
        let (err, meta) = match result {
            Ok(meta) => (None, meta),
            Err(FailedTransactionMetadata { err, meta }) => (Some(err), meta),
        };
        // A transaction that failed before execution (no fee payer, unknown account ...) is not
        // recorded, like a failed preflight on a real cluster; its prioritization fee is given
        // back.
        let executed = err.is_none() || self.get_balance(&keys[0]) != paid_before;
        if !executed && fee.prioritization > 0 {
            self.adjust_lamports(&keys[0], |l| l + fee.prioritization);
        }
        if let (true, Some(err)) = (preflight, &err) {
            for (key, account) in undo {
                if let Some(account) = account {
                    self.set_account(key, account);
                }
            }
            return Err(TxFailure {
                err: err.clone(),
                logs: meta.logs,
                units_consumed: meta.compute_units_consumed,
                recorded: false,
            });
        }
        if executed && err.is_some() {
            if let Some(nonce) = nonce {
                self.advance_nonce(&nonce, &blockhash);
            }
        }
        let fee = fee.total();
        if let Some(err) = err.clone() {
            if !executed {
                return Err(TxFailure {
                    err,
                    logs: meta.logs,
                    units_consumed: meta.compute_units_consumed,
                    recorded: false,
                });
            }
        }
        let post_balances: Vec<u64> = all_keys.iter().map(|k| self.get_balance(k)).collect();
        let post_token_balances = self.token_balances(&all_keys, &tx.message);
        let record = TxRecord {
            seq: self.transaction_count,
            slot: clock.slot,
            block_time: clock.unix_timestamp,
            transaction: tx,
            err: err.clone(),
            meta,
            fee,
            pre_balances,
            post_balances,
            writable,
            loaded_addresses,
            pre_token_balances,
            post_token_balances,
        };
        self.remember(signature, record.clone());
        if self.block_per_transaction {
            self.advance_slot();
        } else {
            self.issue_blockhash();
        }
        match err {
            None => Ok(signature),
            Some(err) => Err(TxFailure {
                err,
                logs: record.meta.logs,
                units_consumed: record.meta.compute_units_consumed,
                recorded: true,
            }),
        }
    }

    /// The addresses a v0 message loads from its lookup tables, read from the tables as they
    /// are (a table's data: a 56-byte header, then 32-byte addresses). A lookup the runtime will
    /// refuse (no table, an index past its end) loads nothing here; the transaction fails.
    pub(crate) fn loaded_addresses(&self, message: &VersionedMessage) -> LoadedAddresses {
        const LOOKUP_TABLE_META_SIZE: usize = 56;
        let mut loaded = LoadedAddresses::default();
        for lookup in message.address_table_lookups().unwrap_or_default() {
            let Some(table) = self.svm.get_account(&lookup.account_key) else {
                return LoadedAddresses::default();
            };
            let addresses = table.data.get(LOOKUP_TABLE_META_SIZE..).unwrap_or_default();
            let at = |i: &u8| {
                let start = usize::from(*i) * 32;
                addresses.get(start..start + 32).map(|b| Pubkey::try_from(b).expect("32 bytes"))
            };
            let writable: Option<Vec<Pubkey>> = lookup.writable_indexes.iter().map(at).collect();
            let readonly: Option<Vec<Pubkey>> = lookup.readonly_indexes.iter().map(at).collect();
            match (writable, readonly) {
                (Some(w), Some(r)) => {
                    loaded.writable.extend(w);
                    loaded.readonly.extend(r);
                }
                _ => return LoadedAddresses::default(),
            }
        }
        loaded
    }

    /// Sets an existing account's lamports to `f(lamports)` (the fee payer's, checked first).
    fn adjust_lamports(&mut self, pubkey: &Pubkey, f: impl FnOnce(u64) -> u64) {
        if let Some(mut account) = self.svm.get_account(pubkey) {
            account.lamports = f(account.lamports);
            self.set_account(*pubkey, account);
        }
    }

    /// Executes a transaction without committing anything.
    pub fn simulate_transaction(
        &self,
        mut tx: VersionedTransaction,
        sig_verify: bool,
        replace_recent_blockhash: bool,
    ) -> Result<Simulation, TxFailure> {
        // Signatures first, as agave's `simulateTransaction` verifies them before it simulates.
        if sig_verify {
            self.precheck(&tx, false)?;
        } else if tx.signatures.len() < usize::from(tx.message.header().num_required_signatures) {
            // Unsigned simulation: fill the signature slots so the message sanitizes.
            tx.signatures.resize(
                usize::from(tx.message.header().num_required_signatures),
                Signature::default(),
            );
        }
        if replace_recent_blockhash {
            set_recent_blockhash(&mut tx.message, self.latest_blockhash());
        } else if !self.is_blockhash_valid(tx.message.recent_blockhash())
            && self.usable_nonce(&tx.message).is_none()
        {
            return Err(TxFailure::rejected(TransactionError::BlockhashNotFound));
        }
        // The runtime sees the bank's blockhash (see `send_transaction`).
        set_recent_blockhash(&mut tx.message, self.latest_blockhash());
        match self.svm.simulate_transaction(tx) {
            Ok(info) => Ok(Simulation {
                err: None,
                logs: info.meta.logs,
                units_consumed: info.meta.compute_units_consumed,
                return_data: (!info.meta.return_data.data.is_empty()).then(|| {
                    (info.meta.return_data.program_id, info.meta.return_data.data.clone())
                }),
                post_accounts: info.post_accounts,
                inner_instructions: info.meta.inner_instructions,
            }),
            Err(FailedTransactionMetadata { err, meta }) => Ok(Simulation {
                err: Some(err),
                logs: meta.logs,
                units_consumed: meta.compute_units_consumed,
                return_data: None,
                post_accounts: Vec::new(),
                inner_instructions: meta.inner_instructions,
            }),
        }
    }

    /// Whether a transaction with this signature was recorded (and could not run again).
    pub fn is_processed(&self, signature: &Signature) -> bool {
        self.processed.contains(signature) || self.history.contains_key(signature)
    }

    pub fn transaction(&self, signature: &Signature) -> Option<&TxRecord> {
        self.history.get(signature)
    }

    /// Signatures of recorded transactions that mention `address`, newest first.
    pub fn signatures_for_address(
        &self,
        address: &Pubkey,
        limit: usize,
    ) -> Vec<(Signature, &TxRecord)> {
        self.history_order
            .iter()
            .rev()
            .filter_map(|sig| self.history.get(sig).map(|r| (*sig, r)))
            .filter(|(_, r)| {
                // Addresses loaded from lookup tables count, as in the validator's address index.
                r.transaction.message.static_account_keys().contains(address)
                    || r.loaded_addresses.writable.contains(address)
                    || r.loaded_addresses.readonly.contains(address)
            })
            .take(limit)
            .collect()
    }

    /// How many transactions the history holds now.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    fn precheck(&self, tx: &VersionedTransaction, check_blockhash: bool) -> Result<(), TxFailure> {
        tx.sanitize().map_err(|_| TxFailure::rejected(TransactionError::SanitizeFailure))?;
        if check_blockhash
            && !self.is_blockhash_valid(tx.message.recent_blockhash())
            && self.usable_nonce(&tx.message).is_none()
        {
            return Err(TxFailure::rejected(TransactionError::BlockhashNotFound));
        }
        if tx.verify_with_results().iter().any(|ok| !ok) {
            return Err(TxFailure::rejected(TransactionError::SignatureFailure));
        }
        Ok(())
    }

    fn remember(&mut self, signature: Signature, record: TxRecord) {
        if self.processed.insert(signature) {
            self.recent.push_back((signature, *record.transaction.message.recent_blockhash()));
        }
        let mut evicted = None;
        if self.history_order.len() >= self.history_capacity {
            if let Some(old) = self.history_order.pop_front() {
                // Its block is incomplete without it: the block goes too (see `block_store`).
                if let Some(old) = self.history.remove(&old) {
                    self.blocks.evict_through(old.slot);
                    evicted = Some(old.seq);
                }
            }
        }
        self.ledger_recorded(signature, evicted);
        self.history_order.push_back(signature);
        self.history.insert(signature, record);
        self.blocks.push_transaction(signature);
        self.transaction_count += 1;
    }
}

fn set_recent_blockhash(message: &mut VersionedMessage, hash: Hash) {
    match message {
        VersionedMessage::Legacy(m) => m.recent_blockhash = hash,
        VersionedMessage::V0(m) => m.recent_blockhash = hash,
    }
}
