pub mod emission_vault;
pub mod work_pool;

pub use emission_vault::*;
pub use work_pool::*;
