//! What the Crucible programs share.
//!
//! - [`emit!`]: Anchor's `emit!` (an event as `Program data:`), which also reaches the
//!   transaction logs when the program runs natively in the local validator;
//! - [`mint`]: the Token-2022 extensions a Crucible mint must not have;
//! - [`math`]: the checked-math vocabulary (`BPS_DENOMINATOR`, `safe_math!`, Q64.64 helpers);
//! - [`pyth`]: Pyth's `PriceUpdateV2` account decoded, its checks, and micro-USD → tokens at
//!   the lower end of the confidence interval;
//! - [`rng`]: the seeded generator of the property tests;
//! - [`token`]: the one token-movement helper (`transfer_checked`, `burn`, `close_account`).

pub mod math;
pub mod mint;
pub mod pyth;
pub mod rng;
pub mod token;

/// Logs an Anchor event as `Program data: <base64>`, exactly as `anchor_lang::emit!` does.
///
/// Anchor's own `emit!` compiles to a no-op on the host; this one calls the same syscall
/// on-chain and the runtime's syscall stub natively, so events appear in the logs either way.
#[macro_export]
macro_rules! emit {
    ($event:expr) => {
        $crate::log_event(&::anchor_lang::Event::data(&$event))
    };
}

/// Logs one serialized event (discriminator + borsh) as `Program data:`.
pub fn log_event(data: &[u8]) {
    #[cfg(target_os = "solana")]
    anchor_lang::solana_program::log::sol_log_data(&[data]);
    #[cfg(not(target_os = "solana"))]
    solana_sysvar::program_stubs::sol_log_data(&[data]);
}
