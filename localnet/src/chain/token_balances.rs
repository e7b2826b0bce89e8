//! The token balances a transaction's status metadata carries (`preTokenBalances`,
//! `postTokenBalances`), collected as agave's `collect_token_balances` does
//! (ledger/src/token_balances.rs): every account key that is neither invoked as a program nor a
//! token program itself, owned by SPL Token or Token-2022, holding an initialized token account
//! whose mint is readable, with the mint's decimals at that moment.

use solana_account::ReadableAccount;
use solana_message::VersionedMessage;
use solana_pubkey::Pubkey;

use super::{Localnet, TokenBalance};
use crate::programs::spl;

const MINT_LEN: usize = 82;
const ACCOUNT_LEN: usize = 165;
const MULTISIG_LEN: usize = 355;
/// Token-2022's account-type byte after the base state (1 mint, 2 account).
const ACCOUNT_TYPE_MINT: u8 = 1;
const ACCOUNT_TYPE_ACCOUNT: u8 = 2;

fn is_token_program(key: &Pubkey) -> bool {
    *key == spl::TOKEN || *key == spl::TOKEN_2022
}

/// Whether `data` is `base_len` bytes of `program`'s state, or Token-2022's with extensions
/// (the type byte at offset 165 says which state).
fn has_layout(program: &Pubkey, data: &[u8], base_len: usize, account_type: u8) -> bool {
    data.len() == base_len
        || (*program == spl::TOKEN_2022
            && data.len() > ACCOUNT_LEN
            && data.len() != MULTISIG_LEN
            && data[ACCOUNT_LEN] == account_type)
}

fn read_pubkey(data: &[u8], at: usize) -> Pubkey {
    Pubkey::try_from(&data[at..at + 32]).expect("32 bytes")
}

impl Localnet {
    /// The token balances of `keys` (the transaction's keys, static then loaded) now.
    pub(super) fn token_balances(
        &self,
        keys: &[Pubkey],
        message: &VersionedMessage,
    ) -> Vec<TokenBalance> {
        let invoked = |i: usize| {
            message.instructions().iter().any(|ix| usize::from(ix.program_id_index) == i)
        };
        keys.iter()
            .enumerate()
            .filter(|&(i, key)| !invoked(i) && !is_token_program(key))
            .filter_map(|(i, key)| {
                // Read in place: a copy of every key's account per transaction would cost.
                let accounts = &self.svm.accounts_db().inner;
                let account = accounts.get(key)?;
                let program = *account.owner();
                let data = account.data();
                // An initialized account (state byte at 108: 1 initialized, 2 frozen).
                if !is_token_program(&program)
                    || !has_layout(&program, data, ACCOUNT_LEN, ACCOUNT_TYPE_ACCOUNT)
                    || data[108] == 0
                {
                    return None;
                }
                let mint = read_pubkey(data, 0);
                let mint_account = accounts.get(&mint)?;
                let mint_data = mint_account.data();
                // The mint: same program, initialized (byte 45), decimals at byte 44.
                if *mint_account.owner() != program
                    || !has_layout(&program, mint_data, MINT_LEN, ACCOUNT_TYPE_MINT)
                    || mint_data[45] == 0
                {
                    return None;
                }
                Some(TokenBalance {
                    account_index: u8::try_from(i).ok()?,
                    mint,
                    owner: read_pubkey(data, 32),
                    program_id: program,
                    amount: u64::from_le_bytes(data[64..72].try_into().expect("8 bytes")),
                    decimals: mint_data[44],
                })
            })
            .collect()
    }
}
