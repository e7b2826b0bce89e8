//! The syscalls of a native program (`solana_sysvar::program_stubs`), served by the runtime's
//! innermost invoke context.

use solana_account_info::AccountInfo;
use solana_clock::Clock;
use solana_epoch_rewards::EpochRewards;
use solana_epoch_schedule::EpochSchedule;
use solana_instruction::{
    error::{InstructionError, UNSUPPORTED_SYSVAR},
    Instruction,
};
use solana_last_restart_slot::LastRestartSlot;
use solana_program_entrypoint::{ProgramResult, SUCCESS};
use solana_program_error::ProgramError;
use solana_program_runtime::solana_sbpf::vm::ContextObject;
use solana_program_runtime::stable_log;
use solana_pubkey::Pubkey;
use solana_rent::Rent;
use solana_sysvar::program_stubs::SyscallStubs;

use super::context::{log_line, with_context};
use super::cpi::invoke_signed;
use super::meter::{self, charge, crucible_cu_syscall, Kind};

/// What the `sol_get_sysvar` syscall returns for a range outside the sysvar.
const OFFSET_LENGTH_EXCEEDS_SYSVAR: u64 = 1;

/// The syscalls of a native program, served by the runtime's innermost invoke context. Each
/// is charged what it costs on chain (`meter`) and runs inside `meter::crucible_cu_syscall`.
pub(super) struct RuntimeStubs;

/// `msg!` of a native program (the host logger of Crucible's `solana-msg`): `sol_log_`.
pub(super) fn program_log(message: &str) {
    crucible_cu_syscall(|| {
        charge(Kind::Log, meter::log(message.len()));
        log_line(message)
    })
}

fn copy_sysvar<T: Clone>(
    value: Result<std::sync::Arc<T>, InstructionError>,
    var_addr: *mut u8,
) -> u64 {
    match value {
        Ok(value) => {
            // SAFETY: the caller (`Sysvar::get`) passes a pointer to an initialised `T`.
            unsafe { *(var_addr as *mut T) = (*value).clone() };
            SUCCESS
        }
        Err(_) => UNSUPPORTED_SYSVAR,
    }
}

impl SyscallStubs for RuntimeStubs {
    fn sol_log(&self, message: &str) {
        program_log(message)
    }

    fn sol_log_compute_units(&self) {
        crucible_cu_syscall(|| {
            charge(Kind::Log, meter::SYSCALL_BASE_COST);
            log_line("Program consumption: compute units are not metered for native programs")
        })
    }

    fn sol_remaining_compute_units(&self) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Other, meter::GET_REMAINING_COMPUTE_UNITS_COST);
            with_context(|ic| ic.get_remaining()).unwrap_or(0)
        })
    }

    fn sol_invoke_signed(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        signers_seeds: &[&[&[u8]]],
    ) -> ProgramResult {
        crucible_cu_syscall(|| {
            with_context(|ic| invoke_signed(ic, instruction, account_infos, signers_seeds))
                .unwrap_or(Err(ProgramError::UnsupportedSysvar))
        })
    }

    fn sol_get_clock_sysvar(&self, var_addr: *mut u8) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Sysvar, meter::sysvar(std::mem::size_of::<Clock>()));
            with_context(|ic| copy_sysvar::<Clock>(ic.get_sysvar_cache().get_clock(), var_addr))
                .unwrap_or(UNSUPPORTED_SYSVAR)
        })
    }

    fn sol_get_epoch_schedule_sysvar(&self, var_addr: *mut u8) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Sysvar, meter::sysvar(std::mem::size_of::<EpochSchedule>()));
            with_context(|ic| {
                copy_sysvar::<EpochSchedule>(ic.get_sysvar_cache().get_epoch_schedule(), var_addr)
            })
            .unwrap_or(UNSUPPORTED_SYSVAR)
        })
    }

    fn sol_get_rent_sysvar(&self, var_addr: *mut u8) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Sysvar, meter::sysvar(std::mem::size_of::<Rent>()));
            with_context(|ic| copy_sysvar::<Rent>(ic.get_sysvar_cache().get_rent(), var_addr))
                .unwrap_or(UNSUPPORTED_SYSVAR)
        })
    }

    fn sol_get_epoch_rewards_sysvar(&self, var_addr: *mut u8) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Sysvar, meter::sysvar(std::mem::size_of::<EpochRewards>()));
            with_context(|ic| {
                copy_sysvar::<EpochRewards>(ic.get_sysvar_cache().get_epoch_rewards(), var_addr)
            })
            .unwrap_or(UNSUPPORTED_SYSVAR)
        })
    }

    fn sol_get_last_restart_slot(&self, var_addr: *mut u8) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Sysvar, meter::sysvar(std::mem::size_of::<LastRestartSlot>()));
            with_context(|ic| {
                copy_sysvar::<LastRestartSlot>(
                    ic.get_sysvar_cache().get_last_restart_slot(),
                    var_addr,
                )
            })
            .unwrap_or(UNSUPPORTED_SYSVAR)
        })
    }

    fn sol_get_sysvar(
        &self,
        sysvar_id_addr: *const u8,
        var_addr: *mut u8,
        offset: u64,
        length: u64,
    ) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Sysvar, meter::get_sysvar(length));
            get_sysvar(sysvar_id_addr, var_addr, offset, length)
        })
    }

    fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
        crucible_cu_syscall(|| {
            let data = with_context(|ic| {
                let (program_id, data) = ic.transaction_context.get_return_data();
                (!data.is_empty()).then(|| (*program_id, data.to_vec()))
            })
            .flatten();
            charge(
                Kind::ReturnData,
                meter::get_return_data(data.as_ref().map_or(0, |d| d.1.len())),
            );
            data
        })
    }

    fn sol_set_return_data(&self, data: &[u8]) {
        crucible_cu_syscall(|| {
            charge(Kind::ReturnData, meter::set_return_data(data.len()));
            with_context(|ic| {
                let tc = &mut ic.transaction_context;
                let program_id = tc
                    .get_current_instruction_context()
                    .and_then(|ixc| ixc.get_last_program_key(tc).copied());
                if let Ok(program_id) = program_id {
                    let _ = tc.set_return_data(program_id, data.to_vec());
                }
            });
        })
    }

    fn sol_log_data(&self, fields: &[&[u8]]) {
        crucible_cu_syscall(|| {
            charge(Kind::LogData, meter::log_data(fields.iter().map(|f| f.len())));
            if with_context(|ic| stable_log::program_data(&ic.get_log_collector(), fields))
                .is_none()
            {
                println!("Program data: {} field(s)", fields.len());
            }
        })
    }

    fn sol_get_stack_height(&self) -> u64 {
        crucible_cu_syscall(|| {
            charge(Kind::Other, meter::SYSCALL_BASE_COST);
            with_context(|ic| ic.get_stack_height() as u64).unwrap_or(0)
        })
    }
}

/// `sol_get_sysvar`: `length` bytes of the sysvar `sysvar_id_addr` from `offset`.
fn get_sysvar(sysvar_id_addr: *const u8, var_addr: *mut u8, offset: u64, length: u64) -> u64 {
    with_context(|ic| {
        // SAFETY: the caller passes a pointer to a `Pubkey` and a buffer of `length` bytes.
        let id = unsafe { &*(sysvar_id_addr as *const Pubkey) };
        let Some(buf) = ic.get_sysvar_cache().sysvar_id_to_buffer(id) else {
            return UNSUPPORTED_SYSVAR;
        };
        let (Ok(start), Ok(len)) = (usize::try_from(offset), usize::try_from(length)) else {
            return OFFSET_LENGTH_EXCEEDS_SYSVAR;
        };
        match start.checked_add(len).and_then(|end| buf.get(start..end)) {
            Some(bytes) => {
                // SAFETY: see above; `bytes` has exactly `length` bytes.
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), var_addr, len) };
                SUCCESS
            }
            None => OFFSET_LENGTH_EXCEEDS_SYSVAR,
        }
    })
    .unwrap_or(UNSUPPORTED_SYSVAR)
}
