pub mod cancel_job;
pub mod complete_job;
pub mod create_job;
pub mod create_job_usd;
pub mod dispute_job;

#[allow(ambiguous_glob_reexports)]
pub use cancel_job::*;
#[allow(ambiguous_glob_reexports)]
pub use complete_job::*;
#[allow(ambiguous_glob_reexports)]
pub use create_job::*;
#[allow(ambiguous_glob_reexports)]
pub use create_job_usd::*;
#[allow(ambiguous_glob_reexports)]
pub use dispute_job::*;
