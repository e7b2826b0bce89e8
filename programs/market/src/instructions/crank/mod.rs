pub mod finalize_dispute;
pub mod finalize_job;
pub mod reclaim_expired;

#[allow(ambiguous_glob_reexports)]
pub use finalize_dispute::*;
#[allow(ambiguous_glob_reexports)]
pub use finalize_job::*;
#[allow(ambiguous_glob_reexports)]
pub use reclaim_expired::*;
