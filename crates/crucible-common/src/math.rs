//! Checked arithmetic: the one vocabulary of the workspace.
//!
//! - [`BPS_DENOMINATOR`]: basis points, 10 000 to the whole, written once.
//! - The helpers below (`mul_div_floor`, `bps_floor`, Q64.64) return `None` on overflow or
//!   division by zero.
//! - [`safe_math!`](crate::safe_math): each program instantiates, with its own `MathOverflow`
//!   error, a `SafeMath` trait (`a.safe_add(b)?`, `safe_sub`, `safe_mul`, `safe_div`) and an
//!   `OrOverflow` trait for the `Option`s above (`bps_floor(a, bps).or_overflow()?`). Both are
//!   `#[track_caller]`: a failure logs `MathOverflow: <op> at <file>:<line>` before it returns
//!   the program's error, so a log says where an overflow happened (after Drift's `SafeMath`).

/// Basis points in the whole: `x bps` of `a` is `a × x / 10 000`.
pub const BPS_DENOMINATOR: u16 = 10_000;

/// Logs where a checked operation failed; the programs' `SafeMath` calls it before returning
/// their `MathOverflow`.
#[track_caller]
#[cold]
pub fn log_math_error(op: &str) {
    let at = core::panic::Location::caller();
    anchor_lang::prelude::msg!("MathOverflow: {} at {}:{}", op, at.file(), at.line());
}

/// Instantiates the workspace's checked-math vocabulary in a program, with the program's own
/// overflow error: `crucible_common::safe_math!(crate::error::MarketError::MathOverflow);`
/// defines `SafeMath` (for `u8`, `u16`, `u32`, `u64`, `u128`, `i64`) and `OrOverflow` (for
/// `Option`).
#[macro_export]
macro_rules! safe_math {
    ($error:expr) => {
        /// Checked arithmetic that fails with this program's `MathOverflow`, logging where.
        pub trait SafeMath: Sized {
            fn safe_add(self, rhs: Self) -> ::anchor_lang::Result<Self>;
            fn safe_sub(self, rhs: Self) -> ::anchor_lang::Result<Self>;
            fn safe_mul(self, rhs: Self) -> ::anchor_lang::Result<Self>;
            fn safe_div(self, rhs: Self) -> ::anchor_lang::Result<Self>;
        }

        /// An `Option` from a checked computation, as this program's `MathOverflow`.
        pub trait OrOverflow<T> {
            fn or_overflow(self) -> ::anchor_lang::Result<T>;
        }

        impl<T> OrOverflow<T> for Option<T> {
            #[track_caller]
            #[inline]
            fn or_overflow(self) -> ::anchor_lang::Result<T> {
                match self {
                    Some(v) => Ok(v),
                    None => {
                        $crate::math::log_math_error("checked computation");
                        Err($error.into())
                    }
                }
            }
        }

        $crate::safe_math!(@impl $error; u8, u16, u32, u64, u128, i64);
    };
    (@impl $error:expr; $($t:ty),*) => {
        $(impl SafeMath for $t {
            #[track_caller]
            #[inline]
            fn safe_add(self, rhs: Self) -> ::anchor_lang::Result<Self> {
                self.checked_add(rhs).ok_or_else(|| {
                    $crate::math::log_math_error("add");
                    $error.into()
                })
            }
            #[track_caller]
            #[inline]
            fn safe_sub(self, rhs: Self) -> ::anchor_lang::Result<Self> {
                self.checked_sub(rhs).ok_or_else(|| {
                    $crate::math::log_math_error("sub");
                    $error.into()
                })
            }
            #[track_caller]
            #[inline]
            fn safe_mul(self, rhs: Self) -> ::anchor_lang::Result<Self> {
                self.checked_mul(rhs).ok_or_else(|| {
                    $crate::math::log_math_error("mul");
                    $error.into()
                })
            }
            #[track_caller]
            #[inline]
            fn safe_div(self, rhs: Self) -> ::anchor_lang::Result<Self> {
                self.checked_div(rhs).ok_or_else(|| {
                    $crate::math::log_math_error("div");
                    $error.into()
                })
            }
        })*
    };
}

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
    mul_div_floor(a, u64::from(bps), u64::from(BPS_DENOMINATOR))
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

    mod vocabulary {
        crate::safe_math!(anchor_lang::error::ErrorCode::InvalidNumericConversion);

        #[test]
        fn safe_math_fails_with_the_given_error() {
            let overflow: anchor_lang::error::Error =
                anchor_lang::error::ErrorCode::InvalidNumericConversion.into();
            assert_eq!(2u64.safe_add(3).unwrap(), 5);
            assert_eq!(u64::MAX.safe_add(1).unwrap_err(), overflow);
            assert_eq!(0u64.safe_sub(1).unwrap_err(), overflow);
            assert_eq!(u128::MAX.safe_mul(2).unwrap_err(), overflow);
            assert_eq!(7u16.safe_div(0).unwrap_err(), overflow);
            assert_eq!(i64::MIN.safe_sub(1).unwrap_err(), overflow);
            assert_eq!(super::bps_floor(10, 5_000).or_overflow().unwrap(), 5);
            assert_eq!(super::mul_div_floor(1, 1, 0).or_overflow().unwrap_err(), overflow);
        }
    }

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
