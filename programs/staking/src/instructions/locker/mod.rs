pub mod lock_collateral;
pub mod slash;
pub mod unlock_collateral;

#[allow(ambiguous_glob_reexports)]
pub use lock_collateral::*;
#[allow(ambiguous_glob_reexports)]
pub use slash::*;
#[allow(ambiguous_glob_reexports)]
pub use unlock_collateral::*;
