//! Cross-program invocation from a native program.

use solana_account::ReadableAccount;
use solana_account_info::AccountInfo;
use solana_instruction::{error::InstructionError, Instruction};
use solana_program_entrypoint::ProgramResult;
use solana_program_error::ProgramError;
use solana_program_runtime::{invoke_context::InvokeContext, solana_sbpf::vm::ContextObject};
use solana_pubkey::Pubkey;
use solana_stable_layout::stable_instruction::StableInstruction;

use super::context::{native_depth, record_cpi_failure};
use super::meter::{self, charge, charge_callee, Kind};

/// Cross-program invocation from a native program, as the `sol_invoke_signed` syscall does it:
/// the caller's view of the accounts is written into the transaction first, the callee runs
/// through the runtime (which checks signer and writable privileges), and the results are
/// copied back into the caller's `AccountInfo`s. A failure fails the caller (see `context::Frame`).
pub(super) fn invoke_signed(
    ic: &mut InvokeContext,
    instruction: &Instruction,
    account_infos: &[AccountInfo],
    signers_seeds: &[&[&[u8]]],
) -> ProgramResult {
    // What `sol_invoke_signed_rust` costs: each distinct account's data as the caller sees it.
    let mut keys: Vec<&Pubkey> = Vec::with_capacity(instruction.accounts.len());
    for meta in &instruction.accounts {
        if !keys.contains(&&meta.pubkey) {
            keys.push(&meta.pubkey);
        }
    }
    let lens = keys.iter().map(|key| {
        account_infos.iter().find(|info| info.key == *key).map_or(0, |info| info.data_len())
    });
    charge(Kind::Invoke, meter::invoke(instruction.data.len(), lens));
    // The callee's units, as the runtime meters them (counted once, at the outermost native
    // program: a native callee's CPIs are inside its caller's figure).
    let before = ic.get_remaining();
    let result = cpi(ic, instruction, account_infos, signers_seeds);
    if native_depth() == 1 {
        charge_callee(before.saturating_sub(ic.get_remaining()));
    }
    result.map_err(|err| {
        record_cpi_failure(err.clone());
        to_program_error(err)
    })
}

fn cpi(
    ic: &mut InvokeContext,
    instruction: &Instruction,
    account_infos: &[AccountInfo],
    signers_seeds: &[&[&[u8]]],
) -> Result<(), InstructionError> {
    let caller = {
        let tc = &ic.transaction_context;
        *tc.get_current_instruction_context()?.get_last_program_key(tc)?
    };
    let signers = signers_seeds
        .iter()
        .map(|seeds| Pubkey::create_program_address(seeds, &caller))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| InstructionError::InvalidSeeds)?;

    // Caller -> transaction: what the caller changed becomes visible to the callee.
    for meta in &instruction.accounts {
        let info = account_infos
            .iter()
            .find(|info| *info.key == meta.pubkey)
            .ok_or(InstructionError::MissingAccount)?;
        let tc = &ic.transaction_context;
        let ixc = tc.get_current_instruction_context()?;
        let index = ixc
            .find_index_of_instruction_account(tc, info.key)
            .ok_or(InstructionError::MissingAccount)?;
        let mut account = ixc.try_borrow_instruction_account(tc, index)?;
        let lamports = info.lamports();
        if account.get_lamports() != lamports {
            account.set_lamports(lamports)?;
        }
        let data = info.try_borrow_data().map_err(|_| InstructionError::AccountBorrowFailed)?;
        if account.get_data() != &data[..] {
            account.set_data_from_slice(&data)?;
        }
        if account.get_owner() != info.owner {
            account.set_owner(info.owner.as_ref())?;
        }
    }

    ic.transaction_context.set_return_data(caller, Vec::new())?;
    ic.native_invoke(StableInstruction::from(instruction.clone()), &signers)?;

    // Transaction -> caller: what the callee did becomes visible to the caller.
    let borrow_failed = |_| InstructionError::AccountBorrowFailed;
    for info in account_infos {
        if !instruction.accounts.iter().any(|meta| meta.pubkey == *info.key) {
            continue;
        }
        let tc = &ic.transaction_context;
        let Some(index) = tc.find_index_of_account(info.key) else {
            continue;
        };
        let account = tc.accounts().try_borrow(index)?;
        if info.lamports() != account.lamports() {
            **info.try_borrow_mut_lamports().map_err(borrow_failed)? = account.lamports();
        }
        if info.data_len() != account.data().len() {
            info.resize(account.data().len()).map_err(|_| InstructionError::InvalidRealloc)?;
        }
        if info.try_borrow_data().map_err(borrow_failed)?[..] != account.data()[..] {
            info.try_borrow_mut_data().map_err(borrow_failed)?.copy_from_slice(account.data());
        }
        if info.owner != account.owner() {
            info.assign(account.owner());
        }
    }
    Ok(())
}

fn to_program_error(err: InstructionError) -> ProgramError {
    // Errors without a `ProgramError` twin only reach the caller's code, which cannot continue
    // anyway: `execute` reports the recorded CPI failure instead.
    ProgramError::try_from(err).unwrap_or(ProgramError::InvalidArgument)
}
