//! What the work instructions share: reading this program's records and the pool's vault,
//! creating, writing and reading a record PDA.
use anchor_lang::{
    prelude::*,
    system_program::{self, Allocate, Assign, CreateAccount, Transfer},
};

use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::token::TokenAccountRef;

use crate::state::{EmissionVault, WorkPool};

/// Whether an account holds data of `program_id` (this program: a record that exists).
pub fn is_ours(info: &AccountInfo, program_id: &Pubkey) -> bool {
    info.owner == program_id && !info.data_is_empty()
}

/// The pool's emission vault when it is live: this program's vault at the pool's address and,
/// once the pool follows it, the same schedule start (a vault closed after its end and
/// re-created at the address is another vault). `None` when it does not exist (yet or any
/// more).
pub fn live_vault(
    info: &AccountInfo,
    pool: &WorkPool,
    program_id: &Pubkey,
) -> Option<EmissionVault> {
    if !is_ours(info, program_id) || info.key() != pool.emission_vault {
        return None;
    }
    let data = info.try_borrow_data().ok()?;
    let vault = EmissionVault::try_deserialize(&mut &data[..]).ok()?;
    if vault.mint != pool.mint || (pool.started && vault.start_ts != pool.vault_start_ts) {
        return None;
    }
    Some(vault)
}

/// Creates the record PDA `target` (signed by `seeds`, bump included) with `space` bytes owned
/// by `program_id` (this program), its rent from `payer`. Lamports already at the address (anyone can send
/// some) are kept and topped up, as Anchor's `init` does.
pub fn create_record<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    seeds: &[&[u8]],
    program_id: &Pubkey,
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let signer = &[seeds];
    let present = target.lamports();
    if present == 0 {
        let accounts = CreateAccount { from: payer.clone(), to: target.clone() };
        return system_program::create_account(
            CpiContext::new_with_signer(system.clone(), accounts, signer),
            rent,
            space as u64,
            program_id,
        );
    }
    if rent > present {
        let accounts = Transfer { from: payer.clone(), to: target.clone() };
        system_program::transfer(CpiContext::new(system.clone(), accounts), rent - present)?;
    }
    let accounts = Allocate { account_to_allocate: target.clone() };
    system_program::allocate(
        CpiContext::new_with_signer(system.clone(), accounts, signer),
        space as u64,
    )?;
    let accounts = Assign { account_to_assign: target.clone() };
    system_program::assign(
        CpiContext::new_with_signer(system.clone(), accounts, signer),
        program_id,
    )
}

/// Writes a record's data (discriminator first).
pub fn store<T: AccountSerialize>(info: &AccountInfo, value: &T) -> Result<()> {
    let mut data = info.try_borrow_mut_data()?;
    value.try_serialize(&mut &mut data[..])
}

/// Reads a record of this program.
pub fn load<T: AccountDeserialize>(info: &AccountInfo) -> Result<T> {
    let data = info.try_borrow_data()?;
    T::try_deserialize(&mut &data[..])
}

/// Moves `amount` out of the pool's token vault to `to` (`transfer_checked` signed by the pool
/// PDA; nothing for zero).
pub fn pay_from_pool<'info>(
    pool: &Account<'info, WorkPool>,
    token_vault: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    token_program: &Interface<'info, TokenInterface>,
    to: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    let id = pool.pool_id.to_le_bytes();
    let seeds = pool.signer_seeds(&id);
    TokenAccountRef {
        token_program: &token_program.to_account_info(),
        mint: &mint.to_account_info(),
        decimals: mint.decimals,
        account: &token_vault.to_account_info(),
        authority: &pool.to_account_info(),
        signer_seeds: &[&seeds],
    }
    .transfer(to, amount)
}
