pub mod provider_stake;
pub mod stake_pool;

pub use provider_stake::*;
pub use stake_pool::*;

/// Re-exported where it was first defined (`crucible_staking::state::JobOutcome`).
pub use crate::types::JobOutcome;
