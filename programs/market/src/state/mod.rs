pub mod config;
pub mod job;
pub mod market;

pub use config::*;
pub use job::*;
pub use market::*;
