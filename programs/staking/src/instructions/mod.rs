//! Instructions by role: `admin/` (pool owner), `provider/` (providers), `crank/` (anyone),
//! `locker/` (only the market's collateral PDA, through CPI); `common` holds the accounts
//! structs several instructions nest (the pool and its admin, a stake and its owner or locker).
//!
//! Anchor needs every accounts struct at the crate root, hence the glob re-exports; each module
//! also has a `handler`, which is only ever called by its full path.
pub mod admin;
pub mod common;
pub mod crank;
pub mod locker;
pub mod provider;

#[allow(ambiguous_glob_reexports)]
pub use admin::*;
pub use common::*;
#[allow(ambiguous_glob_reexports)]
pub use crank::*;
#[allow(ambiguous_glob_reexports)]
pub use locker::*;
#[allow(ambiguous_glob_reexports)]
pub use provider::*;
