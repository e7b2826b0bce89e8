//! Glue between agave's runtime and Anchor programs compiled for the host.
//!
//! An on-chain program is an SBF binary that the BPF loader runs in a VM. Here the same
//! program source is linked into this crate and registered as a *builtin*: when the runtime
//! reaches one of its instructions it calls [`execute`], which does what the loader does
//! around the VM:
//!
//! 1. serializes the instruction's accounts with the loader's own `serialize_parameters`
//!    (aligned layout, 10 KiB realloc allowance), and deserializes that buffer into
//!    `AccountInfo`s with the program entrypoint's `deserialize`, exactly as a program sees
//!    them on-chain;
//! 2. calls the program's `entry` under `catch_unwind` (a panic becomes
//!    `ProgramFailedToComplete`, as an aborted SBF program);
//! 3. writes lamports, data and owner back with the loader's `deserialize_parameters`, which
//!    applies the runtime's rules (only the owner changes data, no lamports created, ...);
//! 4. logs `Program return:` when the program set return data.
//!
//! While a program runs, the syscalls it would make on-chain land in [`RuntimeStubs`]
//! (installed with `solana_sysvar::program_stubs::set_syscall_stubs`) and in the host logger
//! of Crucible's `solana-msg` replacement: logs and `Program data:` go to the invoke
//! context's log collector, CPI goes through `InvokeContext::native_invoke` (so privilege
//! and signer checks stay the runtime's), sysvars come from the runtime's sysvar cache.
//! A thread-local stack of invoke contexts makes nested CPI (A -> B -> A) work.
//!
//! The runtime itself logs `Program X invoke [n]` and `Program X success`/`failed` around a
//! builtin, so nothing here logs them again.

use std::{
    cell::RefCell,
    panic::{catch_unwind, AssertUnwindSafe},
};

use solana_account::ReadableAccount;
pub use solana_account_info::AccountInfo;
use solana_clock::Clock;
use solana_epoch_rewards::EpochRewards;
use solana_epoch_schedule::EpochSchedule;
use solana_instruction::{
    error::{InstructionError, UNSUPPORTED_SYSVAR},
    Instruction,
};
use solana_last_restart_slot::LastRestartSlot;
pub use solana_program_entrypoint::ProgramResult;
use solana_program_entrypoint::SUCCESS;
use solana_program_error::ProgramError;
use solana_program_runtime::{
    invoke_context::InvokeContext, serialization, solana_sbpf::vm::ContextObject, stable_log,
};
pub use solana_pubkey::Pubkey;
use solana_rent::Rent;
use solana_stable_layout::stable_instruction::StableInstruction;
use solana_sysvar::program_stubs::{set_syscall_stubs, SyscallStubs};

/// What the `sol_get_sysvar` syscall returns for a range outside the sysvar.
const OFFSET_LENGTH_EXCEEDS_SYSVAR: u64 = 1;

/// The entry of an Anchor program (`crate::entry`), with its lifetimes erased.
pub type Entry =
    for<'a, 'b, 'c, 'd> fn(&'a Pubkey, &'b [AccountInfo<'c>], &'d [u8]) -> ProgramResult;

/// Erases the `'info` lifetime of an Anchor `entry`.
///
/// Anchor declares `fn entry<'info>(&Pubkey, &'info [AccountInfo<'info>], &[u8])`, whose
/// single lifetime does not coerce to the higher-ranked [`Entry`] type. The two function
/// types have the same ABI; only the borrow checker's view differs, and every borrow the
/// program receives lives for the whole call (the serialized buffer outlives it).
#[macro_export]
macro_rules! native_entry {
    ($entry:path) => {{
        let entry: for<'info> fn(
            &$crate::native::Pubkey,
            &'info [$crate::native::AccountInfo<'info>],
            &[u8],
        ) -> $crate::native::ProgramResult = $entry;
        // SAFETY: see the macro's documentation: same ABI, lifetimes only narrowed by the
        // callee's signature, and all borrows outlive the call.
        unsafe {
            ::std::mem::transmute::<
                for<'info> fn(
                    &$crate::native::Pubkey,
                    &'info [$crate::native::AccountInfo<'info>],
                    &[u8],
                ) -> $crate::native::ProgramResult,
                $crate::native::Entry,
            >(entry)
        }
    }};
}

/// One native program call in progress: its invoke context, and the error of a failed CPI.
///
/// On-chain a failed CPI aborts the caller at once and the transaction fails with the
/// callee's error, whatever the caller would have done next. Natively the syscall stub has to
/// return to the caller, so the error is remembered here and [`execute`] reports it instead of
/// whatever the program returned.
struct Frame {
    context: *mut InvokeContext<'static>,
    cpi_failure: Option<InstructionError>,
}

thread_local! {
    /// Native program calls now executing on this thread, innermost last.
    static CONTEXTS: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

struct ContextGuard;

impl ContextGuard {
    fn push(invoke_context: &mut InvokeContext) -> Self {
        let ptr = (invoke_context as *mut InvokeContext).cast::<InvokeContext<'static>>();
        CONTEXTS.with(|c| c.borrow_mut().push(Frame { context: ptr, cpi_failure: None }));
        ContextGuard
    }

    /// Pops the frame, returning the error of a CPI that failed during the call.
    fn finish(self) -> Option<InstructionError> {
        let frame = CONTEXTS.with(|c| c.borrow_mut().pop());
        std::mem::forget(self);
        frame.and_then(|f| f.cpi_failure)
    }
}

impl Drop for ContextGuard {
    fn drop(&mut self) {
        CONTEXTS.with(|c| c.borrow_mut().pop());
    }
}

fn record_cpi_failure(err: InstructionError) {
    CONTEXTS.with(|c| {
        if let Some(frame) = c.borrow_mut().last_mut() {
            frame.cpi_failure.get_or_insert(err);
        }
    });
}

/// Runs `f` with the innermost executing invoke context, if a native program is running.
fn with_context<R>(f: impl FnOnce(&mut InvokeContext<'static>) -> R) -> Option<R> {
    let ptr = CONTEXTS.with(|c| c.borrow().last().map(|f| f.context))?;
    // SAFETY: the pointer was pushed by `execute` for an invoke context that outlives the
    // program call it wraps, and is popped before `execute` returns. The program runs
    // single-threaded inside that call, so no other reference is used meanwhile.
    Some(f(unsafe { &mut *ptr }))
}

/// Whether a native program is executing on this thread.
pub fn in_native_program() -> bool {
    CONTEXTS.with(|c| !c.borrow().is_empty())
}

/// Installs the syscall stubs and the host logger once per process.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        set_syscall_stubs(Box::new(RuntimeStubs));
        solana_msg::set_host_logger(log_line);
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A panic inside a program is reported in the transaction's logs by `execute`.
            if !in_native_program() {
                default_hook(info)
            }
        }));
    });
}

fn log_line(message: &str) {
    if with_context(|ic| stable_log::program_log(&ic.get_log_collector(), message)).is_none() {
        println!("{message}");
    }
}

/// Executes one instruction of a native program inside the runtime (see the module docs).
pub fn execute(invoke_context: &mut InvokeContext, entry: Entry) -> Result<(), InstructionError> {
    // A builtin must consume at least one compute unit.
    invoke_context.consume_checked(1).map_err(|_| InstructionError::ComputationalBudgetExceeded)?;

    let (mut buffer, _regions, metadata) = {
        let transaction_context = &invoke_context.transaction_context;
        let instruction_context = transaction_context.get_current_instruction_context()?;
        serialization::serialize_parameters(transaction_context, instruction_context, true, true)?
    };

    let (result, cpi_failure) = {
        let guard = ContextGuard::push(invoke_context);
        // SAFETY: `buffer` holds the loader's aligned serialization (8-byte aligned as the
        // entrypoint requires) with the realloc padding after each account's data.
        let (program_id, accounts, data) =
            unsafe { solana_program_entrypoint::deserialize(buffer.as_slice_mut().as_mut_ptr()) };
        let outcome = catch_unwind(AssertUnwindSafe(|| entry(program_id, &accounts, data)));
        drop(accounts);
        (outcome, guard.finish())
    };

    let log_collector = invoke_context.get_log_collector();
    if let Some(err) = cpi_failure {
        return Err(err);
    }
    match result {
        Ok(Ok(())) => {}
        Ok(Err(err)) => return Err(program_error_to_instruction_error(err)),
        Err(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            stable_log::program_log(&log_collector, &format!("panicked: {text}"));
            return Err(InstructionError::ProgramFailedToComplete);
        }
    }

    {
        let transaction_context = &invoke_context.transaction_context;
        let instruction_context = transaction_context.get_current_instruction_context()?;
        serialization::deserialize_parameters(
            transaction_context,
            instruction_context,
            true,
            buffer.as_slice(),
            &metadata,
        )?;
    }

    let (return_program, return_data) = invoke_context.transaction_context.get_return_data();
    if !return_data.is_empty() {
        stable_log::program_return(&log_collector, return_program, return_data);
    }
    Ok(())
}

fn program_error_to_instruction_error(err: ProgramError) -> InstructionError {
    // `ProgramError` -> u64 -> `InstructionError` is the conversion the loader applies to an
    // SBF program's return value.
    InstructionError::from(u64::from(err))
}

/// The syscalls of a native program, served by the runtime's innermost invoke context.
struct RuntimeStubs;

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
        log_line(message);
    }

    fn sol_log_compute_units(&self) {
        log_line("Program consumption: compute units are not metered for native programs");
    }

    fn sol_remaining_compute_units(&self) -> u64 {
        with_context(|ic| ic.get_remaining()).unwrap_or(0)
    }

    fn sol_invoke_signed(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        signers_seeds: &[&[&[u8]]],
    ) -> ProgramResult {
        with_context(|ic| invoke_signed(ic, instruction, account_infos, signers_seeds))
            .unwrap_or(Err(ProgramError::UnsupportedSysvar))
    }

    fn sol_get_clock_sysvar(&self, var_addr: *mut u8) -> u64 {
        with_context(|ic| copy_sysvar::<Clock>(ic.get_sysvar_cache().get_clock(), var_addr))
            .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_epoch_schedule_sysvar(&self, var_addr: *mut u8) -> u64 {
        with_context(|ic| {
            copy_sysvar::<EpochSchedule>(ic.get_sysvar_cache().get_epoch_schedule(), var_addr)
        })
        .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_rent_sysvar(&self, var_addr: *mut u8) -> u64 {
        with_context(|ic| copy_sysvar::<Rent>(ic.get_sysvar_cache().get_rent(), var_addr))
            .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_epoch_rewards_sysvar(&self, var_addr: *mut u8) -> u64 {
        with_context(|ic| {
            copy_sysvar::<EpochRewards>(ic.get_sysvar_cache().get_epoch_rewards(), var_addr)
        })
        .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_last_restart_slot(&self, var_addr: *mut u8) -> u64 {
        with_context(|ic| {
            copy_sysvar::<LastRestartSlot>(ic.get_sysvar_cache().get_last_restart_slot(), var_addr)
        })
        .unwrap_or(UNSUPPORTED_SYSVAR)
    }

    fn sol_get_sysvar(
        &self,
        sysvar_id_addr: *const u8,
        var_addr: *mut u8,
        offset: u64,
        length: u64,
    ) -> u64 {
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

    fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
        with_context(|ic| {
            let (program_id, data) = ic.transaction_context.get_return_data();
            (!data.is_empty()).then(|| (*program_id, data.to_vec()))
        })
        .flatten()
    }

    fn sol_set_return_data(&self, data: &[u8]) {
        with_context(|ic| {
            let tc = &mut ic.transaction_context;
            let program_id = tc
                .get_current_instruction_context()
                .and_then(|ixc| ixc.get_last_program_key(tc).copied());
            if let Ok(program_id) = program_id {
                let _ = tc.set_return_data(program_id, data.to_vec());
            }
        });
    }

    fn sol_log_data(&self, fields: &[&[u8]]) {
        if with_context(|ic| stable_log::program_data(&ic.get_log_collector(), fields)).is_none() {
            println!("Program data: {} field(s)", fields.len());
        }
    }

    fn sol_get_stack_height(&self) -> u64 {
        with_context(|ic| ic.get_stack_height() as u64).unwrap_or(0)
    }
}

/// Cross-program invocation from a native program, as the `sol_invoke_signed` syscall does it:
/// the caller's view of the accounts is written into the transaction first, the callee runs
/// through the runtime (which checks signer and writable privileges), and the results are
/// copied back into the caller's `AccountInfo`s. A failure fails the caller (see [`Frame`]).
fn invoke_signed(
    ic: &mut InvokeContext,
    instruction: &Instruction,
    account_infos: &[AccountInfo],
    signers_seeds: &[&[&[u8]]],
) -> ProgramResult {
    cpi(ic, instruction, account_infos, signers_seeds).map_err(|err| {
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
