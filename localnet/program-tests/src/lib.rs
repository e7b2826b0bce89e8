//! The harness of the programs' in-process integration tests: one world per program
//! (accounts, PDAs, instruction builders and assertions over `crucible_localnet`'s chain), and
//! the seeded generator the property tests draw from.
//!
//! The tests themselves live next to each program, in `programs/<name>/tests/`, and the
//! cross-program ones here in `tests/`; `cargo test --manifest-path localnet/Cargo.toml -p crucible-program-tests` runs them all.

pub mod emissions;
pub mod market;
pub mod staking;
pub mod work;

pub use crucible_common::rng::SplitMix64 as Rng;
