//! Reward accounting (Q64.64 accumulator, floor rounding: dust stays in the vault, so the sum
//! of what providers can claim never exceeds it).

use crucible_common::math::{mul_q64_floor, q64_share_floor};

/// How a sync of the reward vault changes the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sync {
    /// Tokens new in the reward vault since the last sync.
    pub arrived: u64,
    /// New accumulator value.
    pub acc_reward_per_share: u128,
    /// Part of `arrived` set aside because no stake was active.
    pub unallocated: u64,
}

/// Shares what arrived in the reward vault (`vault_balance - accounted`) over `total_active`.
/// With no active stake everything is set aside: it is never handed to later stakers.
pub fn sync(acc: u128, accounted: u64, vault_balance: u64, total_active: u64) -> Option<Sync> {
    let arrived = vault_balance.checked_sub(accounted)?;
    if arrived == 0 {
        return Some(Sync { arrived, acc_reward_per_share: acc, unallocated: 0 });
    }
    if total_active == 0 {
        return Some(Sync { arrived, acc_reward_per_share: acc, unallocated: arrived });
    }
    let added = q64_share_floor(arrived, total_active)?;
    Some(Sync { arrived, acc_reward_per_share: acc.checked_add(added)?, unallocated: 0 })
}

/// The reward debt of `active` stake at accumulator `acc`: `floor(active * acc / 2^64)`.
pub fn reward_debt(active: u64, acc: u128) -> Option<u128> {
    mul_q64_floor(active, acc)
}

/// Rewards earned since the debt was last set: `floor(active * acc / 2^64) - debt`.
pub fn pending(active: u64, acc: u128, debt: u128) -> Option<u64> {
    let earned = reward_debt(active, acc)?.checked_sub(debt)?;
    u64::try_from(earned).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_staked_sets_rewards_aside() {
        let s = sync(0, 0, 500, 0).unwrap();
        assert_eq!(s, Sync { arrived: 500, acc_reward_per_share: 0, unallocated: 500 });
    }

    #[test]
    fn rewards_split_by_stake_and_round_down() {
        let s = sync(0, 0, 100, 3).unwrap();
        let a = pending(1, s.acc_reward_per_share, 0).unwrap();
        let b = pending(2, s.acc_reward_per_share, 0).unwrap();
        assert_eq!((a, b), (33, 66));
        assert!(a + b <= 100);
    }

    #[test]
    fn vault_below_accounted_is_an_error() {
        assert_eq!(sync(0, 10, 9, 1), None);
    }
}
