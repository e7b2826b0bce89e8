//! SPL Token and Token-2022 state decoded from account data: the base state of token accounts
//! and mints (Token-2022 extensions are skipped), as `jsonParsed`, the token methods and the
//! `tokenAccountState` filter read it; and the base state of a token account written back
//! (`surfnet_setTokenAccount`).

use solana_pubkey::Pubkey;

use crate::{spl, Localnet};

pub fn is_token_program(owner: &Pubkey) -> bool {
    *owner == spl::TOKEN || *owner == spl::TOKEN_2022
}

const MINT_LEN: usize = 82;
/// The length of a token account's base state (an SPL Token account's whole data).
pub const ACCOUNT_LEN: usize = 165;

/// An SPL Token (or Token-2022) account's base state.
pub struct TokenAccount {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub delegate: Option<Pubkey>,
    pub state: u8,
    pub is_native: Option<u64>,
    pub delegated_amount: u64,
    pub close_authority: Option<Pubkey>,
}

/// An SPL Token (or Token-2022) mint's base state.
pub struct Mint {
    pub mint_authority: Option<Pubkey>,
    pub supply: u64,
    pub decimals: u8,
    pub is_initialized: bool,
    pub freeze_authority: Option<Pubkey>,
}

fn pubkey_at(data: &[u8], at: usize) -> Pubkey {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&data[at..at + 32]);
    Pubkey::new_from_array(bytes)
}

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[at..at + 8]);
    u64::from_le_bytes(bytes)
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(&data[at..at + 4]);
    u32::from_le_bytes(bytes)
}

/// `COption<Pubkey>`: 4-byte tag then 32 bytes. `None` if malformed.
fn coption_pubkey(data: &[u8], at: usize) -> Option<Option<Pubkey>> {
    match u32_at(data, at) {
        0 => Some(None),
        1 => Some(Some(pubkey_at(data, at + 4))),
        _ => None,
    }
}

fn coption_u64(data: &[u8], at: usize) -> Option<Option<u64>> {
    match u32_at(data, at) {
        0 => Some(None),
        1 => Some(Some(u64_at(data, at + 4))),
        _ => None,
    }
}

/// The account type byte of Token-2022 extended state (1 mint, 2 account).
fn account_type(owner: &Pubkey, data: &[u8]) -> Option<u8> {
    if *owner == spl::TOKEN_2022 && data.len() > ACCOUNT_LEN {
        Some(data[ACCOUNT_LEN])
    } else {
        None
    }
}

/// The initialized token account in `data`, if `owner` is a token program and it is one.
pub fn token_account(owner: &Pubkey, data: &[u8]) -> Option<TokenAccount> {
    if !is_token_program(owner) {
        return None;
    }
    let shaped = data.len() == ACCOUNT_LEN || account_type(owner, data) == Some(2);
    if !shaped {
        return None;
    }
    let state = data[108];
    if state == 0 || state > 2 {
        return None;
    }
    Some(TokenAccount {
        mint: pubkey_at(data, 0),
        owner: pubkey_at(data, 32),
        amount: u64_at(data, 64),
        delegate: coption_pubkey(data, 72)?,
        state,
        is_native: coption_u64(data, 109)?,
        delegated_amount: u64_at(data, 121),
        close_authority: coption_pubkey(data, 129)?,
    })
}

fn put_coption_pubkey(data: &mut [u8], at: usize, value: Option<Pubkey>) {
    let (tag, key) = match value {
        Some(key) => (1u32, key),
        None => (0u32, Pubkey::default()),
    };
    data[at..at + 4].copy_from_slice(&tag.to_le_bytes());
    data[at + 4..at + 36].copy_from_slice(key.as_ref());
}

/// Writes `account` as the base state of a token account into `data` (at least
/// [`ACCOUNT_LEN`] bytes; Token-2022 extensions after it stay as they are). `state` is 0
/// (uninitialized), 1 (initialized) or 2 (frozen).
pub fn write_token_account(data: &mut [u8], account: &TokenAccount) {
    data[0..32].copy_from_slice(account.mint.as_ref());
    data[32..64].copy_from_slice(account.owner.as_ref());
    data[64..72].copy_from_slice(&account.amount.to_le_bytes());
    put_coption_pubkey(data, 72, account.delegate);
    data[108] = account.state;
    let (tag, reserve) = match account.is_native {
        Some(reserve) => (1u32, reserve),
        None => (0u32, 0),
    };
    data[109..113].copy_from_slice(&tag.to_le_bytes());
    data[113..121].copy_from_slice(&reserve.to_le_bytes());
    data[121..129].copy_from_slice(&account.delegated_amount.to_le_bytes());
    put_coption_pubkey(data, 129, account.close_authority);
}

/// The initialized mint in `data`, if `owner` is a token program and it is one.
pub fn mint(owner: &Pubkey, data: &[u8]) -> Option<Mint> {
    if !is_token_program(owner) {
        return None;
    }
    let shaped = data.len() == MINT_LEN || account_type(owner, data) == Some(1);
    if !shaped || data[45] != 1 {
        return None;
    }
    Some(Mint {
        mint_authority: coption_pubkey(data, 0)?,
        supply: u64_at(data, 36),
        decimals: data[44],
        is_initialized: true,
        freeze_authority: coption_pubkey(data, 46)?,
    })
}

/// The mint of `mint_key` from the chain.
pub fn load_mint(net: &Localnet, mint_key: &Pubkey) -> Option<Mint> {
    let account = net.get_account(mint_key)?;
    mint(&account.owner, &account.data)
}
