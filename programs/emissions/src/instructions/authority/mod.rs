pub mod accept_authority;
pub mod cancel_recipients_proposal;
pub mod close_vault;
pub mod create_vault;
pub mod propose_authority;
pub mod propose_recipients;
pub mod revoke;
pub mod set_paused;
pub mod update_recipients;

#[allow(ambiguous_glob_reexports)]
pub use accept_authority::*;
#[allow(ambiguous_glob_reexports)]
pub use cancel_recipients_proposal::*;
#[allow(ambiguous_glob_reexports)]
pub use close_vault::*;
#[allow(ambiguous_glob_reexports)]
pub use create_vault::*;
#[allow(ambiguous_glob_reexports)]
pub use propose_authority::*;
#[allow(ambiguous_glob_reexports)]
pub use propose_recipients::*;
#[allow(ambiguous_glob_reexports)]
pub use revoke::*;
#[allow(ambiguous_glob_reexports)]
pub use set_paused::*;
#[allow(ambiguous_glob_reexports)]
pub use update_recipients::*;
