//! The one seeded generator of the workspace's property tests and simulations: splitmix64
//! (small, fast, reproducible from a `u64` seed). Not for anything on-chain that needs
//! unpredictability: it is for tests.

/// splitmix64 over a `u64` state: `SplitMix64(seed)`.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 uniformly distributed bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (0 for `n = 0`; the modulo bias is irrelevant for tests).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// An amount that is mostly ordinary (`1..=scale`) and sometimes an edge: 0, 1 and
    /// `u64::MAX` each come once in `one_in` draws (`one_in > 3`).
    pub fn amount_or_edge(&mut self, one_in: u64, scale: u64) -> u64 {
        match self.below(one_in) {
            0 => 0,
            1 => 1,
            2 => u64::MAX,
            _ => 1 + self.below(scale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn matches_the_reference_sequence() {
        // splitmix64 from seed 0: the published first outputs.
        let mut r = SplitMix64(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert!(r.below(10) < 10);
    }
}
