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
//! While a program runs, the syscalls it would make on-chain land in `stubs::RuntimeStubs`
//! (installed with `solana_sysvar::program_stubs::set_syscall_stubs`) and in the host logger
//! of Crucible's `solana-msg` replacement: logs and `Program data:` go to the invoke
//! context's log collector, CPI goes through `InvokeContext::native_invoke` (so privilege
//! and signer checks stay the runtime's), sysvars come from the runtime's sysvar cache.
//! A thread-local stack of invoke contexts makes nested CPI (A -> B -> A) work.
//!
//! The runtime itself logs `Program X invoke [n]` and `Program X success`/`failed` around a
//! builtin, so nothing here logs them again.
//!
//! Every syscall is also charged what it would cost on chain, into a per-thread tally
//! ([`take_tally`]), for the bench's compute-unit estimates (`meter`).
//!
//! Modules: `context` (the stack of invoke contexts, at the bottom), `meter` (what syscalls
//! cost on chain, over `context`), `cpi` (cross-program invocation, over both), `stubs` (the
//! syscalls, over all three); this file runs an instruction over all four.

mod context;
mod cpi;
pub mod meter;
mod stubs;

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use solana_account_info::AccountInfo;
use solana_instruction::error::InstructionError;
pub use solana_program_entrypoint::ProgramResult;
use solana_program_error::ProgramError;
use solana_program_runtime::{invoke_context::InvokeContext, serialization, stable_log};
pub use solana_pubkey::Pubkey;
use solana_sysvar::program_stubs::set_syscall_stubs;

pub use context::in_native_program;
use context::ContextGuard;
pub use meter::{take_tally, Tally};

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

/// Declares the runtime entry of a natively compiled Anchor program: `native_program!(Name,
/// crate::entry)` makes `Name::vm`, to pass to [`crate::Localnet::add_native_program`].
#[macro_export]
macro_rules! native_program {
    ($name:ident, $entry:path) => {
        $crate::__private::declare_process_instruction!($name, 0, |invoke_context| {
            $crate::native::execute(invoke_context, $crate::native_entry!($entry))
        });
    };
}

/// Installs the syscall stubs and the host logger once per process.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        set_syscall_stubs(Box::new(stubs::RuntimeStubs));
        solana_msg::set_host_logger(stubs::program_log);
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A panic inside a program is reported in the transaction's logs by `execute`.
            if !in_native_program() {
                default_hook(info)
            }
        }));
    });
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
        let outcome = crucible_cu_program_call(buffer.as_slice_mut().as_mut_ptr(), entry);
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

/// What runs of a native program on chain: the entrypoint's deserialization and the program.
/// Not inlined, and named so that the bench's callgrind run counts exactly what runs in it
/// (`--toggle-collect=*crucible_cu_program_call*`, see `meter`).
#[inline(never)]
fn crucible_cu_program_call(input: *mut u8, entry: Entry) -> std::thread::Result<ProgramResult> {
    // SAFETY: `input` is the loader's aligned serialization (8-byte aligned as the
    // entrypoint requires) with the realloc padding after each account's data, and outlives
    // this call.
    let (program_id, accounts, data) = unsafe { solana_program_entrypoint::deserialize(input) };
    let outcome = catch_unwind(AssertUnwindSafe(|| entry(program_id, &accounts, data)));
    drop(accounts);
    outcome
}

fn program_error_to_instruction_error(err: ProgramError) -> InstructionError {
    // `ProgramError` -> u64 -> `InstructionError` is the conversion the loader applies to an
    // SBF program's return value.
    InstructionError::from(u64::from(err))
}
