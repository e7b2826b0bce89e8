pub mod accept_admin;
pub mod add_reward_source;
pub mod init_pool;
pub mod propose_admin;
pub mod remove_reward_source;
pub mod set_paused;
pub mod sweep_unallocated;
pub mod update_pool;

#[allow(ambiguous_glob_reexports)]
pub use accept_admin::*;
#[allow(ambiguous_glob_reexports)]
pub use add_reward_source::*;
#[allow(ambiguous_glob_reexports)]
pub use init_pool::*;
#[allow(ambiguous_glob_reexports)]
pub use propose_admin::*;
#[allow(ambiguous_glob_reexports)]
pub use remove_reward_source::*;
#[allow(ambiguous_glob_reexports)]
pub use set_paused::*;
#[allow(ambiguous_glob_reexports)]
pub use sweep_unallocated::*;
#[allow(ambiguous_glob_reexports)]
pub use update_pool::*;
