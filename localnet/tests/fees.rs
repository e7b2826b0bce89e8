//! Fees as the validator charges them: the signature fee plus the prioritization fee
//! (`ceil(compute_unit_price × compute_unit_limit / 10⁶)` lamports), refused as a whole before
//! anything executes when the fee payer cannot pay it, and recorded in the transaction's meta.

use crucible_localnet::{Localnet, Pubkey};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

const SOL: u64 = 1_000_000_000;

fn tx(chain: &Localnet, payer: &Keypair, ixs: &[Instruction]) -> VersionedTransaction {
    let message =
        Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &chain.latest_blockhash());
    VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[payer]).unwrap()
}

fn funded(chain: &mut Localnet, lamports: u64) -> Keypair {
    let kp = Keypair::new();
    chain.airdrop(&kp.pubkey(), lamports).unwrap();
    kp
}

fn priced(limit: u32, micro_lamports: u64, then: Instruction) -> Vec<Instruction> {
    vec![
        ComputeBudgetInstruction::set_compute_unit_limit(limit),
        ComputeBudgetInstruction::set_compute_unit_price(micro_lamports),
        then,
    ]
}

#[test]
fn a_priority_fee_is_charged_with_the_signature_fee_and_recorded() {
    let mut chain = Localnet::new();
    let payer = funded(&mut chain, 10 * SOL);
    let to = Pubkey::new_unique();
    let send = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, SOL);
    // 1 000 000 µ-lamports a unit for 200 000 units: 200 000 lamports, plus 5 000 per signature.
    let t = tx(&chain, &payer, &priced(200_000, 1_000_000, send));
    let signature = chain.send_transaction(t).unwrap();
    assert_eq!(chain.get_balance(&payer.pubkey()), 10 * SOL - SOL - 205_000);
    assert_eq!(chain.get_balance(&to), SOL);
    let record = chain.transaction(&signature).unwrap();
    assert_eq!(record.fee, 205_000);
    assert_eq!(record.pre_balances[0] - record.post_balances[0], SOL + 205_000);
}

#[test]
fn a_payer_that_cannot_pay_the_priority_fee_is_refused_and_nothing_moves() {
    let mut chain = Localnet::new();
    let payer = funded(&mut chain, 2 * SOL);
    let to = Pubkey::new_unique();
    let send = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, 1);
    // 2 SOL of priority fee (10 000 000 µ-lamports × 200 000 units) from a 2 SOL account.
    let t = tx(&chain, &payer, &priced(200_000, 10_000_000_000, send));
    let failure = chain.send_transaction(t).unwrap_err();
    assert_eq!(failure.err, TransactionError::InsufficientFundsForFee);
    assert!(!failure.recorded, "refused before execution: not in a block");
    assert_eq!(chain.get_balance(&payer.pubkey()), 2 * SOL);
    assert_eq!(chain.get_balance(&to), 0);
}

#[test]
fn a_failed_transaction_pays_its_whole_fee_and_changes_nothing_else() {
    let mut chain = Localnet::new();
    let payer = funded(&mut chain, SOL);
    let to = Pubkey::new_unique();
    // More than the payer holds: the transfer fails in the System program, the fee is paid.
    let send = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, 2 * SOL);
    let t = tx(&chain, &payer, &priced(100_000, 50_000, send));
    let failure = chain.send_transaction(t).unwrap_err();
    assert!(failure.recorded, "{:?}", failure.err);
    assert!(matches!(failure.err, TransactionError::InstructionError(2, _)), "{:?}", failure.err);
    // 50 000 µ-lamports × 100 000 units = 5 000 lamports, plus the signature.
    assert_eq!(chain.get_balance(&payer.pubkey()), SOL - 10_000);
    assert_eq!(chain.get_balance(&to), 0);
}

#[test]
fn invalid_compute_budget_instructions_fail_unexecuted_and_charge_nothing() {
    let mut chain = Localnet::new();
    let payer = funded(&mut chain, SOL);
    let to = Pubkey::new_unique();
    let send = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, 1);
    let twice = [
        ComputeBudgetInstruction::set_compute_unit_price(1),
        ComputeBudgetInstruction::set_compute_unit_price(2),
        send,
    ];
    let failure = chain.send_transaction(tx(&chain, &payer, &twice)).unwrap_err();
    assert_eq!(failure.err, TransactionError::DuplicateInstruction(1));
    assert!(!failure.recorded);
    assert_eq!(chain.get_balance(&payer.pubkey()), SOL);
}

/// Every lamport in the accounts.
fn in_accounts(chain: &Localnet) -> u64 {
    use solana_account::ReadableAccount;
    chain.svm().accounts_db().inner.values().map(|a| a.lamports()).sum()
}

fn capitalization(chain: &Localnet) -> u64 {
    let total = chain.capitalization();
    // In-process a block closes with each transaction: no fee is ever in flight.
    assert_eq!(total, in_accounts(chain), "capitalization is the accounts' lamports");
    total
}

#[test]
fn the_leader_is_paid_half_the_signature_fees_and_every_prioritization_fee() {
    let mut chain = Localnet::new();
    let payer = funded(&mut chain, 10 * SOL);
    let identity = chain.validator().identity;
    let to = Pubkey::new_unique();
    let (leader_before, supply_before) = (chain.get_balance(&identity), capitalization(&chain));
    // A block per transaction in-process: this block holds the transfer alone.
    let send = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, SOL);
    let signature = chain.send_transaction(tx(&chain, &payer, &priced(200_000, 1_000_000, send)));
    let record = chain.transaction(&signature.unwrap()).unwrap().clone();
    assert_eq!(record.fee, 205_000);
    // 200 000 of prioritization fee and half of the 5 000 signature fee to the leader; the other
    // 2 500 burned, and nothing else leaves the supply.
    assert_eq!(chain.get_balance(&identity), leader_before + 202_500);
    assert_eq!(capitalization(&chain), supply_before - 2_500);
    let crucible_localnet::BlockLookup::Found(block) = chain.block(record.slot) else {
        panic!("the transaction's block is closed");
    };
    let reward = block.fee_reward.expect("a fee reward");
    assert_eq!(reward.lamports, 202_500);
    assert_eq!(reward.post_balance, leader_before + 202_500);

    // A failed transaction's fee is shared the same way; a block without fees pays nothing.
    let broke = funded(&mut chain, SOL);
    let (leader_before, supply_before) = (chain.get_balance(&identity), capitalization(&chain));
    let too_much = solana_system_interface::instruction::transfer(&broke.pubkey(), &to, 2 * SOL);
    let failure = chain.send_transaction(tx(&chain, &broke, &[too_much])).unwrap_err();
    assert!(failure.recorded);
    assert_eq!(chain.get_balance(&identity), leader_before + 2_500);
    assert_eq!(capitalization(&chain), supply_before - 2_500);
    let slot = chain.slot();
    chain.produce_block();
    let crucible_localnet::BlockLookup::Found(empty) = chain.block(slot) else {
        panic!("an empty block is kept");
    };
    assert!(empty.signatures.is_empty() && empty.fee_reward.is_none());
}
