//! Instructions by role: `authority/` (the vault's authority, and whoever creates a vault),
//! `crank/` (anyone: `emit`, `fund`, `execute_recipients_proposal` once its delay has passed,
//! `replace_recipient_account` for an account that can no longer receive); `common` holds the
//! accounts structs several instructions nest (a vault and its authority, a paying vault).
//!
//! Anchor needs every accounts struct at the crate root, hence the glob re-exports; each module
//! also has a `handler`, which is only ever called by its full path.
pub mod authority;
pub mod common;
pub mod crank;
pub mod work;

#[allow(ambiguous_glob_reexports)]
pub use authority::*;
pub use common::*;
#[allow(ambiguous_glob_reexports)]
pub use crank::*;
#[allow(ambiguous_glob_reexports)]
pub use work::*;
