//! Blocks on the ledger (`--ledger DIR`), in process: a chain stopped and started again holds
//! every earlier block as it did (skipped slots, the first available block, prioritization
//! fees); the block open at the stop closes after the restart holding its transactions, at the
//! slot their records name; evicted blocks stay evicted; a ledger of the previous format is
//! refused with its format. Over sockets and with the real binary: `ledger_blocks_rpc.rs`.

mod common;

use std::path::Path;

use common::ledger::{open_with, priced_transfer, stored_block_slots, TempDir};
use common::{transfer, SOL};
use crucible_localnet::{Block, BlockLookup, Localnet, OpenLedger, Options, Pubkey, TimeTravel};
use redb::{Database, ReadableTable, TableDefinition};
use solana_keypair::Keypair;
use solana_signer::Signer;

fn open(dir: &Path) -> Localnet {
    open_with(dir, Options::default())
}

fn with_history(capacity: usize) -> Options {
    Options { history_capacity: capacity, ..Options::default() }
}

fn found(net: &Localnet, slot: u64) -> Block {
    match net.block(slot) {
        BlockLookup::Found(b) => b.clone(),
        other => panic!("slot {slot}: {other:?}"),
    }
}

/// What the chain answers about its blocks: every slot's standing up to the current one, the
/// blocks, the first available block, the prioritization fees and the produced-block count.
#[derive(Debug, PartialEq)]
struct Blocks {
    slots: Vec<String>,
    blocks: Vec<Block>,
    first_available: u64,
    fees: Vec<(u64, u64)>,
    produced: u64,
}

fn blocks_of(net: &Localnet) -> Blocks {
    Blocks {
        slots: (0..=net.slot()).map(|s| format!("{s}: {:?}", net.block(s))).collect(),
        blocks: net.blocks(0, u64::MAX, usize::MAX).cloned().collect(),
        first_available: net.first_available_block(),
        fees: net.recent_prioritization_fees(&[]),
        produced: net.blocks_in(0, net.slot() - 1),
    }
}

#[test]
fn blocks_and_skipped_slots_survive_a_restart() {
    let dir = TempDir::new("blocks");
    let (payer, to) = (Keypair::new(), Pubkey::new_unique());
    let mut net = open(dir.path());
    net.airdrop(&payer.pubkey(), 10 * SOL).unwrap();
    for i in 0..5 {
        let tx = priced_transfer(&payer, &to, 1000 + i, 10 * (i + 1), net.latest_blockhash());
        net.send_transaction(tx).unwrap();
    }
    let slot = net.slot();
    net.time_travel(TimeTravel::AbsoluteSlot(slot + 25)).unwrap();
    net.airdrop(&payer.pubkey(), SOL).unwrap();
    net.produce_block(); // an empty block
    let before = blocks_of(&net);
    assert_eq!(before.fees.len(), 7); // a block each: the airdrops and the transfers
    assert_eq!(before.slots.iter().filter(|s| s.ends_with("Skipped")).count(), 24);
    let last = before.blocks.last().unwrap().clone();
    drop(net);
    assert_eq!(stored_block_slots(dir.path()).len(), before.blocks.len());

    let mut net = open(dir.path());
    assert_eq!(blocks_of(&net), before);
    // The next block follows on from the last one kept.
    let signature = net.airdrop(&payer.pubkey(), SOL).unwrap();
    let block = found(&net, net.transaction(&signature).unwrap().slot);
    assert_eq!(block.signatures, vec![signature]);
    assert_eq!(
        (block.parent_slot, block.previous_blockhash, block.block_height),
        (last.slot, last.blockhash, last.block_height + 1)
    );
}

#[test]
fn the_open_block_closes_after_a_restart_with_its_transactions() {
    let dir = TempDir::new("open-block");
    let (payer, to) = (Keypair::new(), Pubkey::new_unique());
    let mut net = open(dir.path());
    net.set_block_per_transaction(false);
    net.produce_block();
    let parent = found(&net, 0);
    let a = net.airdrop(&payer.pubkey(), SOL).unwrap();
    let b = net.send_transaction(transfer(&payer, &to, 1000, net.latest_blockhash())).unwrap();
    let slot = net.slot();
    assert_eq!(net.block(slot), BlockLookup::NotAvailable);
    net.commit().unwrap();
    drop(net);

    // Restarted, the chain is still in that slot, its block still open: the transactions
    // recorded in it (which getTransaction places there) close with it.
    let mut net = open(dir.path());
    net.set_block_per_transaction(false);
    assert_eq!((net.slot(), net.block(slot)), (slot, BlockLookup::NotAvailable));
    assert_eq!(net.transaction(&b).unwrap().slot, slot);
    let c = net.send_transaction(transfer(&payer, &to, 2000, net.latest_blockhash())).unwrap();
    net.produce_block();
    let block = found(&net, slot);
    assert_eq!(block.signatures, vec![a, b, c]);
    assert_eq!(
        (block.parent_slot, block.previous_blockhash, block.block_height),
        (parent.slot, parent.blockhash, parent.block_height + 1)
    );
    drop(net);
    assert_eq!(found(&open(dir.path()), slot), block);
}

#[test]
fn evicted_blocks_stay_evicted() {
    let dir = TempDir::new("evicted");
    let payer = Keypair::new();
    let mut net = open_with(dir.path(), with_history(3));
    let signatures: Vec<_> = (0..6).map(|_| net.airdrop(&payer.pubkey(), SOL).unwrap()).collect();
    let first = net.first_available_block();
    assert!(first > 0);
    let before = blocks_of(&net);
    drop(net);

    let net = open_with(dir.path(), with_history(3));
    assert_eq!(blocks_of(&net), before);
    assert_eq!(net.block(0), BlockLookup::CleanedUp { first_available: first });
    drop(net);
    assert!(stored_block_slots(dir.path()).iter().all(|&s| s >= first));

    // A smaller history at the restart evicts more: the blocks go with their transactions.
    let net = open_with(dir.path(), with_history(1));
    let fewer = net.first_available_block();
    assert!(fewer > first);
    let newest = net.transaction(&signatures[5]).unwrap().slot;
    assert_eq!(found(&net, newest).signatures, vec![signatures[5]]);
    assert_eq!(net.block(first), BlockLookup::CleanedUp { first_available: fewer });
    drop(net);
    assert!(stored_block_slots(dir.path()).iter().all(|&s| s >= fewer));

    // A larger one does not bring them back.
    let net = open_with(dir.path(), with_history(100));
    assert_eq!(net.first_available_block(), fewer);
    assert_eq!(net.block(first), BlockLookup::CleanedUp { first_available: fewer });
    assert_eq!(found(&net, newest).signatures, vec![signatures[5]]);
}

#[test]
fn a_ledger_of_the_previous_format_is_refused_with_its_format() {
    let dir = TempDir::new("format");
    drop(open(dir.path()));
    let file = dir.path().join("ledger.redb");
    {
        // The chain state's first field is the format (a u32, little-endian).
        let meta = TableDefinition::<&str, &[u8]>::new("meta");
        let db = Database::open(&file).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(meta).unwrap();
            let mut bytes = table.get("chain").unwrap().unwrap().value().to_vec();
            bytes[..4].copy_from_slice(&2u32.to_le_bytes());
            table.insert("chain", bytes.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let bytes = std::fs::read(&file).unwrap();
    let err = OpenLedger::open(dir.path(), false).err().expect("refused");
    assert_eq!(
        err,
        format!(
            "the ledger {} cannot be opened: it was written in format 2, this validator reads \
             format 3 (nothing in it was changed; start with --reset to begin a new ledger \
             there, or choose another --ledger)",
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}
