//! Settlement arithmetic. Rounding is down on every share taken from an amount (burn, fee,
//! provider part); the last share (the provider's pay, the client's refund) is the remainder,
//! so nothing is created or lost.

use anchor_lang::prelude::*;
use crucible_common::math::{bps_floor, BPS_DENOMINATOR};

crucible_common::safe_math!(crate::error::MarketError::MathOverflow);

/// A duration in seconds as a timestamp offset (`MathOverflow` above `i64::MAX`).
#[track_caller]
pub fn secs(duration: u64) -> Result<i64> {
    i64::try_from(duration).ok().or_overflow()
}

/// `at + duration`, checked: the end of a window that opens at `at`.
#[track_caller]
pub fn after(at: i64, duration: u64) -> Result<i64> {
    at.safe_add(secs(duration)?)
}

/// How an amount paid for work is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    pub burned: u64,
    pub fee: u64,
    /// To the provider: the remainder.
    pub paid: u64,
}

/// `burn = floor(A × burn_bps / 10 000)`, `fee = floor(A × fee_bps / 10 000)`,
/// `paid = A − burn − fee`. Needs `burn_bps + fee_bps ≤ 10 000`.
pub fn settle(amount: u64, burn_bps: u16, fee_bps: u16) -> Option<Settlement> {
    let burned = bps_floor(amount, burn_bps)?;
    let fee = bps_floor(amount, fee_bps)?;
    let paid = amount.checked_sub(burned)?.checked_sub(fee)?;
    Some(Settlement { burned, fee, paid })
}

/// A dispute split of `price`: the provider's part `floor(price × share / 10 000)`, the
/// client's part the remainder (refunded first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub refunded: u64,
    pub provider_part: u64,
}

pub fn split(price: u64, provider_share_bps: u16) -> Option<Split> {
    if provider_share_bps > BPS_DENOMINATOR {
        return None;
    }
    let provider_part = bps_floor(price, provider_share_bps)?;
    Some(Split { refunded: price - provider_part, provider_part })
}

/// Collateral for a job: `max(min_collateral, floor(price × collateral_bps / 10 000))`.
pub fn collateral(price: u64, collateral_bps: u16, min_collateral: u64) -> Option<u64> {
    Some(bps_floor(price, collateral_bps)?.max(min_collateral))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settlement_conserves_every_unit() {
        for amount in [0u64, 1, 7, 999, 1_000_000_007, u64::MAX] {
            for (b, f) in [(0u16, 0u16), (2_000, 500), (10_000, 0), (0, 10_000), (3_333, 3_333)] {
                let s = settle(amount, b, f).unwrap();
                assert_eq!(
                    u128::from(s.burned) + u128::from(s.fee) + u128::from(s.paid),
                    u128::from(amount)
                );
            }
        }
        assert_eq!(settle(1_000, 2_000, 500), Some(Settlement { burned: 200, fee: 50, paid: 750 }));
        assert_eq!(settle(999, 2_000, 500), Some(Settlement { burned: 199, fee: 49, paid: 751 }));
        assert_eq!(settle(10, 6_000, 6_000), None);
    }

    #[test]
    fn split_refunds_the_remainder() {
        assert_eq!(split(1_001, 5_000), Some(Split { refunded: 501, provider_part: 500 }));
        assert_eq!(split(1_001, 10_000), Some(Split { refunded: 0, provider_part: 1_001 }));
        assert_eq!(split(1_001, 0), Some(Split { refunded: 1_001, provider_part: 0 }));
        assert_eq!(split(1, 10_001), None);
    }

    #[test]
    fn collateral_has_a_floor() {
        assert_eq!(collateral(1_000, 5_000, 1), Some(500));
        assert_eq!(collateral(1, 5_000, 1_000_000), Some(1_000_000));
        assert_eq!(collateral(u64::MAX, 10_000, 0), Some(u64::MAX));
    }
}
