pub mod cancel_unstake;
pub mod claim_rewards;
pub mod close_stake;
pub mod request_unstake;
pub mod stake;
pub mod withdraw;

#[allow(ambiguous_glob_reexports)]
pub use cancel_unstake::*;
#[allow(ambiguous_glob_reexports)]
pub use claim_rewards::*;
#[allow(ambiguous_glob_reexports)]
pub use close_stake::*;
#[allow(ambiguous_glob_reexports)]
pub use request_unstake::*;
#[allow(ambiguous_glob_reexports)]
pub use stake::*;
#[allow(ambiguous_glob_reexports)]
pub use withdraw::*;
