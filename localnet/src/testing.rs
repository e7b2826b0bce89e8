//! Helpers for Rust tests and benchmarks that drive a [`Localnet`] in-process: sending
//! instructions, SPL mints and token accounts, reading balances.

use anchor_lang::{solana_program::program_pack::Pack, AccountDeserialize};
use anchor_spl::token::spl_token;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{Message, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

use crate::{Localnet, TxFailure};

/// Lamports in one SOL.
pub const SOL: u64 = 1_000_000_000;

/// Signs `ixs` with `payer` (fee payer) and `signers`, sends, and returns the logs.
pub fn send(
    chain: &mut Localnet,
    payer: &Keypair,
    ixs: &[Instruction],
    signers: &[&Keypair],
) -> Result<Vec<String>, TxFailure> {
    let message =
        Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &chain.latest_blockhash());
    let mut all: Vec<&Keypair> = vec![payer];
    all.extend(signers.iter().copied().filter(|s| s.pubkey() != payer.pubkey()));
    let tx = VersionedTransaction::try_new(VersionedMessage::Legacy(message), &all)
        .expect("the signers cover the message's required signatures");
    let signature = chain.send_transaction(tx)?;
    Ok(chain.transaction(&signature).map(|r| r.meta.logs.clone()).unwrap_or_default())
}

/// A keypair derived from a 32-byte seed, for reproducible randomized tests.
pub fn keypair_from_seed(seed: [u8; 32]) -> Keypair {
    Keypair::new_from_array(seed)
}

/// Creates an SPL Token mint at `mint` with `authority` as mint authority.
pub fn create_mint(
    chain: &mut Localnet,
    payer: &Keypair,
    mint: &Keypair,
    authority: &Pubkey,
    decimals: u8,
) -> Result<(), TxFailure> {
    let rent = chain.minimum_balance_for_rent_exemption(spl_token::state::Mint::LEN);
    let ixs = [
        solana_system_interface::instruction::create_account(
            &payer.pubkey(),
            &mint.pubkey(),
            rent,
            spl_token::state::Mint::LEN as u64,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_mint2(
            &spl_token::ID,
            &mint.pubkey(),
            authority,
            None,
            decimals,
        )
        .expect("valid instruction"),
    ];
    send(chain, payer, &ixs, &[mint]).map(|_| ())
}

/// Creates an SPL Token account of `mint` owned by `owner` and returns its address.
pub fn create_token_account(
    chain: &mut Localnet,
    payer: &Keypair,
    mint: &Pubkey,
    owner: &Pubkey,
) -> Result<Pubkey, TxFailure> {
    let account = Keypair::new();
    let rent = chain.minimum_balance_for_rent_exemption(spl_token::state::Account::LEN);
    let ixs = [
        solana_system_interface::instruction::create_account(
            &payer.pubkey(),
            &account.pubkey(),
            rent,
            spl_token::state::Account::LEN as u64,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_account3(&spl_token::ID, &account.pubkey(), mint, owner)
            .expect("valid instruction"),
    ];
    send(chain, payer, &ixs, &[&account])?;
    Ok(account.pubkey())
}

/// Mints `amount` of `mint` into `to`, signed by the mint `authority`.
pub fn mint_to(
    chain: &mut Localnet,
    authority: &Keypair,
    mint: &Pubkey,
    to: &Pubkey,
    amount: u64,
) -> Result<(), TxFailure> {
    let ix =
        spl_token::instruction::mint_to(&spl_token::ID, mint, to, &authority.pubkey(), &[], amount)
            .expect("valid instruction");
    send(chain, authority, &[ix], &[]).map(|_| ())
}

/// The balance of an SPL Token (or Token-2022) account; 0 when it does not exist.
pub fn token_balance(chain: &Localnet, account: &Pubkey) -> u64 {
    chain
        .get_account(account)
        .and_then(|a| {
            a.data.get(64..72).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
        })
        .unwrap_or(0)
}

/// The supply of an SPL Token (or Token-2022) mint.
pub fn mint_supply(chain: &Localnet, mint: &Pubkey) -> u64 {
    chain
        .get_account(mint)
        .and_then(|a| {
            a.data.get(36..44).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
        })
        .unwrap_or(0)
}

/// Decodes an Anchor account, or `None` when it does not exist or does not decode.
pub fn anchor_account<T: AccountDeserialize>(chain: &Localnet, address: &Pubkey) -> Option<T> {
    chain.get_account(address).and_then(|a| T::try_deserialize(&mut &a.data[..]).ok())
}

/// The custom error code of a failed transaction, if it failed with one.
pub fn custom_error(failure: &TxFailure) -> Option<u32> {
    match &failure.err {
        solana_transaction_error::TransactionError::InstructionError(
            _,
            solana_instruction::error::InstructionError::Custom(code),
        ) => Some(*code),
        _ => None,
    }
}
