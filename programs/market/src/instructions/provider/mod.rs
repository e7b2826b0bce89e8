pub mod accept_job;
pub mod quit_job;
pub mod submit_result;

#[allow(ambiguous_glob_reexports)]
pub use accept_job::*;
#[allow(ambiguous_glob_reexports)]
pub use quit_job::*;
#[allow(ambiguous_glob_reexports)]
pub use submit_result::*;
