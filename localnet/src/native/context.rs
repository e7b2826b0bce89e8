//! The native program calls executing on this thread: a stack of invoke contexts, innermost
//! last, so that the syscall stubs reach the runtime and nested CPI (A -> B -> A) works.

use std::cell::RefCell;

use solana_instruction::error::InstructionError;
use solana_program_runtime::{invoke_context::InvokeContext, stable_log};

/// One native program call in progress: its invoke context, and the error of a failed CPI.
///
/// On-chain a failed CPI aborts the caller at once and the transaction fails with the
/// callee's error, whatever the caller would have done next. Natively the syscall stub has to
/// return to the caller, so the error is remembered here and [`super::execute`] reports it instead of
/// whatever the program returned.
pub(super) struct Frame {
    context: *mut InvokeContext<'static>,
    cpi_failure: Option<InstructionError>,
}

thread_local! {
    /// Native program calls now executing on this thread, innermost last.
    static CONTEXTS: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

pub(super) struct ContextGuard;

impl ContextGuard {
    pub(super) fn push(invoke_context: &mut InvokeContext) -> Self {
        let ptr = (invoke_context as *mut InvokeContext).cast::<InvokeContext<'static>>();
        CONTEXTS.with(|c| c.borrow_mut().push(Frame { context: ptr, cpi_failure: None }));
        ContextGuard
    }

    /// Pops the frame, returning the error of a CPI that failed during the call.
    pub(super) fn finish(self) -> Option<InstructionError> {
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

pub(super) fn record_cpi_failure(err: InstructionError) {
    CONTEXTS.with(|c| {
        if let Some(frame) = c.borrow_mut().last_mut() {
            frame.cpi_failure.get_or_insert(err);
        }
    });
}

/// Runs `f` with the innermost executing invoke context, if a native program is running.
pub(super) fn with_context<R>(f: impl FnOnce(&mut InvokeContext<'static>) -> R) -> Option<R> {
    let ptr = CONTEXTS.with(|c| c.borrow().last().map(|f| f.context))?;
    // SAFETY: the pointer was pushed by `execute` for an invoke context that outlives the
    // program call it wraps, and is popped before `execute` returns. The program runs
    // single-threaded inside that call, so no other reference is used meanwhile.
    Some(f(unsafe { &mut *ptr }))
}

/// How many native program calls are executing on this thread (nested by CPI).
pub(super) fn native_depth() -> usize {
    CONTEXTS.with(|c| c.borrow().len())
}

/// Whether a native program is executing on this thread.
pub fn in_native_program() -> bool {
    CONTEXTS.with(|c| !c.borrow().is_empty())
}

/// Writes a program log line to the innermost invoke context's log collector (stdout when no
/// native program runs).
pub(super) fn log_line(message: &str) {
    if with_context(|ic| stable_log::program_log(&ic.get_log_collector(), message)).is_none() {
        println!("{message}");
    }
}
