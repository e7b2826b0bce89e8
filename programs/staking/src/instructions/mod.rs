//! Instructions by role: `admin/` (pool owner), `user/` (providers), `crank/` (anyone),
//! `locker/` (only the market's collateral PDA, through CPI).
//!
//! Anchor needs every accounts struct at the crate root, hence the glob re-exports; each module
//! also has a `handler`, which is only ever called by its full path.
pub mod admin;
pub mod crank;
pub mod locker;
pub mod user;

#[allow(ambiguous_glob_reexports)]
pub use admin::*;
#[allow(ambiguous_glob_reexports)]
pub use crank::*;
#[allow(ambiguous_glob_reexports)]
pub use locker::*;
#[allow(ambiguous_glob_reexports)]
pub use user::*;
