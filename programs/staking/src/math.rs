//! Reward accounting (Q64.64 accumulator, floor rounding: dust stays in the vault, so the sum
//! of what providers can claim never exceeds it).

use crucible_common::math::{mul_q64_ceil, mul_q64_floor};

// `SafeMath` (`a.safe_add(b)?` ...) and `OrOverflow` (`option.or_overflow()?`), failing with
// `StakingError::MathOverflow` and logging where.
crucible_common::safe_math!(crate::error::StakingError::MathOverflow);

/// How a sync of the reward vault changes the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sync {
    /// Tokens new in the reward vault since the last sync.
    pub arrived: u64,
    /// New accumulator value.
    pub acc_reward_per_share: u128,
    /// Remainder of the accumulator's division, carried to the next sync at the same
    /// `total_active` (so syncing often or rarely adds exactly the same).
    pub remainder: u64,
    /// Part of `arrived` set aside because no stake was active.
    pub unallocated: u64,
}

/// The accumulator state a sync starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accumulator {
    pub acc_reward_per_share: u128,
    pub remainder: u64,
    /// The `total_active` the remainder was computed for; a remainder for another total is
    /// dropped (less than one token, left in the vault).
    pub remainder_base: u64,
}

/// Shares what arrived in the reward vault (`vault_balance - accounted`) over `total_active`:
/// `acc += (arrived · 2^64 + remainder) / total_active`, the new remainder carried. With no
/// active stake everything is set aside: it is never handed to later stakers.
pub fn sync(a: Accumulator, accounted: u64, vault_balance: u64, total_active: u64) -> Option<Sync> {
    let arrived = vault_balance.checked_sub(accounted)?;
    let carried = if a.remainder_base == total_active { a.remainder } else { 0 };
    let unchanged = Sync {
        arrived,
        acc_reward_per_share: a.acc_reward_per_share,
        remainder: carried,
        unallocated: 0,
    };
    if arrived == 0 {
        return Some(unchanged);
    }
    if total_active == 0 {
        return Some(Sync { unallocated: arrived, remainder: 0, ..unchanged });
    }
    // arrived < 2^64 and carried < total_active < 2^64, so this stays below 2^128.
    let numerator = (u128::from(arrived) << 64) + u128::from(carried);
    let total = u128::from(total_active);
    Some(Sync {
        arrived,
        acc_reward_per_share: a.acc_reward_per_share.checked_add(numerator / total)?,
        remainder: u64::try_from(numerator % total).ok()?,
        unallocated: 0,
    })
}

/// What `active` stake has earned in total at accumulator `acc`: `floor(active · acc / 2^64)`.
pub fn earned(active: u64, acc: u128) -> Option<u128> {
    mul_q64_floor(active, acc)
}

/// The reward debt set when `active` changes: `ceil(active · acc / 2^64)`.
///
/// Rounding the debt up and the earnings down means a provider is never paid more than its
/// exact share of a period in which its stake stayed the same, so Σ claimable can never exceed
/// what arrived (the sum of exact shares). Between two changes of `active`, settling leaves the
/// total unchanged however often it happens (see `pending`).
pub fn reward_debt(active: u64, acc: u128) -> Option<u128> {
    mul_q64_ceil(active, acc)
}

/// Rewards earned and not yet settled: `max(0, earned(active, acc) - debt)`.
pub fn pending(active: u64, acc: u128, debt: u128) -> Option<u64> {
    let earned = earned(active, acc)?;
    u64::try_from(earned.saturating_sub(debt)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZERO: Accumulator =
        Accumulator { acc_reward_per_share: 0, remainder: 0, remainder_base: 0 };

    fn next(s: Sync, total: u64) -> Accumulator {
        Accumulator {
            acc_reward_per_share: s.acc_reward_per_share,
            remainder: s.remainder,
            remainder_base: total,
        }
    }

    #[test]
    fn nothing_staked_sets_rewards_aside() {
        let s = sync(ZERO, 0, 500, 0).unwrap();
        assert_eq!((s.arrived, s.acc_reward_per_share, s.unallocated), (500, 0, 500));
    }

    #[test]
    fn rewards_split_by_stake_and_round_down() {
        let s = sync(ZERO, 0, 100, 3).unwrap();
        let a = pending(1, s.acc_reward_per_share, 0).unwrap();
        let b = pending(2, s.acc_reward_per_share, 0).unwrap();
        assert_eq!((a, b), (33, 66));
        // A debt set at this accumulator rounds up: nothing more is owed until more arrives.
        assert_eq!(
            pending(2, s.acc_reward_per_share, reward_debt(2, s.acc_reward_per_share).unwrap()),
            Some(0)
        );
        assert!(a + b <= 100);
    }

    #[test]
    fn syncing_often_or_once_adds_the_same() {
        // 7 tokens arriving one at a time over 3 units of stake, against all at once.
        let mut often = ZERO;
        for balance in 1..=7u64 {
            let s = sync(often, balance - 1, balance, 3).unwrap();
            often = next(s, 3);
        }
        let once = sync(ZERO, 0, 7, 3).unwrap();
        assert_eq!(often.acc_reward_per_share, once.acc_reward_per_share);
        assert_eq!(often.remainder, once.remainder);
        // Floor: 3 units hold floor(3 * floor(7 * 2^64 / 3) / 2^64) = 6; one token of dust
        // stays in the vault.
        assert_eq!(pending(3, once.acc_reward_per_share, 0), Some(6));
    }

    #[test]
    fn a_remainder_for_another_total_is_dropped() {
        let s = sync(ZERO, 0, 1, 3).unwrap();
        let a = next(s, 3);
        assert_eq!(sync(a, 1, 1, 4).unwrap().remainder, 0);
        assert_eq!(sync(a, 1, 1, 3).unwrap().remainder, a.remainder);
    }

    #[test]
    fn vault_below_accounted_is_an_error() {
        assert_eq!(sync(ZERO, 10, 9, 1), None);
    }

    #[test]
    fn extreme_amounts_do_not_overflow_the_sync() {
        let s = sync(ZERO, 0, u64::MAX, 1).unwrap();
        assert_eq!(s.acc_reward_per_share, u128::from(u64::MAX) << 64);
        assert_eq!(pending(1, s.acc_reward_per_share, 0), Some(u64::MAX));
        // A second such arrival overflows the accumulator: reported, not wrapped.
        let a = next(s, 1);
        assert_eq!(sync(a, 0, u64::MAX, 1), None);
        assert_eq!(pending(2, u128::MAX, 0), None);
    }
}
