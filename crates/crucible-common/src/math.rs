//! Checked arithmetic for token amounts. Every function returns `None` on overflow or
//! division by zero; callers turn that into their program's `MathOverflow` error.

/// `floor(a * b / c)` with a 128-bit intermediate.
pub fn mul_div_floor(a: u64, b: u64, c: u64) -> Option<u64> {
    if c == 0 {
        return None;
    }
    let r = u128::from(a).checked_mul(u128::from(b))? / u128::from(c);
    u64::try_from(r).ok()
}

/// `floor(a * bps / 10 000)`; `bps` above 10 000 is allowed (the caller bounds it).
pub fn bps_floor(a: u64, bps: u16) -> Option<u64> {
    mul_div_floor(a, u64::from(bps), 10_000)
}

/// `floor(a * q / 2^64)` for a Q64.64 factor `q`, exact, without a 256-bit type:
/// with `q = hi * 2^64 + lo`, `a * q / 2^64 = a * hi + floor(a * lo / 2^64)`.
pub fn mul_q64_floor(a: u64, q: u128) -> Option<u128> {
    let hi = q >> 64;
    let lo = q & u128::from(u64::MAX);
    let whole = u128::from(a).checked_mul(hi)?;
    let frac = (u128::from(a) * lo) >> 64;
    whole.checked_add(frac)
}

/// `ceil(a * q / 2^64)` for a Q64.64 factor `q`, exact (see [`mul_q64_floor`]).
pub fn mul_q64_ceil(a: u64, q: u128) -> Option<u128> {
    let hi = q >> 64;
    let lo = q & u128::from(u64::MAX);
    let whole = u128::from(a).checked_mul(hi)?;
    let low = u128::from(a) * lo;
    let frac = (low >> 64) + u128::from(low & u128::from(u64::MAX) != 0);
    whole.checked_add(frac)
}

/// `floor(amount * 2^64 / total)`: a token amount shared over `total` units, in Q64.64.
pub fn q64_share_floor(amount: u64, total: u64) -> Option<u128> {
    if total == 0 {
        return None;
    }
    Some((u128::from(amount) << 64) / u128::from(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_q64_floor_is_exact() {
        let one = 1u128 << 64;
        assert_eq!(mul_q64_floor(7, one), Some(7));
        assert_eq!(mul_q64_floor(7, one / 2), Some(3));
        assert_eq!(mul_q64_floor(u64::MAX, one), Some(u128::from(u64::MAX)));
        // The largest product still fits: u64::MAX · u128::MAX / 2^64 < 2^128.
        assert_eq!(mul_q64_floor(u64::MAX, u128::MAX), Some(u128::MAX - (1 << 64)));
        // Compare with a wide reference on a spread of values.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..1000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let a = x >> (x % 40);
            let q = (u128::from(x.rotate_left(17)) << 20) | u128::from(x);
            let expect = {
                // (a * q) >> 64 via u128 pieces of 32 bits.
                let (qh, ql) = (q >> 64, q & u128::from(u64::MAX));
                u128::from(a) * qh + ((u128::from(a) * ql) >> 64)
            };
            assert_eq!(mul_q64_floor(a, q), Some(expect));
        }
    }

    #[test]
    fn mul_q64_ceil_rounds_up_only_a_fraction() {
        let one = 1u128 << 64;
        assert_eq!(mul_q64_ceil(7, one), Some(7));
        assert_eq!(mul_q64_ceil(7, one / 2), Some(4));
        assert_eq!(mul_q64_ceil(3, 1), Some(1));
        assert_eq!(mul_q64_ceil(0, u128::MAX), Some(0));
    }

    #[test]
    fn shares_round_down() {
        assert_eq!(q64_share_floor(1, 3).and_then(|q| mul_q64_floor(3, q)), Some(0));
        assert_eq!(q64_share_floor(10, 3).and_then(|q| mul_q64_floor(3, q)), Some(9));
        assert_eq!(q64_share_floor(1, 0), None);
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, 1), None);
        assert_eq!(bps_floor(999, 2_000), Some(199));
    }
}
