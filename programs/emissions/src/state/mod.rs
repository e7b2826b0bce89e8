pub mod emission_vault;

pub use emission_vault::*;
