pub mod activate_stake;
pub mod sync_rewards;

#[allow(ambiguous_glob_reexports)]
pub use activate_stake::*;
#[allow(ambiguous_glob_reexports)]
pub use sync_rewards::*;
