//! Crucible's local validator: agave's runtime (through LiteSVM) with the Crucible programs
//! running natively as builtins and the SPL programs as their SBF binaries.
//!
//! [`Localnet`] is the chain: it verifies signatures, accepts only recent blockhashes, rejects
//! duplicates, keeps transaction history, and moves the clock on request. The Rust tests use
//! it in-process; `crucible-localnet` (the binary) serves it over JSON-RPC and PubSub.
//!
//! Modules, lowest layer first; each uses only the ones above it in this list (checked by
//! `scripts/rust-module-cycles.ts` in `npm test`), and this file only declares and re-exports:
//!
//! 1. [`native`]: the glue that runs Anchor programs compiled for the host inside the runtime;
//! 2. [`programs`]: the programs loaded, their addresses, how a builtin is installed;
//! 3. [`chain`]: [`Localnet`] itself (blocks, blockhashes, clock, transactions, history);
//! 4. [`keypair`], [`testing`]: helpers over the chain for the binary and for tests;
//! 5. [`rpc`]: the JSON-RPC and PubSub server (its own layers are listed in its docs).

pub mod chain;
pub mod keypair;
pub mod native;
pub mod programs;
pub mod rpc;
pub mod testing;

pub use chain::clock::{TimeTravel, TimeTravelError, MAX_TRAVEL_SECONDS};
pub use chain::{
    Block, BlockLookup, Localnet, OpenLedger, Options, Simulation, TxFailure, TxRecord,
    BLOCKHASH_MAX_AGE, BLOCKHASH_RING, FAUCET_LAMPORTS, LAMPORTS_PER_SIGNATURE,
    MAX_PRIORITIZATION_ACCOUNTS, MS_PER_SLOT, RECENT_PRIORITIZATION_BLOCKS,
};
pub use keypair::{keypair_pubkey, read_keypair_file};
pub use programs::{programs, spl, EmissionsProgram, MarketProgram, StakingProgram};
pub use solana_pubkey::Pubkey;

// `native_program!` and `native_entry!` are defined in `native.rs` (exported at the crate root).
#[doc(hidden)]
pub mod __private {
    pub use solana_program_runtime::declare_process_instruction;
}
