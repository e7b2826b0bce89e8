//! The clock: time travel to an absolute timestamp, slot or epoch (what surfpool's
//! `surfnet_timeTravel` does), and the relative warp the in-process tests use.
//!
//! The clock moves only when told: blocks advance the slot, never `Clock::unix_timestamp`.
//! A travel moves the slot with the time at 400 ms a slot (surfpool's default slot time), so
//! slot and time stay consistent, and it never goes backwards: a slot that went back would
//! reopen expired blockhashes and break the ordering the history relies on.

use solana_clock::Clock;
use solana_epoch_schedule::EpochSchedule;

use super::{Localnet, MS_PER_SLOT};

/// Longest jump a time travel (or `crucible_warp`) makes: 100 years. It keeps every slot and
/// timestamp far from overflowing, in the chain and in the programs' time arithmetic.
pub const MAX_TRAVEL_SECONDS: u64 = 100 * 31_557_600;
const MAX_TRAVEL_MS: u64 = MAX_TRAVEL_SECONDS * 1000;
const MAX_TRAVEL_SLOTS: u64 = MAX_TRAVEL_MS / MS_PER_SLOT;
/// The fewest slots an epoch has (the first warm-up epoch).
const MIN_SLOTS_PER_EPOCH: u64 = solana_epoch_schedule::MINIMUM_SLOTS_PER_EPOCH;

/// Where a time travel goes: surfpool's `TimeTravelConfig`, one of three absolute targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeTravel {
    /// The first slot of this epoch; the current epoch leaves the clock where it is.
    AbsoluteEpoch(u64),
    /// This slot; the time moves by 400 ms a slot.
    AbsoluteSlot(u64),
    /// This Unix time, in milliseconds; the slot moves by one per whole 400 ms.
    AbsoluteTimestamp(u64),
}

/// Why a time travel was refused (nothing moved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeTravelError {
    /// The target timestamp (ms) is before the current one (ms).
    PastTimestamp {
        target: u64,
        current: u64,
    },
    PastSlot {
        target: u64,
        current: u64,
    },
    PastEpoch {
        target: u64,
        current: u64,
    },
    /// The target is more than [`MAX_TRAVEL_SECONDS`] ahead.
    TooFar,
}

impl std::fmt::Display for TimeTravelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The first three are surfpool's messages, word for word.
        match self {
            Self::PastTimestamp { target, current } => {
                write!(f, "Cannot travel to past timestamp: target={target}, current={current}")
            }
            Self::PastSlot { target, current } => {
                write!(f, "Cannot travel to past slot: target={target}, current={current}")
            }
            Self::PastEpoch { target, current } => {
                write!(f, "Cannot travel to past epoch: target={target}, current={current}")
            }
            Self::TooFar => {
                write!(f, "Cannot travel more than {} years ahead", MAX_TRAVEL_SECONDS / 31_557_600)
            }
        }
    }
}

impl std::error::Error for TimeTravelError {}

impl Localnet {
    /// The clock's Unix time in milliseconds (the milliseconds a time travel landed on are kept
    /// beside the `Clock` sysvar, which holds whole seconds).
    pub fn now_millis(&self) -> u64 {
        (self.clock().unix_timestamp.max(0) as u64).saturating_mul(1000) + self.clock_millis
    }

    /// Moves the clock to `to`: slot, time and epoch together. A target before the current
    /// clock, or more than 100 years ahead, is refused and nothing moves.
    pub fn time_travel(&mut self, to: TimeTravel) -> Result<Clock, TimeTravelError> {
        let clock = self.clock();
        let now = self.now_millis();
        let (slot, millis) = match to {
            TimeTravel::AbsoluteTimestamp(target) => {
                if target < now {
                    return Err(TimeTravelError::PastTimestamp { target, current: now });
                }
                let jump = target - now;
                if jump > MAX_TRAVEL_MS {
                    return Err(TimeTravelError::TooFar);
                }
                (clock.slot + jump / MS_PER_SLOT, target)
            }
            TimeTravel::AbsoluteSlot(target) => {
                if target < clock.slot {
                    return Err(TimeTravelError::PastSlot { target, current: clock.slot });
                }
                let slots = target - clock.slot;
                if slots > MAX_TRAVEL_SLOTS {
                    return Err(TimeTravelError::TooFar);
                }
                (target, now + slots * MS_PER_SLOT)
            }
            TimeTravel::AbsoluteEpoch(target) => {
                if target < clock.epoch {
                    return Err(TimeTravelError::PastEpoch { target, current: clock.epoch });
                }
                if target == clock.epoch {
                    (clock.slot, now)
                } else {
                    // Checked on the epoch count first, so that the first slot cannot saturate.
                    if target - clock.epoch > MAX_TRAVEL_SLOTS / MIN_SLOTS_PER_EPOCH + 1 {
                        return Err(TimeTravelError::TooFar);
                    }
                    let schedule: EpochSchedule = self.svm.get_sysvar();
                    let first = schedule.get_first_slot_in_epoch(target);
                    let slots = first - clock.slot;
                    if slots > MAX_TRAVEL_SLOTS {
                        return Err(TimeTravelError::TooFar);
                    }
                    (first, now + slots * MS_PER_SLOT)
                }
            }
        };
        Ok(self.set_clock(slot, millis))
    }

    /// Moves the clock forward by `seconds`; the slot advances with it (400 ms a slot, at least
    /// one slot). The in-process tests' way of letting time pass.
    pub fn warp(&mut self, seconds: u64) -> Clock {
        let clock = self.clock();
        let slots = seconds.saturating_mul(1000) / MS_PER_SLOT;
        let slot = clock.slot.saturating_add(slots.max(1));
        let millis = self.now_millis().saturating_add(seconds.saturating_mul(1000));
        self.set_clock(slot, millis)
    }

    /// Sets the clock to `slot` and `millis` (forward of the current clock): the epoch follows
    /// the slot, and a new epoch starts at the new time.
    fn set_clock(&mut self, slot: u64, millis: u64) -> Clock {
        let mut clock = self.clock();
        let parent = clock.slot;
        let parent_time = clock.unix_timestamp;
        let moved = slot != parent;
        clock.slot = slot;
        clock.unix_timestamp = (millis / 1000).min(i64::MAX as u64) as i64;
        self.clock_millis = millis % 1000;
        self.roll_epoch(&mut clock);
        self.svm.set_sysvar(&clock);
        self.ledger_changed();
        if slot > parent + 1 {
            // The slots jumped over hold no block (getBlockProduction, getBlocks).
            self.skipped_slots.push((parent + 1, slot - 1));
        }
        if moved {
            self.block_height += 1;
            // A bank at the new slot has the old one as its parent (SlotHashes, see chain.rs).
            self.record_slot(parent);
            // The parent's block closes with a blockhash of its own, as a new bank starts.
            self.issue_blockhash();
            self.close_block(parent_time, slot);
        }
        clock
    }
}
