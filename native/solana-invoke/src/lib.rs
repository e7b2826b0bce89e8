//! Crucible's replacement for `solana-invoke` 0.4, applied with `[patch.crates-io]`.
//!
//! anchor-lang 0.32 routes every CPI through `solana_invoke`, whose host build is
//! `unimplemented!()`. This crate keeps the same four functions:
//! - on-chain (`target_os = "solana"`) they are exactly `solana_cpi`'s, i.e. the
//!   `sol_invoke_signed_rust` syscall, so SBF builds behave as with the upstream crate;
//! - on the host they call `solana_sysvar::program_stubs::sol_invoke_signed`, which the
//!   local validator (`crucible-localnet`) installs to run the callee inside the runtime.

use solana_account_info::AccountInfo;
use solana_instruction::Instruction;
use solana_program_entrypoint::ProgramResult;

/// Invokes a program, checking the account borrows first.
pub fn invoke(instruction: &Instruction, account_infos: &[AccountInfo]) -> ProgramResult {
    invoke_signed(instruction, account_infos, &[])
}

/// Invokes a program without checking the account borrows.
pub fn invoke_unchecked(instruction: &Instruction, account_infos: &[AccountInfo]) -> ProgramResult {
    invoke_signed_unchecked(instruction, account_infos, &[])
}

/// Invokes a program with PDA signers, checking the account borrows first.
pub fn invoke_signed(
    instruction: &Instruction,
    account_infos: &[AccountInfo],
    signers_seeds: &[&[&[u8]]],
) -> ProgramResult {
    // The RefCell check `solana_cpi::invoke_signed` makes: an account the callee may write
    // must not be borrowed by the caller.
    for meta in &instruction.accounts {
        if let Some(info) = account_infos.iter().find(|info| *info.key == meta.pubkey) {
            if meta.is_writable {
                let _ = info.try_borrow_mut_lamports()?;
                let _ = info.try_borrow_mut_data()?;
            } else {
                let _ = info.try_borrow_lamports()?;
                let _ = info.try_borrow_data()?;
            }
        }
    }
    invoke_signed_unchecked(instruction, account_infos, signers_seeds)
}

/// Invokes a program with PDA signers without checking the account borrows.
pub fn invoke_signed_unchecked(
    instruction: &Instruction,
    account_infos: &[AccountInfo],
    signers_seeds: &[&[&[u8]]],
) -> ProgramResult {
    #[cfg(target_os = "solana")]
    {
        solana_cpi::invoke_signed_unchecked(instruction, account_infos, signers_seeds)
    }
    #[cfg(not(target_os = "solana"))]
    {
        solana_sysvar::program_stubs::sol_invoke_signed(instruction, account_infos, signers_seeds)
    }
}
