pub mod emit;
pub mod execute_recipients_proposal;
pub mod fund;
pub mod replace_recipient_account;

#[allow(ambiguous_glob_reexports)]
pub use emit::*;
#[allow(ambiguous_glob_reexports)]
pub use execute_recipients_proposal::*;
#[allow(ambiguous_glob_reexports)]
pub use fund::*;
#[allow(ambiguous_glob_reexports)]
pub use replace_recipient_account::*;
