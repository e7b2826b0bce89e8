//! Address lookup tables end to end on the in-process chain: the `SlotHashes` sysvar follows the
//! slots, so a table can be created from a recent slot, extended, used by v0 transactions,
//! frozen, deactivated and, once its deactivation slot has left `SlotHashes` (512 slots later),
//! closed, all by the real SBF address-lookup-table program.

use crucible_localnet::{Localnet, Pubkey};
use solana_address_lookup_table_interface::{
    instruction as alt, state::AddressLookupTable, state::LOOKUP_TABLE_META_SIZE,
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

const SOL: u64 = 1_000_000_000;

fn send(
    chain: &mut Localnet,
    payer: &Keypair,
    ixs: &[Instruction],
) -> Result<(), TransactionError> {
    let message =
        Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &chain.latest_blockhash());
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &[payer]).unwrap();
    chain.send_transaction(tx).map(|_| ()).map_err(|f| f.err)
}

fn table(chain: &Localnet, key: &Pubkey) -> Vec<Pubkey> {
    let account = chain.get_account(key).expect("the table exists");
    AddressLookupTable::deserialize(&account.data).unwrap().addresses.to_vec()
}

#[test]
fn a_lookup_table_lives_its_whole_life_and_serves_v0_transactions() {
    let mut chain = Localnet::new();
    let authority = Keypair::new();
    chain.airdrop(&authority.pubkey(), 10 * SOL).unwrap();

    // The current slot is not yet in SlotHashes (a bank holds its parents only).
    let current = chain.slot();
    let (create, _) = alt::create_lookup_table(authority.pubkey(), authority.pubkey(), current);
    assert!(matches!(
        send(&mut chain, &authority, &[create]),
        Err(TransactionError::InstructionError(0, _))
    ));
    // A slot the chain has passed is.
    let recent = chain.slot() - 1;
    let (create, key) = alt::create_lookup_table(authority.pubkey(), authority.pubkey(), recent);
    send(&mut chain, &authority, &[create]).unwrap();
    let recipients: Vec<Pubkey> = (0..20).map(|_| Pubkey::new_unique()).collect();
    let extend = alt::extend_lookup_table(
        key,
        authority.pubkey(),
        Some(authority.pubkey()),
        recipients.clone(),
    );
    send(&mut chain, &authority, &[extend]).unwrap();
    assert_eq!(table(&chain, &key), recipients);
    assert_eq!(chain.get_account(&key).unwrap().data.len(), LOOKUP_TABLE_META_SIZE + 20 * 32);

    // Addresses extended in a slot are usable from the next one: a v0 transfer to all 20
    // recipients names them by index (1 byte each instead of 32).
    chain.produce_block();
    let transfers: Vec<Instruction> = recipients
        .iter()
        .map(|to| {
            solana_system_interface::instruction::transfer(&authority.pubkey(), to, SOL / 100)
        })
        .collect();
    let lookup = AddressLookupTableAccount { key, addresses: recipients.clone() };
    let message = v0::Message::try_compile(
        &authority.pubkey(),
        &transfers,
        &[lookup],
        chain.latest_blockhash(),
    )
    .unwrap();
    assert_eq!(message.address_table_lookups.len(), 1);
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&authority]).unwrap();
    assert!(bincode::serialize(&tx).unwrap().len() < 1_232);
    chain.send_transaction(tx).unwrap();
    for to in &recipients {
        assert_eq!(chain.get_balance(to), SOL / 100);
    }

    // Deactivated, then closed only once the deactivation slot has left SlotHashes.
    send(&mut chain, &authority, &[alt::deactivate_lookup_table(key, authority.pubkey())]).unwrap();
    let close = alt::close_lookup_table(key, authority.pubkey(), authority.pubkey());
    assert!(send(&mut chain, &authority, std::slice::from_ref(&close)).is_err());
    for _ in 0..512 {
        chain.produce_block();
    }
    let before = chain.get_balance(&authority.pubkey());
    let rent = chain.get_balance(&key);
    send(&mut chain, &authority, &[close]).unwrap();
    assert!(chain.get_account(&key).is_none_or(|a| a.lamports == 0));
    assert_eq!(chain.get_balance(&authority.pubkey()), before + rent - 5_000);
}

#[test]
fn a_frozen_lookup_table_can_neither_grow_nor_be_deactivated() {
    let mut chain = Localnet::new();
    let authority = Keypair::new();
    chain.airdrop(&authority.pubkey(), 10 * SOL).unwrap();
    let (create, key) =
        alt::create_lookup_table(authority.pubkey(), authority.pubkey(), chain.slot() - 1);
    let address = Pubkey::new_unique();
    let extend =
        alt::extend_lookup_table(key, authority.pubkey(), Some(authority.pubkey()), vec![address]);
    send(&mut chain, &authority, &[create, extend]).unwrap();
    send(&mut chain, &authority, &[alt::freeze_lookup_table(key, authority.pubkey())]).unwrap();
    let extend = alt::extend_lookup_table(
        key,
        authority.pubkey(),
        Some(authority.pubkey()),
        vec![Pubkey::new_unique()],
    );
    let immutable = Err(TransactionError::InstructionError(
        0,
        solana_instruction::error::InstructionError::Immutable,
    ));
    assert_eq!(send(&mut chain, &authority, &[extend]), immutable);
    assert_eq!(
        send(&mut chain, &authority, &[alt::deactivate_lookup_table(key, authority.pubkey())]),
        immutable
    );
    assert_eq!(table(&chain, &key), vec![address]);
}
