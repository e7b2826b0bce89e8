//! Crucible's replacement for `solana-msg` 2.2, applied with `[patch.crates-io]`.
//!
//! The `msg!` macro and `sol_log` are the upstream interface. On-chain `sol_log` is the
//! `sol_log_` syscall, as upstream. On the host upstream prints to stdout, which loses the
//! line for the transaction's logs; here a host program can install a logger with
//! [`set_host_logger`] (the local validator does, to write `Program log: ...` into the
//! invoke context's log collector). Without one, the line goes to stdout as upstream.

/// Print a message to the log.
#[macro_export]
macro_rules! msg {
    ($msg:expr) => {
        $crate::sol_log($msg)
    };
    ($($arg:tt)*) => ($crate::sol_log(&format!($($arg)*)));
}

/// Syscall definitions used by `solana_msg`.
#[cfg(target_os = "solana")]
pub mod syscalls {
    pub use solana_define_syscall::definitions::{
        sol_log_, sol_log_64_, sol_log_compute_units_, sol_log_data,
    };
}

#[cfg(not(target_os = "solana"))]
static HOST_LOGGER: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Installs the function that receives `msg!` lines in host builds. The first call wins;
/// it returns whether this call installed `logger`.
#[cfg(not(target_os = "solana"))]
pub fn set_host_logger(logger: fn(&str)) -> bool {
    HOST_LOGGER.set(logger).is_ok()
}

/// Print a string to the log.
#[inline]
pub fn sol_log(message: &str) {
    #[cfg(target_os = "solana")]
    unsafe {
        syscalls::sol_log_(message.as_ptr(), message.len() as u64);
    }

    #[cfg(not(target_os = "solana"))]
    match HOST_LOGGER.get() {
        Some(logger) => logger(message),
        None => println!("{message}"),
    }
}
