//! Instructions by role: `admin/` (config and markets), `client/`, `provider/`, `arbiter/`,
//! and `crank/` (anyone, once a window has passed); `settle` holds the accounts and work the
//! settlement family shares (complete, finalize, resolve, finalize_dispute, reclaim).
//!
//! Each instruction's accounts struct has a `validate()` with its checks that are not account
//! constraints, run first (`#[access_control]` in lib.rs); the handler then transitions the
//! job (methods of `Job`), moves tokens and emits the event.
//!
//! Anchor needs every accounts struct at the crate root, hence the glob re-exports; each module
//! also has a `handler`, which is only ever called by its full path.
pub mod admin;
pub mod arbiter;
pub mod client;
pub mod crank;
pub mod provider;
pub mod settle;

#[allow(ambiguous_glob_reexports)]
pub use admin::*;
#[allow(ambiguous_glob_reexports)]
pub use arbiter::*;
#[allow(ambiguous_glob_reexports)]
pub use client::*;
#[allow(ambiguous_glob_reexports)]
pub use crank::*;
#[allow(ambiguous_glob_reexports)]
pub use provider::*;
pub use settle::*;
