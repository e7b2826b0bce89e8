pub mod finalize_dispute;
pub mod finalize_job;
pub mod reclaim_expired;
pub mod sweep_fees;

#[allow(ambiguous_glob_reexports)]
pub use finalize_dispute::*;
#[allow(ambiguous_glob_reexports)]
pub use finalize_job::*;
#[allow(ambiguous_glob_reexports)]
pub use reclaim_expired::*;
#[allow(ambiguous_glob_reexports)]
pub use sweep_fees::*;
