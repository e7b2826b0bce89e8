//! The work-rewards pool's arithmetic, in checked integers only (see `state::WorkPool`).
//!
//! A range of hours `[a, b)` received `amount`; the schedule emitted `weight` over it and
//! `consumed(h)` over `[a, h)`. Hour `h` is allotted
//! `floor(amount · consumed(h + 1) / weight) − floor(amount · consumed(h) / weight)`: the
//! allotments of a range sum to `amount` exactly, and each is within one unit of the hour's
//! share of the schedule.
//!
//! An hour's providers share `distributable = min(emission, floor(burned · cap_bps / 10 000))`;
//! each claims `floor(distributable · own_burn / burned)`, and the rounding dust of the hour
//! goes to the pool's destination when the last of its burn is claimed. So no provider is ever
//! paid more than `cap_bps` of its own burn, which is at most the burn itself.

use crucible_common::math::BPS_DENOMINATOR;

/// `floor(amount · consumed / weight)`: what a range's hours up to `consumed` are allotted
/// (`None` when `consumed > weight` or `weight == 0`).
pub fn allotted(amount: u64, consumed: u64, weight: u64) -> Option<u64> {
    if weight == 0 || consumed > weight {
        return None;
    }
    let product = u128::from(amount).checked_mul(u128::from(consumed))?;
    u64::try_from(product / u128::from(weight)).ok()
}

/// What one hour of a range is allotted: `allotted(after) − allotted(before)`.
pub fn hour_emission(amount: u64, before: u64, after: u64, weight: u64) -> Option<u64> {
    if weight == 0 {
        return Some(0);
    }
    allotted(amount, after, weight)?.checked_sub(allotted(amount, before, weight)?)
}

/// `min(emission, floor(burned · cap_bps / 10 000))`.
pub fn distributable(emission: u64, burned: u64, cap_bps: u16) -> Option<u64> {
    if cap_bps > BPS_DENOMINATOR {
        return None;
    }
    let cap = u128::from(burned).checked_mul(u128::from(cap_bps))? / u128::from(BPS_DENOMINATOR);
    Some(u64::try_from(cap).ok()?.min(emission))
}

/// `floor(distributable · own_burn / burned)`: one provider's claim on an hour.
pub fn claim(distributable: u64, own_burn: u64, burned: u64) -> Option<u64> {
    if burned == 0 || own_burn > burned {
        return None;
    }
    let product = u128::from(distributable).checked_mul(u128::from(own_burn))?;
    u64::try_from(product / u128::from(burned)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crucible_common::rng::SplitMix64;

    #[test]
    fn a_range_allots_exactly_its_amount() {
        let mut rng = SplitMix64(15);
        for _ in 0..2_000 {
            let hours = 1 + rng.below(50) as usize;
            let weights: Vec<u64> = (0..hours).map(|_| rng.below(5_000_000)).collect();
            let weight: u64 = weights.iter().sum();
            let amount = rng.below(1 << 40);
            let mut consumed = 0u64;
            let mut total = 0u64;
            for w in &weights {
                let e = hour_emission(amount, consumed, consumed + w, weight).unwrap();
                if weight > 0 {
                    // Within one unit of the exact share.
                    let exact = u128::from(amount) * u128::from(*w);
                    let w128 = u128::from(weight);
                    assert!(u128::from(e) * w128 + w128 > exact);
                    assert!(u128::from(e) * w128 < exact + w128);
                }
                consumed += w;
                total += e;
            }
            assert_eq!(total, if weight == 0 { 0 } else { amount });
        }
    }

    #[test]
    fn claims_never_exceed_the_cap_of_their_own_burn() {
        let mut rng = SplitMix64(16);
        for _ in 0..20_000 {
            let cap_bps = 1 + rng.below(10_000) as u16;
            let providers = 1 + rng.below(8) as usize;
            let burns: Vec<u64> = (0..providers).map(|_| 1 + rng.below(1 << 30)).collect();
            let burned: u64 = burns.iter().sum();
            let emission = rng.below(1 << 34);
            let d = distributable(emission, burned, cap_bps).unwrap();
            assert!(d <= emission);
            assert!(u128::from(d) * 10_000 <= u128::from(burned) * u128::from(cap_bps));
            let mut paid = 0u64;
            for b in &burns {
                let c = claim(d, *b, burned).unwrap();
                assert!(u128::from(c) * 10_000 <= u128::from(*b) * u128::from(cap_bps));
                assert!(c <= *b);
                paid += c;
            }
            // The dust left for the destination is below one unit per provider.
            assert!(paid <= d && d - paid < providers as u64);
        }
    }

    #[test]
    fn bad_inputs_are_none() {
        assert_eq!(allotted(1, 2, 1), None);
        assert_eq!(allotted(1, 0, 0), None);
        assert_eq!(hour_emission(5, 0, 0, 0), Some(0));
        assert_eq!(distributable(1, 1, 10_001), None);
        assert_eq!(claim(1, 2, 1), None);
        assert_eq!(claim(1, 0, 0), None);
        assert_eq!(distributable(u64::MAX, u64::MAX, 10_000), Some(u64::MAX));
        assert_eq!(claim(u64::MAX, u64::MAX, u64::MAX), Some(u64::MAX));
    }
}
