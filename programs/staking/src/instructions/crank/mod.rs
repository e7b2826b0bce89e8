pub mod sync_rewards;

#[allow(ambiguous_glob_reexports)]
pub use sync_rewards::*;
