use super::*;
use crate::rng::SplitMix64;

const FEED: FeedId = [7; 32];
const NOW: i64 = 1_750_000_000;
const MAX_AGE: u64 = 60;
const MAX_CONF_BPS: u16 = 100;

/// A fully verified update of `FEED` at `(price ± conf) · 10^exponent`, published `NOW`.
fn update(price: i64, conf: u64, exponent: i32) -> PriceUpdateV2 {
    PriceUpdateV2 {
        write_authority: Pubkey::new_from_array([3; 32]),
        verification_level: VerificationLevel::Full,
        price_message: PriceFeedMessage {
            feed_id: FEED,
            price,
            conf,
            exponent,
            publish_time: NOW,
            prev_publish_time: NOW - 1,
            ema_price: price,
            ema_conf: conf,
        },
        posted_slot: 4242,
    }
}

fn check(u: &PriceUpdateV2) -> Result<Price, PythError> {
    validated_price(&RECEIVER_PROGRAM_ID, &u.to_account_data(), &FEED, MAX_AGE, MAX_CONF_BPS, NOW)
}

fn published(at: i64) -> PriceUpdateV2 {
    let mut u = update(150_0000_0000, 1_0000_0000, -8);
    u.price_message.publish_time = at;
    u
}

fn price(price: i64, conf: u64, exponent: i32) -> Price {
    Price { price, conf, exponent, publish_time: NOW }
}

mod validation {
    use super::*;

    #[test]
    fn accepts_a_fresh_fully_verified_update() {
        let p = check(&update(150_0000_0000, 1_0000_0000, -8)).unwrap();
        assert_eq!(p, price(150_0000_0000, 1_0000_0000, -8));
    }

    #[test]
    fn rejects_another_owner() {
        let u = update(150_0000_0000, 0, -8);
        let other = Pubkey::new_from_array([9; 32]);
        let r = validated_price(&other, &u.to_account_data(), &FEED, MAX_AGE, 100, NOW);
        assert_eq!(r, Err(PythError::WrongOwner));
    }

    #[test]
    fn rejects_data_that_is_not_a_price_update() {
        let good = update(150_0000_0000, 0, -8).to_account_data();
        let run = |data: &[u8]| validated_price(&RECEIVER_PROGRAM_ID, data, &FEED, 60, 100, NOW);
        assert!(run(&good).is_ok());
        // A Full update needs 133 bytes, the last byte of the 134 is unused.
        assert!(run(&good[..133]).is_ok());
        assert_eq!(run(&good[..132]), Err(PythError::NotAPriceUpdate));
        assert_eq!(run(&[]), Err(PythError::NotAPriceUpdate));
        let mut other = good;
        other[0] ^= 1;
        assert_eq!(run(&other), Err(PythError::NotAPriceUpdate));
        let mut tag = good;
        tag[40] = 2;
        assert_eq!(run(&tag), Err(PythError::NotAPriceUpdate));
        // A Partial one needs all 134.
        let mut partial = update(150_0000_0000, 0, -8);
        partial.verification_level = VerificationLevel::Partial { num_signatures: 13 };
        let bytes = partial.to_account_data();
        assert_eq!(run(&bytes[..133]), Err(PythError::NotAPriceUpdate));
        assert_eq!(run(&bytes), Err(PythError::NotFullyVerified));
    }

    #[test]
    fn rejects_a_partially_verified_update() {
        for num_signatures in [0, 1, 13, 255] {
            let mut u = update(150_0000_0000, 0, -8);
            u.verification_level = VerificationLevel::Partial { num_signatures };
            assert_eq!(check(&u), Err(PythError::NotFullyVerified));
        }
    }

    #[test]
    fn rejects_another_feed() {
        let mut u = update(150_0000_0000, 0, -8);
        u.price_message.feed_id[31] ^= 1;
        assert_eq!(check(&u), Err(PythError::WrongFeed));
    }

    #[test]
    fn rejects_a_stale_update_and_accepts_one_published_ahead() {
        assert!(check(&published(NOW - 60)).is_ok());
        assert_eq!(check(&published(NOW - 61)), Err(PythError::StalePrice));
        assert_eq!(check(&published(0)), Err(PythError::StalePrice));
        assert_eq!(check(&published(i64::MIN)), Err(PythError::StalePrice));
        // Pyth's rule has no lower bound on the age: a publish time after the clock passes.
        assert!(check(&published(NOW + 5)).is_ok());
        assert!(check(&published(i64::MAX)).is_ok());
        // A maximum age of 0 accepts only the clock's second; u64::MAX never expires.
        let at = |t: i64, age: u64| {
            let data = published(t).to_account_data();
            validated_price(&RECEIVER_PROGRAM_ID, &data, &FEED, age, 100, NOW)
        };
        assert!(at(NOW, 0).is_ok());
        assert_eq!(at(NOW - 1, 0), Err(PythError::StalePrice));
        assert!(at(0, u64::MAX).is_ok());
    }

    #[test]
    fn rejects_a_zero_or_negative_price() {
        for p in [0, -1, -150_0000_0000, i64::MIN] {
            assert_eq!(check(&update(p, 0, -8)), Err(PythError::NonPositivePrice));
        }
        assert!(check(&update(1, 0, -8)).is_ok());
    }

    #[test]
    fn rejects_an_exponent_out_of_range() {
        for e in [EXPONENT_MIN, -18, -8, 0, 18, EXPONENT_MAX] {
            assert!(check(&update(5, 0, e)).is_ok(), "exponent {e}");
        }
        for e in [EXPONENT_MIN - 1, EXPONENT_MAX + 1, i32::MIN, i32::MAX] {
            assert_eq!(check(&update(5, 0, e)), Err(PythError::ExponentOutOfRange));
        }
    }

    #[test]
    fn rejects_a_confidence_wider_than_the_bound() {
        // 100 bps of 10 000 is 100.
        assert!(check(&update(10_000, 100, -2)).is_ok());
        assert_eq!(check(&update(10_000, 101, -2)), Err(PythError::ConfidenceTooWide));
        // 100 bps of 10 050 is 100.5: 100 passes, 101 does not.
        assert!(check(&update(10_050, 100, -2)).is_ok());
        assert_eq!(check(&update(10_050, 101, -2)), Err(PythError::ConfidenceTooWide));
        // Extremes: no overflow in the comparison.
        assert!(check(&update(i64::MAX, u64::try_from(i64::MAX / 100).unwrap(), -8)).is_ok());
        assert_eq!(check(&update(1, u64::MAX, -8)), Err(PythError::ConfidenceTooWide));
        let data = update(1_000, 1_000, -2).to_account_data();
        let run = |bps| validated_price(&RECEIVER_PROGRAM_ID, &data, &FEED, 60, bps, NOW);
        assert_eq!(run(0), Err(PythError::ConfidenceTooWide));
        assert_eq!(run(9_999), Err(PythError::ConfidenceTooWide));
        assert!(run(10_000).is_ok());
        let zero = update(1_000, 0, -2).to_account_data();
        assert!(validated_price(&RECEIVER_PROGRAM_ID, &zero, &FEED, 60, 0, NOW).is_ok());
    }

    #[test]
    fn checks_in_the_documented_order() {
        // Every check fails at once: the first in the order is the one reported.
        let mut u = update(-1, u64::MAX, 99);
        u.verification_level = VerificationLevel::Partial { num_signatures: 1 };
        u.price_message.feed_id = [0; 32];
        u.price_message.publish_time = 0;
        let data = u.to_account_data();
        let run = |owner: &Pubkey, data: &[u8]| {
            validated_price(owner, data, &FEED, MAX_AGE, MAX_CONF_BPS, NOW)
        };
        let other = Pubkey::new_from_array([9; 32]);
        assert_eq!(run(&other, &data[..10]), Err(PythError::WrongOwner));
        assert_eq!(run(&RECEIVER_PROGRAM_ID, &data[..10]), Err(PythError::NotAPriceUpdate));
        assert_eq!(run(&RECEIVER_PROGRAM_ID, &data), Err(PythError::NotFullyVerified));
        u.verification_level = VerificationLevel::Full;
        let steps = [
            PythError::WrongFeed,
            PythError::StalePrice,
            PythError::NonPositivePrice,
            PythError::ExponentOutOfRange,
            PythError::ConfidenceTooWide,
        ];
        for (i, expected) in steps.into_iter().enumerate() {
            assert_eq!(check(&u), Err(expected), "step {i}");
            let m = &mut u.price_message;
            match i {
                0 => m.feed_id = FEED,
                1 => m.publish_time = NOW,
                2 => m.price = 1_000,
                3 => m.exponent = -2,
                _ => m.conf = 10,
            }
        }
        assert!(check(&u).is_ok());
    }

    #[test]
    fn every_error_has_a_sentence() {
        for e in [
            PythError::WrongOwner,
            PythError::NotAPriceUpdate,
            PythError::NotFullyVerified,
            PythError::WrongFeed,
            PythError::StalePrice,
            PythError::NonPositivePrice,
            PythError::ExponentOutOfRange,
            PythError::ConfidenceTooWide,
            PythError::LowerBoundNotPositive,
            PythError::Overflow,
            PythError::AboveClientMaximum,
        ] {
            let s = e.to_string();
            assert!(s.starts_with("The ") && s.ends_with('.'), "{s}");
        }
    }
}

mod conversion {
    use super::*;

    #[test]
    fn converts_hand_computed_vectors() {
        let t = |usd, p: Price, d| tokens_for_micro_usd(usd, &p, d);
        // $1 of a 9-decimal token at $150 (exponent −8): 10^6 · 10^11 / 1.5·10^10 = 6 666 666.7.
        assert_eq!(t(1_000_000, price(150_0000_0000, 0, -8), 9), Ok(6_666_667));
        // At the lower end $149: 10^17 / 1.49·10^10 = 6 711 409.4.
        assert_eq!(t(1_000_000, price(150_0000_0000, 1_0000_0000, -8), 9), Ok(6_711_410));
        // A 6-decimal token at exactly $1: one base unit per micro-USD, no rounding.
        assert_eq!(t(1_000_000, price(1_0000_0000, 0, -8), 6), Ok(1_000_000));
        assert_eq!(t(1, price(1_0000_0000, 0, -8), 6), Ok(1));
        // A 0-decimal token at $2 (exponent 0): $5 is 2.5 tokens, so 3.
        assert_eq!(t(5_000_000, price(2, 0, 0), 0), Ok(3));
        assert_eq!(t(4_000_000, price(2, 0, 0), 0), Ok(2));
        assert_eq!(t(4_000_001, price(2, 0, 0), 0), Ok(3));
        // Nothing costs nothing.
        assert_eq!(t(0, price(2, 0, 0), 0), Ok(0));
        assert_eq!(t(0, price(1, 0, -38), 255), Ok(0));
    }

    #[test]
    fn rounds_up_exactly_at_boundaries() {
        // 6 decimals, $2 a token (exponent 0): tokens = ceil(micro_usd / 2).
        let p = price(2, 0, 0);
        assert_eq!(tokens_for_micro_usd(4, &p, 6), Ok(2));
        assert_eq!(tokens_for_micro_usd(5, &p, 6), Ok(3));
        assert_eq!(tokens_for_micro_usd(6, &p, 6), Ok(3));
        // 9 decimals, lower end $149.99 (14 999 · 10^−2): 10^6 · 10^5 / 14 999 = 6 667 111.1…
        let p = price(15_000, 1, -2);
        assert_eq!(tokens_for_micro_usd(1_000_000, &p, 9), Ok(6_667_112));
        // 14 999 · 6 667 111 = 99 999 997 889 < 10^11 ≤ 14 999 · 6 667 112.
        // 14 999 micro-USD is exactly 10^5 base units; one micro-USD more rounds up.
        assert_eq!(tokens_for_micro_usd(14_999, &p, 9), Ok(100_000));
        assert_eq!(tokens_for_micro_usd(15_000, &p, 9), Ok(100_007));
    }

    #[test]
    fn uses_the_lower_end_of_the_interval() {
        // L = 1: the full price is 1 000 but the client funds at 1.
        assert_eq!(tokens_for_micro_usd(7, &price(1_000, 999, 0), 6), Ok(7));
        assert_eq!(tokens_for_micro_usd(7_000, &price(1_000, 0, 0), 6), Ok(7));
        for conf in [1_000, 1_001, u64::MAX] {
            let r = tokens_for_micro_usd(7, &price(1_000, conf, 0), 6);
            assert_eq!(r, Err(PythError::LowerBoundNotPositive));
        }
        assert_eq!(tokens_for_micro_usd(7, &price(0, 0, 0), 6), Err(PythError::NonPositivePrice));
        assert_eq!(tokens_for_micro_usd(7, &price(-5, 0, 0), 6), Err(PythError::NonPositivePrice));
    }

    #[test]
    fn handles_large_and_small_exponents() {
        // $10^18 a token, 0 decimals: any amount under 10^24 micro-USD is one token.
        assert_eq!(tokens_for_micro_usd(u64::MAX, &price(1, 0, 18), 0), Ok(1));
        assert_eq!(tokens_for_micro_usd(1, &price(1, 0, 18), 0), Ok(1));
        // $10^38 · (2^63 − 1): the denominator leaves u128, still exactly one token.
        assert_eq!(tokens_for_micro_usd(u64::MAX, &price(i64::MAX, 0, 38), 0), Ok(1));
        assert_eq!(
            tokens_for_micro_usd(u64::MAX, &price(i64::MAX, 0, 38), 255),
            Err(PythError::Overflow)
        );
        // 10^−18 USD a token, 0 decimals: 10^12 tokens per micro-USD.
        let p = price(1, 0, -18);
        assert_eq!(tokens_for_micro_usd(1, &p, 0), Ok(1_000_000_000_000));
        assert_eq!(tokens_for_micro_usd(18_446_744, &p, 0), Ok(18_446_744_000_000_000_000));
        assert_eq!(tokens_for_micro_usd(18_446_745, &p, 0), Err(PythError::Overflow));
        // The same price, 9 decimals: 10^21 base units for one micro-USD.
        assert_eq!(tokens_for_micro_usd(1, &p, 9), Err(PythError::Overflow));
        // Exponent −38, 9 decimals: 10^47 does not fit a u128, an overflow for any amount > 0.
        assert_eq!(tokens_for_micro_usd(1, &price(i64::MAX, 0, -38), 9), Err(PythError::Overflow));
        for e in [EXPONENT_MIN - 1, EXPONENT_MAX + 1] {
            let r = tokens_for_micro_usd(1, &price(1, 0, e), 6);
            assert_eq!(r, Err(PythError::ExponentOutOfRange));
        }
    }

    #[test]
    fn overflows_exactly_above_u64_max() {
        // 6 decimals, $1 (exponent 0): tokens = micro_usd, u64::MAX fits.
        assert_eq!(tokens_for_micro_usd(u64::MAX, &price(1, 0, 0), 6), Ok(u64::MAX));
        // 7 decimals: tokens = 10 · micro_usd.
        let m = u64::MAX / 10;
        assert_eq!(tokens_for_micro_usd(m, &price(1, 0, 0), 7), Ok(m * 10));
        assert_eq!(tokens_for_micro_usd(m + 1, &price(1, 0, 0), 7), Err(PythError::Overflow));
        // 255 decimals: 10^249 does not fit.
        assert_eq!(tokens_for_micro_usd(1, &price(1, 0, 0), 255), Err(PythError::Overflow));
    }

    #[test]
    fn refuses_above_the_clients_maximum() {
        // $1 at $150 with 9 decimals: 6 666 667 base units.
        let p = price(150_0000_0000, 0, -8);
        assert_eq!(tokens_within_maximum(1_000_000, &p, 9, 6_666_667), Ok(6_666_667));
        assert_eq!(tokens_within_maximum(1_000_000, &p, 9, u64::MAX), Ok(6_666_667));
        let r = tokens_within_maximum(1_000_000, &p, 9, 6_666_666);
        assert_eq!(r, Err(PythError::AboveClientMaximum));
        // The price falls 1 %: the same dollar costs more tokens than the client allowed.
        let lower = price(148_5000_0000, 0, -8);
        assert_eq!(tokens_for_micro_usd(1_000_000, &lower, 9), Ok(6_734_007));
        let r = tokens_within_maximum(1_000_000, &lower, 9, 6_700_000);
        assert_eq!(r, Err(PythError::AboveClientMaximum));
        // More than u64::MAX is above any maximum; other refusals keep their name.
        let r = tokens_within_maximum(1, &price(1, 0, -18), 9, u64::MAX);
        assert_eq!(r, Err(PythError::AboveClientMaximum));
        let r = tokens_within_maximum(1, &price(5, 5, 0), 9, u64::MAX);
        assert_eq!(r, Err(PythError::LowerBoundNotPositive));
        assert_eq!(tokens_within_maximum(0, &p, 9, 0), Ok(0));
    }
}

/// The value of `tokens` base units at the lower end `lower · 10^exponent`, compared with
/// `micro_usd`: `tokens · lower · 10^(−k) ≥ micro_usd`, `k = decimals − 6 − exponent`, exactly
/// (a side that leaves u128 is larger than the other).
fn pays_at_least(tokens: u64, lower: u64, k: i32, micro_usd: u64) -> bool {
    if micro_usd == 0 {
        return true;
    }
    let value = u128::from(tokens) * u128::from(lower);
    if k >= 0 {
        match 10u128
            .checked_pow(k.unsigned_abs())
            .and_then(|s| s.checked_mul(u128::from(micro_usd)))
        {
            Some(need) => value >= need,
            None => false,
        }
    } else {
        match 10u128.checked_pow(k.unsigned_abs()).and_then(|s| s.checked_mul(value)) {
            Some(v) => v >= u128::from(micro_usd),
            None => value > 0,
        }
    }
}

#[test]
fn property_the_tokens_pay_the_price_at_the_lower_bound_and_one_less_does_not() {
    let mut rng = SplitMix64(0x5EED_9717);
    let (mut exact, mut overflows) = (0, 0);
    for _ in 0..20_000 {
        let scale = if rng.below(4) == 0 { i64::MAX as u64 } else { 10_000_000_000 };
        let p = 1 + rng.below(scale);
        let conf = if rng.below(3) == 0 { 0 } else { rng.below(p) };
        let exponent =
            if rng.below(8) == 0 { -38 + rng.below(77) as i32 } else { -18 + rng.below(37) as i32 };
        let decimals = [0u8, 6, 9, rng.below(19) as u8][rng.below(4) as usize];
        let usd = rng.amount_or_edge(16, 1_000_000_000_000);
        let pr = price(i64::try_from(p).unwrap(), conf, exponent);
        let lower = p - conf;
        let k = i32::from(decimals) - 6 - exponent;
        match tokens_for_micro_usd(usd, &pr, decimals) {
            Ok(t) => {
                exact += 1;
                assert!(pays_at_least(t, lower, k, usd), "{pr:?} {decimals} {usd} → {t}");
                if t > 0 {
                    assert!(!pays_at_least(t - 1, lower, k, usd), "{pr:?} {decimals} {usd} → {t}");
                }
            }
            Err(PythError::Overflow) => {
                overflows += 1;
                assert!(!pays_at_least(u64::MAX, lower, k, usd), "{pr:?} {decimals} {usd}");
            }
            Err(e) => panic!("{e:?} for {pr:?}"),
        }
    }
    println!("{exact} exact, {overflows} overflows");
    assert!(exact > 10_000 && overflows > 100, "{exact} exact, {overflows} overflows");
}

mod against_pyth;
