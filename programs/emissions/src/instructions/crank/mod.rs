pub mod emit;
pub mod fund;

#[allow(ambiguous_glob_reexports)]
pub use emit::*;
#[allow(ambiguous_glob_reexports)]
pub use fund::*;
