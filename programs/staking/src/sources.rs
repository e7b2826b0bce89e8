//! Reward sources: the emission vaults that pay the pool's reward vault, and the work-rewards
//! pools whose destination it is (they pay it what an hour's providers do not share).
//!
//! Stake is weighted by time through warm-up: new stake earns only once activated, and
//! activation waits until every registered source has paid every hour due. So the hours that
//! accrued before a stake was activated are in the accumulator before its weight is, and go to
//! the stake that was there, however late the permissionless `emit` and work-pool cranks run.
use anchor_lang::prelude::*;
use crucible_emissions::{
    math::hours_due,
    state::{EmissionVault, WorkPool},
};

use crate::{error::StakingError, state::StakePool};

/// The emission vault in `info`, if it is one (owner the emissions program, discriminator).
pub fn emission_vault(info: &AccountInfo) -> Option<EmissionVault> {
    if *info.owner != crucible_emissions::ID {
        return None;
    }
    let data = info.try_borrow_data().ok()?;
    EmissionVault::try_deserialize(&mut &data[..]).ok()
}

/// Whether `vault` has paid every hour due at `now` (or can never pay again). A paused vault
/// with hours due is behind: those hours are paid on resume, to the stake of their time.
pub fn caught_up(vault: &EmissionVault, now: i64) -> bool {
    vault.ended() || hours_due(vault.start_ts, now) <= vault.emitted_hours
}

/// The work pool in `info`, if it is one (owner the emissions program, discriminator).
pub fn work_pool(info: &AccountInfo) -> Option<WorkPool> {
    if *info.owner != crucible_emissions::ID {
        return None;
    }
    let data = info.try_borrow_data().ok()?;
    WorkPool::try_deserialize(&mut &data[..]).ok()
}

/// Whether `pool` has finalized every hour due at `now` and paid its destination all it owes.
/// Its hours can only be finalized once its vault has paid them, so this also waits for the
/// vault's `emit`. A pool that has not followed its vault yet is behind: its first crank
/// starts it (it may have been paid already).
pub fn work_caught_up(pool: &WorkPool, now: i64) -> bool {
    pool.started
        && pool.owed_to_destination == 0
        && hours_due(pool.vault_start_ts, now) <= pool.cursor_hours
}

/// A registered source, read: an emission vault or a work pool.
/// Boxed: a vault is 1.3 kB, which must not sit in an SBF stack frame.
pub enum Source {
    Vault(Box<EmissionVault>),
    Work(Box<WorkPool>),
}

impl Source {
    /// The source in `info` (`None` when it is neither).
    pub fn read(info: &AccountInfo) -> Option<Source> {
        emission_vault(info)
            .map(|v| Source::Vault(Box::new(v)))
            .or_else(|| work_pool(info).map(|w| Source::Work(Box::new(w))))
    }

    pub fn mint(&self) -> Pubkey {
        match self {
            Source::Vault(v) => v.mint,
            Source::Work(w) => w.mint,
        }
    }

    /// Whether it pays the pool's reward vault (or will: a vault's pending proposal).
    pub fn pays(&self, pool: &StakePool) -> bool {
        match self {
            Source::Vault(v) => pays(v, pool),
            Source::Work(w) => w.destination == pool.reward_vault,
        }
    }

    pub fn caught_up(&self, now: i64) -> bool {
        match self {
            Source::Vault(v) => caught_up(v, now),
            Source::Work(w) => work_caught_up(w, now),
        }
    }
}

/// Whether `vault` lists the pool's reward vault among its recipients, or among those of its
/// pending recipients proposal (which anyone may execute once its delay has passed: the pool
/// must be able to register the vault before it starts paying).
pub fn pays(vault: &EmissionVault, pool: &StakePool) -> bool {
    vault
        .recipients()
        .iter()
        .chain(vault.proposed_recipients())
        .any(|r| r.token_account == pool.reward_vault)
}

/// Checks that `accounts` are exactly the pool's reward sources, in order, and that each has
/// paid every hour due at `now`. At most `MAX_REWARD_SOURCES` accounts are read.
pub fn require_caught_up(pool: &StakePool, accounts: &[AccountInfo], now: i64) -> Result<()> {
    let sources = pool.reward_sources();
    require!(accounts.len() == sources.len(), StakingError::RewardSourceMismatch);
    // Bounded: a pool registers at most MAX_REWARD_SOURCES (8), and the lengths are equal.
    for (info, source) in accounts.iter().zip(sources) {
        require_keys_eq!(info.key(), *source, StakingError::RewardSourceMismatch);
        // A source that no longer exists (closed once empty) has nothing left to pay.
        if info.data_is_empty() {
            continue;
        }
        let source = Source::read(info).ok_or(StakingError::RewardSourceMismatch)?;
        require!(source.caught_up(now), StakingError::RewardSourceBehind);
    }
    Ok(())
}
