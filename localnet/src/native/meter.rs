//! What the syscalls of a native program would cost on chain.
//!
//! A native program is not metered: the runtime charges a builtin nothing but what it
//! consumes itself. To estimate what an instruction costs on a real cluster (`npm run bench`,
//! bench/README.md "Compute units"), every syscall the glue serves is charged here exactly as
//! agave 2.3's BPF loader charges it, into a per-thread [`Tally`] that the measuring code reads
//! with [`take_tally`]. The tally does not consume from the transaction's compute meter: the
//! programs' own computation is not charged natively either, and a partial charge would make
//! `compute_units_consumed` look like an estimate it is not.
//!
//! The costs are the defaults of `SVMTransactionExecutionCost` in
//! solana-program-runtime-2.3.13/src/execution_budget.rs; the formulas are those of
//! solana-bpf-loader-program-2.3.13/src/syscalls/ (cited at each function).
//!
//! Every stub runs inside [`syscall`], an `#[inline(never)]` function with a distinctive name:
//! the bench's host-instruction count (callgrind's `--toggle-collect`) excludes what runs in it,
//! as on chain the work of a syscall is the runtime's, not the program's. The program's call
//! itself runs inside `crucible_cu_program_call` (`native.rs`), which turns collection on.

use std::cell::RefCell;

use super::context::in_native_program;

/// `syscall_base_cost`: the base of most syscalls.
pub const SYSCALL_BASE_COST: u64 = 100;
/// `log_64_units`: `sol_log_64_`.
pub const LOG_64_UNITS: u64 = 100;
/// `log_pubkey_units`: `sol_log_pubkey`.
pub const LOG_PUBKEY_UNITS: u64 = 100;
/// `create_program_address_units`: each `create_program_address`, and each attempt of
/// `try_find_program_address`.
pub const CREATE_PROGRAM_ADDRESS_UNITS: u64 = 1_500;
/// `invoke_units`: the base of a cross-program invocation.
pub const INVOKE_UNITS: u64 = 1_000;
/// `cpi_bytes_per_unit`: bytes per unit of instruction data and account data in a CPI, of
/// return data and of sysvar reads.
pub const CPI_BYTES_PER_UNIT: u64 = 250;
/// `sysvar_base_cost`: the base of a sysvar read.
pub const SYSVAR_BASE_COST: u64 = 100;
/// `mem_op_base_cost`: the least a `sol_mem*` syscall costs.
pub const MEM_OP_BASE_COST: u64 = 10;
/// `get_remaining_compute_units_cost`: `sol_remaining_compute_units`.
pub const GET_REMAINING_COMPUTE_UNITS_COST: u64 = 100;

/// `sol_log_` of `len` bytes: `max(syscall_base_cost, len)` (syscalls/logging.rs, `SyscallLog`).
pub fn log(len: usize) -> u64 {
    SYSCALL_BASE_COST.max(len as u64)
}

/// `sol_log_data` of fields of these lengths: the base, the base again per field, and one
/// unit per byte (syscalls/logging.rs, `SyscallLogData`).
pub fn log_data(field_lens: impl IntoIterator<Item = usize>) -> u64 {
    let (fields, bytes) =
        field_lens.into_iter().fold((0u64, 0u64), |(n, b), len| (n + 1, b + len as u64));
    SYSCALL_BASE_COST + SYSCALL_BASE_COST * fields + bytes
}

/// One of the typed sysvar getters (`sol_get_clock_sysvar`, ...) for a sysvar of `size`
/// bytes (`size_of::<T>()`): `sysvar_base_cost + size` (syscalls/sysvar.rs, `get_sysvar`).
pub fn sysvar(size: usize) -> u64 {
    SYSVAR_BASE_COST + size as u64
}

/// `sol_get_sysvar` of `length` bytes: `sysvar_base_cost + 32 / cpi_bytes_per_unit +
/// max(length / cpi_bytes_per_unit, mem_op_base_cost)` (syscalls/sysvar.rs,
/// `SyscallGetSysvar`).
pub fn get_sysvar(length: u64) -> u64 {
    SYSVAR_BASE_COST + 32 / CPI_BYTES_PER_UNIT + (length / CPI_BYTES_PER_UNIT).max(MEM_OP_BASE_COST)
}

/// `sol_set_return_data` of `len` bytes: `len / cpi_bytes_per_unit + syscall_base_cost`
/// (syscalls/mod.rs, `SyscallSetReturnData`).
pub fn set_return_data(len: usize) -> u64 {
    len as u64 / CPI_BYTES_PER_UNIT + SYSCALL_BASE_COST
}

/// `sol_get_return_data` copying `len` bytes: the base, plus `(len + 32) / cpi_bytes_per_unit`
/// when there is data (syscalls/mod.rs, `SyscallGetReturnData`).
pub fn get_return_data(len: usize) -> u64 {
    SYSCALL_BASE_COST + if len == 0 { 0 } else { (len as u64 + 32) / CPI_BYTES_PER_UNIT }
}

/// `sol_invoke_signed_rust` with `data_len` bytes of instruction data and, for each distinct
/// account of the instruction, its data length: `invoke_units`, then
/// `data_len / cpi_bytes_per_unit` (`translate_instruction`, feature
/// `loosen_cpi_size_restriction`), then `len / cpi_bytes_per_unit` per account
/// (`CallerAccount::from_account_info`, or the callee account's length when it is executable)
/// (syscalls/cpi.rs, `cpi_common`). Deriving the signers' addresses is not charged; the
/// callee's own units are the runtime's and are counted separately ([`Tally::callee_units`]).
pub fn invoke(data_len: usize, account_data_lens: impl IntoIterator<Item = usize>) -> u64 {
    INVOKE_UNITS
        + data_len as u64 / CPI_BYTES_PER_UNIT
        + account_data_lens.into_iter().map(|len| len as u64 / CPI_BYTES_PER_UNIT).sum::<u64>()
}

/// `sol_create_program_address`, or `sol_try_find_program_address` that succeeds at its
/// `attempts`-th bump: `create_program_address_units` per attempt (syscalls/mod.rs,
/// `SyscallCreateProgramAddress`, `SyscallTryFindProgramAddress`).
pub fn program_address(attempts: u64) -> u64 {
    CREATE_PROGRAM_ADDRESS_UNITS * attempts
}

/// `sol_memcpy_`, `sol_memmove_`, `sol_memcmp_`, `sol_memset_` of `n` bytes:
/// `max(mem_op_base_cost, n / cpi_bytes_per_unit)` (syscalls/mem_ops.rs, `mem_op_consume`).
pub fn mem_op(n: usize) -> u64 {
    MEM_OP_BASE_COST.max(n as u64 / CPI_BYTES_PER_UNIT)
}

/// A kind of syscall, as the tally groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `sol_log_`, `sol_log_64_`, `sol_log_pubkey`, `sol_log_compute_units_`.
    Log,
    /// `sol_log_data` (Anchor's `emit!`).
    LogData,
    /// `sol_invoke_signed_rust`.
    Invoke,
    /// The sysvar getters.
    Sysvar,
    /// `sol_set_return_data`, `sol_get_return_data`.
    ReturnData,
    /// `sol_get_stack_height`, `sol_remaining_compute_units`.
    Other,
}

/// Calls and units of one kind of syscall.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub calls: u64,
    pub units: u64,
}

/// What the syscalls of the native programs run on this thread since the last
/// [`take_tally`] would have cost on chain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub log: Count,
    pub log_data: Count,
    pub invoke: Count,
    pub sysvar: Count,
    pub return_data: Count,
    pub other: Count,
    /// Units the runtime charged the callees of the outermost native program's CPIs (SPL
    /// Token and Token-2022 run as SBF and are metered; the System Program charges its fixed
    /// cost). A native callee's own CPIs are inside its caller's figure.
    pub callee_units: u64,
}

impl Tally {
    /// The units of all syscalls, without the callees'.
    pub fn syscall_units(&self) -> u64 {
        [self.log, self.log_data, self.invoke, self.sysvar, self.return_data, self.other]
            .iter()
            .map(|c| c.units)
            .sum()
    }

    fn count_mut(&mut self, kind: Kind) -> &mut Count {
        match kind {
            Kind::Log => &mut self.log,
            Kind::LogData => &mut self.log_data,
            Kind::Invoke => &mut self.invoke,
            Kind::Sysvar => &mut self.sysvar,
            Kind::ReturnData => &mut self.return_data,
            Kind::Other => &mut self.other,
        }
    }
}

thread_local! {
    static TALLY: RefCell<Tally> = RefCell::new(Tally::default());
}

/// Charges one syscall of `kind` costing `units`, if a native program is running.
pub(super) fn charge(kind: Kind, units: u64) {
    if !in_native_program() {
        return;
    }
    TALLY.with(|t| {
        let mut t = t.borrow_mut();
        let count = t.count_mut(kind);
        count.calls += 1;
        count.units += units;
    });
}

/// Adds units the runtime charged a CPI's callee.
pub(super) fn charge_callee(units: u64) {
    TALLY.with(|t| t.borrow_mut().callee_units += units);
}

/// Returns the tally of this thread and starts a new one.
pub fn take_tally() -> Tally {
    TALLY.with(|t| std::mem::take(&mut *t.borrow_mut()))
}

/// Runs the body of a syscall stub. Not inlined, and named so that the bench's callgrind run
/// can exclude it (`--toggle-collect=*crucible_cu_syscall*`): it must not be nested, so stubs
/// call each other's bodies, never each other.
#[inline(never)]
pub(super) fn crucible_cu_syscall<R>(body: impl FnOnce() -> R) -> R {
    std::hint::black_box(body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_costs_the_base_or_one_unit_a_byte() {
        assert_eq!(log(0), 100);
        assert_eq!(log(21), 100);
        assert_eq!(log(100), 100);
        assert_eq!(log(101), 101);
        assert_eq!(log(1_000), 1_000);
    }

    #[test]
    fn an_event_costs_the_base_per_call_and_field_and_a_unit_a_byte() {
        assert_eq!(log_data([]), 100);
        // Anchor's emit!: one field, 8-byte discriminator + borsh body.
        assert_eq!(log_data([8 + 72]), 100 + 100 + 80);
        assert_eq!(log_data([3, 4]), 100 + 200 + 7);
    }

    #[test]
    fn a_sysvar_read_costs_the_base_and_its_size() {
        assert_eq!(sysvar(std::mem::size_of::<solana_clock::Clock>()), 140);
        assert_eq!(sysvar(std::mem::size_of::<solana_rent::Rent>()), 124);
        assert_eq!(get_sysvar(8), 110);
        assert_eq!(get_sysvar(2_500), 110);
        assert_eq!(get_sysvar(2_750), 111);
    }

    #[test]
    fn return_data_costs_the_base_and_a_unit_per_250_bytes() {
        assert_eq!(set_return_data(0), 100);
        assert_eq!(set_return_data(249), 100);
        assert_eq!(set_return_data(250), 101);
        assert_eq!(get_return_data(0), 100);
        assert_eq!(get_return_data(217), 100);
        assert_eq!(get_return_data(218), 101);
    }

    #[test]
    fn a_cpi_costs_the_invoke_base_and_its_bytes_over_250() {
        assert_eq!(invoke(0, []), 1_000);
        // SPL Token transfer_checked: 10 bytes; source, mint, destination, authority.
        assert_eq!(invoke(10, [165, 82, 165, 0]), 1_000);
        // System create_account of a 1 000-byte account: 52 bytes; payer, new account.
        assert_eq!(invoke(52, [0, 0]), 1_000);
        assert_eq!(invoke(500, [250, 499, 10_240]), 1_000 + 2 + 1 + 1 + 40);
    }

    #[test]
    fn program_addresses_cost_1500_per_attempt() {
        assert_eq!(program_address(1), 1_500);
        assert_eq!(program_address(3), 4_500);
    }

    #[test]
    fn memory_syscalls_cost_at_least_ten() {
        assert_eq!(mem_op(32), 10);
        assert_eq!(mem_op(2_749), 10);
        assert_eq!(mem_op(2_750), 11);
    }

    #[test]
    fn the_tally_adds_up_and_starts_again() {
        take_tally();
        charge(Kind::Log, log(30));
        // Outside a native program nothing is charged.
        assert_eq!(take_tally(), Tally::default());
        TALLY.with(|t| t.borrow_mut().log = Count { calls: 1, units: 100 });
        TALLY.with(|t| {
            let mut t = t.borrow_mut();
            t.count_mut(Kind::LogData).calls += 1;
            t.count_mut(Kind::LogData).units += log_data([80]);
            t.count_mut(Kind::Invoke).calls += 1;
            t.count_mut(Kind::Invoke).units += invoke(10, [165]);
        });
        charge_callee(4_500);
        let t = take_tally();
        assert_eq!(t.log, Count { calls: 1, units: 100 });
        assert_eq!(t.log_data, Count { calls: 1, units: 280 });
        assert_eq!(t.invoke, Count { calls: 1, units: 1_000 });
        assert_eq!(t.syscall_units(), 1_380);
        assert_eq!(t.callee_units, 4_500);
        assert_eq!(take_tally(), Tally::default());
    }
}
