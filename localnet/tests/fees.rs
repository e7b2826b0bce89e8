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
