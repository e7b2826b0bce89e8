//! Instructions by role: `admin/` (config and markets), `client/`, `provider/`, `arbiter/`,
//! and `crank/` (anyone, once a window has passed).
//!
//! Anchor needs every accounts struct at the crate root, hence the glob re-exports; each module
//! also has a `handler`, which is only ever called by its full path.
pub mod admin;
pub mod arbiter;
pub mod client;
pub mod crank;
pub mod provider;

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
