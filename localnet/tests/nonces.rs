//! Durable transaction nonces on the in-process chain, as on a validator: a transaction signed
//! long ago against a nonce runs once, whenever it is sent; the nonce advances every time it
//! is used (even by a transaction that fails), so the same transaction never runs twice.

use crucible_localnet::{Localnet, Pubkey};
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_nonce::{state::State, versions::Versions};
use solana_signer::Signer;
use solana_system_interface::instruction as system;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

const SOL: u64 = 1_000_000_000;

fn signed(payer: &Keypair, ixs: &[Instruction], blockhash: Hash) -> VersionedTransaction {
    let message = Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &blockhash);
    VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[payer]).unwrap()
}

fn nonce_value(chain: &Localnet, nonce: &Pubkey) -> Hash {
    let account = chain.get_account(nonce).unwrap();
    match bincode::deserialize::<Versions>(&account.data).unwrap().state() {
        State::Initialized(data) => data.blockhash(),
        State::Uninitialized => panic!("uninitialized nonce"),
    }
}

/// A funded authority and an initialized nonce account it controls.
fn nonce_world(chain: &mut Localnet) -> (Keypair, Pubkey) {
    let authority = Keypair::new();
    chain.airdrop(&authority.pubkey(), 10 * SOL).unwrap();
    let nonce = Keypair::new();
    let rent = chain.minimum_balance_for_rent_exemption(State::size());
    let create = system::create_nonce_account(
        &authority.pubkey(),
        &nonce.pubkey(),
        &authority.pubkey(),
        rent,
    );
    let message =
        Message::new_with_blockhash(&create, Some(&authority.pubkey()), &chain.latest_blockhash());
    let tx =
        VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[&authority, &nonce])
            .unwrap();
    chain.send_transaction(tx).unwrap();
    (authority, nonce.pubkey())
}

#[test]
fn a_durable_transaction_runs_once_whenever_it_is_sent() {
    let mut chain = Localnet::new();
    let (authority, nonce) = nonce_world(&mut chain);
    let to = Pubkey::new_unique();
    let value = nonce_value(&chain, &nonce);
    let ixs = [
        system::advance_nonce_account(&nonce, &authority.pubkey()),
        system::transfer(&authority.pubkey(), &to, SOL),
    ];
    let tx = signed(&authority, &ixs, value);
    // Long after every blockhash of its time has expired.
    for _ in 0..400 {
        chain.produce_block();
    }
    assert!(!chain.is_blockhash_valid(&value));
    chain.send_transaction(tx.clone()).unwrap();
    assert_eq!(chain.get_balance(&to), SOL);
    assert_ne!(nonce_value(&chain, &nonce), value);
    // The nonce moved on: the same transaction is refused (and so would be any built on the old
    // value), however many blocks later.
    for _ in 0..400 {
        chain.produce_block();
    }
    let again = chain.send_transaction(tx).unwrap_err();
    assert!(
        matches!(
            again.err,
            TransactionError::AlreadyProcessed | TransactionError::BlockhashNotFound
        ),
        "{:?}",
        again.err
    );
    assert_eq!(chain.get_balance(&to), SOL);
}

#[test]
fn a_nonce_advances_right_after_it_is_created_and_after_each_advance() {
    let mut chain = Localnet::new();
    let (authority, nonce) = nonce_world(&mut chain);
    // Advanced with an ordinary blockhash, twice in a row: each time from the bank's newest
    // blockhash, never "once per slot" against the transaction's own.
    let blockhash = chain.latest_blockhash();
    for lamports in 0..2 {
        let before = nonce_value(&chain, &nonce);
        let ix = system::advance_nonce_account(&nonce, &authority.pubkey());
        // Two transactions that differ (a self-transfer of 0, then 1 lamport) on one blockhash.
        let differ = system::transfer(&authority.pubkey(), &authority.pubkey(), lamports);
        chain.send_transaction(signed(&authority, &[ix, differ], blockhash)).unwrap();
        assert_ne!(nonce_value(&chain, &nonce), before);
    }
}

#[test]
fn a_failed_durable_transaction_still_advances_its_nonce_and_pays_its_fee() {
    let mut chain = Localnet::new();
    let (authority, nonce) = nonce_world(&mut chain);
    let value = nonce_value(&chain, &nonce);
    let before = chain.get_balance(&authority.pubkey());
    // A transfer of more than the authority holds fails after the advance.
    let ixs = [
        system::advance_nonce_account(&nonce, &authority.pubkey()),
        system::transfer(&authority.pubkey(), &Pubkey::new_unique(), 100 * SOL),
    ];
    let failure = chain.send_transaction(signed(&authority, &ixs, value)).unwrap_err();
    assert!(failure.recorded);
    assert!(matches!(failure.err, TransactionError::InstructionError(1, _)), "{:?}", failure.err);
    assert_eq!(chain.get_balance(&authority.pubkey()), before - 5_000);
    assert_ne!(nonce_value(&chain, &nonce), value, "the nonce advanced all the same");
}

#[test]
fn a_durable_transaction_refused_by_preflight_leaves_no_trace() {
    let mut chain = Localnet::new();
    let (authority, nonce) = nonce_world(&mut chain);
    let value = nonce_value(&chain, &nonce);
    let before = chain.get_balance(&authority.pubkey());
    let account_before = chain.get_account(&nonce).unwrap();
    // The same failing transfer, with a priority fee: preflight (sendTransaction's default)
    // refuses it, and neither the fee nor the nonce's advance is kept.
    let ixs = [
        system::advance_nonce_account(&nonce, &authority.pubkey()),
        solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_price(
            1_000_000,
        ),
        system::transfer(&authority.pubkey(), &Pubkey::new_unique(), 100 * SOL),
    ];
    let tx = signed(&authority, &ixs, value);
    let failure = chain.send_transaction_with_preflight(tx.clone()).unwrap_err();
    assert!(!failure.recorded);
    assert!(matches!(failure.err, TransactionError::InstructionError(2, _)), "{:?}", failure.err);
    assert!(!failure.logs.is_empty(), "the simulation's logs come back");
    assert_eq!(chain.get_balance(&authority.pubkey()), before, "no fee");
    assert_eq!(chain.get_account(&nonce).unwrap(), account_before, "the nonce did not advance");
    assert!(chain.transaction(&tx.signatures[0]).is_none(), "not recorded");
    // Without preflight the same transaction executes: fee charged, nonce advanced.
    let failure = chain.send_transaction(tx).unwrap_err();
    assert!(failure.recorded);
    assert!(chain.get_balance(&authority.pubkey()) < before - 5_000, "fee and priority fee");
    assert_ne!(nonce_value(&chain, &nonce), value);
}

#[test]
fn a_durable_transaction_without_its_authority_or_with_a_wrong_value_is_refused() {
    let mut chain = Localnet::new();
    let (authority, nonce) = nonce_world(&mut chain);
    let value = nonce_value(&chain, &nonce);
    let stranger = Keypair::new();
    chain.airdrop(&stranger.pubkey(), SOL).unwrap();
    // The stranger names itself as the authority: the nonce's authority does not sign.
    let ixs = [system::advance_nonce_account(&nonce, &stranger.pubkey())];
    let refused = chain.send_transaction(signed(&stranger, &ixs, value)).unwrap_err();
    assert_eq!(refused.err, TransactionError::BlockhashNotFound);
    // A value the nonce does not hold.
    let ixs = [system::advance_nonce_account(&nonce, &authority.pubkey())];
    let refused = chain.send_transaction(signed(&authority, &ixs, Hash::new_unique())).unwrap_err();
    assert_eq!(refused.err, TransactionError::BlockhashNotFound);
    // The advance not first.
    let ixs = [
        system::transfer(&authority.pubkey(), &stranger.pubkey(), 1),
        system::advance_nonce_account(&nonce, &authority.pubkey()),
    ];
    let refused = chain.send_transaction(signed(&authority, &ixs, value)).unwrap_err();
    assert_eq!(refused.err, TransactionError::BlockhashNotFound);
    assert_eq!(nonce_value(&chain, &nonce), value);
    assert!(!refused.recorded);
}
