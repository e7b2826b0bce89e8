//! Reward sources: the emission vaults that pay the pool's reward vault.
//!
//! Stake is weighted by time through warm-up: new stake earns only once activated, and
//! activation waits until every registered source has paid every hour due. So the hours that
//! accrued before a stake was activated are in the accumulator before its weight is, and go to
//! the stake that was there, however late the permissionless `emit` crank runs.
use anchor_lang::prelude::*;
use crucible_emissions::{math::hours_due, state::EmissionVault};

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
        let vault = emission_vault(info).ok_or(StakingError::RewardSourceMismatch)?;
        require!(caught_up(&vault, now), StakingError::RewardSourceBehind);
    }
    Ok(())
}
