pub mod accept_admin;
pub mod create_market;
pub mod init_config;
pub mod propose_admin;
pub mod set_market_paused;
pub mod set_treasury;
pub mod update_market;

#[allow(ambiguous_glob_reexports)]
pub use accept_admin::*;
#[allow(ambiguous_glob_reexports)]
pub use create_market::*;
#[allow(ambiguous_glob_reexports)]
pub use init_config::*;
#[allow(ambiguous_glob_reexports)]
pub use propose_admin::*;
#[allow(ambiguous_glob_reexports)]
pub use set_market_paused::*;
#[allow(ambiguous_glob_reexports)]
pub use set_treasury::*;
#[allow(ambiguous_glob_reexports)]
pub use update_market::*;
