pub mod init_pool;
pub mod request_unstake;
pub mod stake;
pub mod withdraw;

// Anchor needs every accounts struct at the crate root; each module also has a `handler`,
// which is only ever called by its full path.
#[allow(ambiguous_glob_reexports)]
pub use init_pool::*;
#[allow(ambiguous_glob_reexports)]
pub use request_unstake::*;
#[allow(ambiguous_glob_reexports)]
pub use stake::*;
#[allow(ambiguous_glob_reexports)]
pub use withdraw::*;
