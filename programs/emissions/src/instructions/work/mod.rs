//! The work-rewards pool (see `state::WorkPool` and the crate's README): created by anyone,
//! written by the market's settlements through `record_burn`, finalized hour by hour by the
//! permissionless `crank_work_pool`, paid out by permissionless claims.
pub mod claim_work_reward;
pub mod close_work_hour;
pub mod crank_work_pool;
pub mod create_work_pool;
pub mod record_burn;
pub mod records;

#[allow(ambiguous_glob_reexports)]
pub use claim_work_reward::*;
#[allow(ambiguous_glob_reexports)]
pub use close_work_hour::*;
#[allow(ambiguous_glob_reexports)]
pub use crank_work_pool::*;
#[allow(ambiguous_glob_reexports)]
pub use create_work_pool::*;
#[allow(ambiguous_glob_reexports)]
pub use record_burn::*;
