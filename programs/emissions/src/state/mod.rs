pub mod emission_vault;
pub mod work_pool;

pub use emission_vault::*;
pub use work_pool::*;

#[cfg(test)]
mod tests {
    use anchor_lang::Space;

    use super::*;

    /// The work records' sizes (without the 8-byte discriminator): a settlement that creates
    /// them pays their rent, so they are part of the interface (programs/emissions/README.md).
    #[test]
    fn work_account_sizes() {
        assert_eq!(WorkHour::INIT_SPACE, 114);
        assert_eq!(ProviderWork::INIT_SPACE, 113);
        assert_eq!(WorkPool::INIT_SPACE, 349);
    }
}
