pub mod config;
pub mod job;
pub mod market;

pub use config::*;
pub use job::*;
pub use market::*;

#[cfg(test)]
mod tests {
    use anchor_lang::Space;

    use super::*;

    /// Account sizes (without the 8-byte discriminator), as documented in the README: rent
    /// per job is part of the interface.
    #[test]
    fn account_sizes() {
        assert_eq!(MarketConfig::INIT_SPACE, 163);
        // 237 + 39 (the optional USD pricing) + 34 (the optional work pool and the recorder's
        // bump), 476 + 37 (the optional USD quote).
        assert_eq!(Market::INIT_SPACE, 310);
        assert_eq!(Job::INIT_SPACE, 513);
    }
}
