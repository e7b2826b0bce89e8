pub mod provider_stake;
pub mod stake_pool;

pub use provider_stake::*;
pub use stake_pool::*;
