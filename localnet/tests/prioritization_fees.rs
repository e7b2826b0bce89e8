//! `getRecentPrioritizationFees` as agave's prioritization-fee cache answers it: per recent block
//! with transactions, the lowest compute-unit price paid, raised to what the transactions that
//! write a given account paid.

use crucible_localnet::{Localnet, Pubkey, RECENT_PRIORITIZATION_BLOCKS};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

const SOL: u64 = 1_000_000_000;

/// A transfer from `from` to `to` at `price` micro-lamports a unit (no price instruction at 0).
fn send(chain: &mut Localnet, from: &Keypair, to: &Pubkey, price: u64) {
    let mut ixs = vec![ComputeBudgetInstruction::set_compute_unit_limit(10_000)];
    if price > 0 {
        ixs.push(ComputeBudgetInstruction::set_compute_unit_price(price));
    }
    ixs.push(solana_system_interface::instruction::transfer(&from.pubkey(), to, SOL / 10));
    let message =
        Message::new_with_blockhash(&ixs, Some(&from.pubkey()), &chain.latest_blockhash());
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[from]).unwrap();
    chain.send_transaction(tx).unwrap();
}

#[test]
fn each_block_reports_its_lowest_price_raised_by_the_accounts_asked_for() {
    let mut chain = Localnet::new();
    chain.set_block_per_transaction(false);
    let (a, b) = (Keypair::new(), Keypair::new());
    chain.airdrop(&a.pubkey(), 10 * SOL).unwrap();
    chain.airdrop(&b.pubkey(), 10 * SOL).unwrap();
    let (hot, cold) = (Pubkey::new_unique(), Pubkey::new_unique());
    chain.produce_block();
    // One block: a pays 5 000 to write `hot`, b pays 200 to write `cold`.
    send(&mut chain, &a, &hot, 5_000);
    send(&mut chain, &b, &cold, 200);
    let busy = chain.slot();
    chain.produce_block();
    // An empty block, then one with a transaction paying nothing.
    chain.produce_block();
    send(&mut chain, &a, &cold, 0);
    let free = chain.slot();
    chain.produce_block();

    let fees = |accounts: &[Pubkey]| -> Vec<(u64, u64)> {
        chain.recent_prioritization_fees(accounts).into_iter().filter(|(s, _)| *s >= busy).collect()
    };
    // Blocks with transactions only, oldest first; the empty one is not listed.
    assert_eq!(fees(&[]), vec![(busy, 200), (free, 0)]);
    // Writing `hot` took 5 000 in that block; `cold` 200 then 0.
    assert_eq!(fees(&[hot]), vec![(busy, 5_000), (free, 0)]);
    assert_eq!(fees(&[cold]), vec![(busy, 200), (free, 0)]);
    assert_eq!(fees(&[cold, hot]), vec![(busy, 5_000), (free, 0)]);
    // An account nobody wrote changes nothing.
    assert_eq!(fees(&[Pubkey::new_unique()]), vec![(busy, 200), (free, 0)]);
}

#[test]
fn at_most_the_newest_150_blocks_with_transactions_are_reported() {
    let mut chain = Localnet::new();
    let payer = Keypair::new();
    chain.airdrop(&payer.pubkey(), 100 * SOL).unwrap();
    // A block per transaction: 160 blocks at prices 1..=160.
    for price in 1..=160 {
        send(&mut chain, &payer, &Pubkey::new_unique(), price);
    }
    let fees = chain.recent_prioritization_fees(&[]);
    assert_eq!(fees.len(), RECENT_PRIORITIZATION_BLOCKS);
    assert_eq!(fees.last().unwrap().1, 160);
    assert_eq!(fees[0].1, 160 - RECENT_PRIORITIZATION_BLOCKS as u64 + 1);
    assert!(fees.windows(2).all(|w| w[0].0 < w[1].0), "oldest first");
}
