//! The work-rewards pool (see `state::WorkPool` and the crate's README): created by anyone,
//! written by the market's settlements through `record_burn`, finalized hour by hour by the
//! permissionless `crank_work_pool`, paid out by permissionless claims.
pub mod claim_work_reward;
pub mod close_work_hour;
pub mod crank_work_pool;
pub mod create_work_pool;
pub mod record_burn;

#[allow(ambiguous_glob_reexports)]
pub use claim_work_reward::*;
#[allow(ambiguous_glob_reexports)]
pub use close_work_hour::*;
#[allow(ambiguous_glob_reexports)]
pub use crank_work_pool::*;
#[allow(ambiguous_glob_reexports)]
pub use create_work_pool::*;
#[allow(ambiguous_glob_reexports)]
pub use record_burn::*;

use anchor_lang::{
    prelude::*,
    system_program::{self, Allocate, Assign, CreateAccount, Transfer},
};

use crate::state::{EmissionVault, WorkPool};

/// Whether an account holds data of this program (a record that exists).
pub fn is_ours(info: &AccountInfo) -> bool {
    info.owner == &crate::ID && !info.data_is_empty()
}

/// The pool's emission vault when it is live: this program's vault at the pool's address and,
/// once the pool follows it, the same schedule start (a vault closed after its end and
/// re-created at the address is another vault). `None` when it does not exist (yet or any
/// more).
pub fn live_vault(info: &AccountInfo, pool: &WorkPool) -> Option<EmissionVault> {
    if !is_ours(info) || info.key() != pool.emission_vault {
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
/// by this program, its rent from `payer`. Lamports already at the address (anyone can send
/// some) are kept and topped up, as Anchor's `init` does.
pub fn create_record<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    seeds: &[&[u8]],
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
            &crate::ID,
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
        &crate::ID,
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
