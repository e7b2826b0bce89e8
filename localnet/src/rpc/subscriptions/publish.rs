//! The notifications: built as transactions execute and published as blocks close, in the
//! validator's order (see the parent module).

use serde_json::{json, Value};
use solana_pubkey::Pubkey;
use solana_signature::Signature;

use super::{Commitment, Kind, LogsFilter, OpenBlock, Registry, Sub};
use crate::rpc::block_update::{self, account_keys, loaded_addresses};
use crate::rpc::encode;
use crate::Localnet;

pub(crate) fn notification(method: &str, subscription: u64, result: Value) -> String {
    json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": { "result": result, "subscription": subscription },
    })
    .to_string()
}

fn with_context(slot: u64, value: Value) -> Value {
    json!({ "context": { "slot": slot }, "value": value })
}

/// A signature subscription's final notification.
pub(crate) fn signature_notification(id: u64, slot: u64, err: Value) -> String {
    notification("signatureNotification", id, with_context(slot, json!({ "err": err })))
}

/// The `receivedSignature` notification (`enableReceivedNotification`).
pub(crate) fn received_notification(id: u64, slot: u64) -> String {
    notification("signatureNotification", id, with_context(slot, json!("receivedSignature")))
}

/// Records what the transaction `signature` changed for the close of its block, and tells the
/// signature subscriptions that asked for it that it was received (agave sends
/// `receivedSignature` as the leader receives a transaction, before its block is done).
pub(crate) fn publish_transaction(net: &Localnet, reg: &mut Registry, signature: &Signature) {
    let Some(record) = net.transaction(signature) else { return };
    let keys = record.transaction.message.static_account_keys();
    // A failed transaction only charged its fee payer. A v0 transaction also wrote the writable
    // addresses it loaded from lookup tables.
    if record.err.is_none() {
        let (loaded, _) = loaded_addresses(net, &record.transaction.message);
        reg.open.touch(record.writable.iter().copied().chain(loaded));
    } else {
        reg.open.touch(keys.first().copied());
    }
    reg.open.signatures.push(*signature);
    let mut out = Vec::new();
    for id in reg.by_signature.get(signature).into_iter().flatten() {
        if let Some(Sub { conn, kind: Kind::Signature { received: true, .. }, .. }) =
            reg.subs.get(id)
        {
            out.push((*conn, received_notification(*id, record.slot)));
        }
    }
    reg.send_all(out);
}

/// Takes in the open block of a chain resumed from its ledger: its transactions recorded before
/// the stop are published at its close like those executed since (their accounts, logs and
/// signatures), so that a subscription made after the restart, while that block is still open,
/// hears of them as it would have before. (Accounts set directly by a cheatcode before the stop
/// are not known here.)
pub(crate) fn resume(net: &Localnet, reg: &mut Registry) {
    for signature in net.open_block_signatures() {
        publish_transaction(net, reg, signature);
    }
}

/// Records that `changed` were set directly (not by a transaction: the account cheatcodes), for
/// the close of the open block.
pub(crate) fn publish_accounts(reg: &mut Registry, changed: &[Pubkey]) {
    reg.open.touch(changed.iter().copied());
}

/// Publishes that the block at `parent` closed and the chain moved on to `slot`, in the order a
/// one-node agave validator sends them (`ReplayStage` and `rpc_subscriptions.rs`):
/// 1. `slotsUpdates` `completed` and `frozen` for `parent`;
/// 2. the `processed` account, program, logs and signature notifications of `parent`;
/// 3. `slotsUpdates` `optimisticConfirmation`, then the `confirmed` notifications (and blocks);
/// 4. `rootNotification` and `slotsUpdates` `root`, then the `finalized` notifications (and
///    blocks);
/// 5. `slotNotification` for the new bank and `slotsUpdates` `createdBank`.
///
/// Slots a time travel jumps over hold no block and are not announced.
pub(crate) fn publish_slot(net: &Localnet, reg: &mut Registry, parent: u64, slot: u64) {
    if slot == parent {
        return;
    }
    let open = std::mem::take(&mut reg.open);
    // agave stamps each slot update with the wall clock in milliseconds.
    let timestamp = now_millis();
    let mut out: Vec<(u64, String)> = Vec::new();
    let updates = reg.watchers(|k| matches!(k, Kind::SlotsUpdates));
    let slot_update = |out: &mut Vec<(u64, String)>, update: Value| {
        for (conn, id) in &updates {
            out.push((*conn, notification("slotsUpdatesNotification", *id, update.clone())));
        }
    };
    let failed = open
        .signatures
        .iter()
        .filter(|s| net.transaction(s).is_some_and(|r| r.err.is_some()))
        .count();
    let entries = open.signatures.len();
    slot_update(&mut out, json!({ "type": "completed", "slot": parent, "timestamp": timestamp }));
    slot_update(
        &mut out,
        json!({
            "type": "frozen",
            "slot": parent,
            "timestamp": timestamp,
            "stats": {
                "numTransactionEntries": entries,
                "numSuccessfulTransactions": entries - failed,
                "numFailedTransactions": failed,
                "maxTransactionsPerEntry": entries.min(1),
            },
        }),
    );
    let block = block_update::Block::closed(net, parent, &open.signatures, &reg.last_block);
    for commitment in Commitment::ALL {
        match commitment {
            Commitment::Processed => {}
            Commitment::Confirmed => slot_update(
                &mut out,
                json!({ "type": "optimisticConfirmation", "slot": parent, "timestamp": timestamp }),
            ),
            Commitment::Finalized => {
                for (conn, id) in reg.watchers(|k| matches!(k, Kind::Root)) {
                    out.push((conn, notification("rootNotification", id, json!(parent))));
                }
                slot_update(
                    &mut out,
                    json!({ "type": "root", "slot": parent, "timestamp": timestamp }),
                );
            }
        }
        commitment_notifications(net, reg, &open, &block, parent, commitment, &mut out);
    }
    for (conn, id) in reg.watchers(|k| matches!(k, Kind::Slot)) {
        out.push((
            conn,
            notification(
                "slotNotification",
                id,
                json!({ "parent": parent, "root": parent, "slot": slot }),
            ),
        ));
    }
    slot_update(
        &mut out,
        json!({ "type": "createdBank", "slot": slot, "parent": parent, "timestamp": timestamp }),
    );
    reg.last_block = Some((parent, block.blockhash()));
    reg.send_all(out);
}

fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The notifications of the subscriptions at `commitment` for the closed block `slot`; the
/// signature subscriptions that fire end.
fn commitment_notifications(
    net: &Localnet,
    reg: &mut Registry,
    open: &OpenBlock,
    block: &block_update::Block,
    slot: u64,
    commitment: Commitment,
    out: &mut Vec<(u64, String)>,
) {
    let mut done: Vec<u64> = Vec::new();
    for (id, sub) in reg.subs.iter().filter(|(_, s)| s.commitment == commitment) {
        let (id, conn) = (*id, sub.conn);
        match &sub.kind {
            Kind::Signature { signature, .. } => {
                if let Some(record) =
                    net.transaction(signature).filter(|_| open.signatures.contains(signature))
                {
                    let err = encode::opt_tx_error(record.err.as_ref());
                    out.push((conn, signature_notification(id, record.slot, err)));
                    done.push(id);
                }
            }
            Kind::Logs(filter) => {
                for signature in &open.signatures {
                    let Some(record) = net.transaction(signature) else { continue };
                    let mentioned = match filter {
                        LogsFilter::All => true,
                        LogsFilter::Mentions(key) => account_keys(net, record).contains(key),
                    };
                    if mentioned {
                        let value = json!({
                            "signature": signature.to_string(),
                            "err": encode::opt_tx_error(record.err.as_ref()),
                            "logs": record.meta.logs,
                        });
                        out.push((
                            conn,
                            notification("logsNotification", id, with_context(slot, value)),
                        ));
                    }
                }
            }
            Kind::Account { pubkey, encoding, slice } if open.changed.contains(pubkey) => {
                let account = net.get_account(pubkey).unwrap_or_else(encode::empty_account);
                if let Ok(value) = encode::account(net, pubkey, &account, *encoding, *slice) {
                    out.push((
                        conn,
                        notification("accountNotification", id, with_context(slot, value)),
                    ));
                }
            }
            Kind::Program { program, encoding, slice, filters } => {
                for key in &open.changed {
                    let Some(account) = net.get_account(key) else { continue };
                    if account.owner != *program
                        || !filters.iter().all(|f| f.matches(&account.owner, &account.data))
                    {
                        continue;
                    }
                    if let Ok(value) = encode::account(net, key, &account, *encoding, *slice) {
                        let value = json!({ "pubkey": key.to_string(), "account": value });
                        out.push((
                            conn,
                            notification("programNotification", id, with_context(slot, value)),
                        ));
                    }
                }
            }
            Kind::Block(params) => {
                if let Some(value) = block.update(net, params) {
                    out.push((
                        conn,
                        notification("blockNotification", id, with_context(slot, value)),
                    ));
                }
            }
            _ => {}
        }
    }
    for id in done {
        if let Some(conn) = reg.subs.get(&id).map(|s| s.conn) {
            reg.remove(conn, id, None);
        }
    }
}
