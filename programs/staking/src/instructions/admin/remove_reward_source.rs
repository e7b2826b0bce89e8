use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::RewardSourceRemoved, sources, state::MAX_REWARD_SOURCES};

#[derive(Accounts)]
pub struct RemoveRewardSource<'info> {
    pub pool_admin: PoolAdmin<'info>,

    /// CHECK: one of the pool's reward sources (checked against the list in `validate`); read
    /// as an emission vault or a work pool unless it no longer exists.
    pub vault: UncheckedAccount<'info>,
}

impl RemoveRewardSource<'_> {
    /// The admin must not be able to unregister a vault that still owes the pool hours (or
    /// will pay it more, a pending proposal included), then activate stake and let those hours
    /// land on it.
    pub fn validate(&self) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        require!(
            self.pool_admin.pool.reward_sources().contains(&self.vault.key()),
            StakingError::UnknownRewardSource
        );
        if self.vault.data_is_empty() {
            return Ok(());
        }
        let vault = match sources::Source::read(&self.vault) {
            Some(sources::Source::Vault(vault)) => *vault,
            // A work pool's destination never changes: it pays the pool for as long as its
            // vault pays it, so it stays registered.
            Some(sources::Source::Work(_)) => return err!(StakingError::RewardSourceStillPaying),
            None => return err!(StakingError::RewardSourceMismatch),
        };
        // Ended: nothing more is ever emitted (a revoke pays what is due first). No longer
        // paying the pool: the recipients change that dropped it paid the pool every hour due
        // first, paused or not, so it owes the pool nothing, even while paused.
        let ended = vault.ended() && sources::caught_up(&vault, now);
        require!(
            ended || !sources::pays(&vault, &self.pool_admin.pool),
            StakingError::RewardSourceStillPaying
        );
        Ok(())
    }
}

/// Unregisters a reward source that has ended or stopped paying the pool, every hour due paid.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<RemoveRewardSource>) -> Result<()> {
    let key = ctx.accounts.vault.key();
    let pool = &mut ctx.accounts.pool_admin.pool;
    let mut kept = [Pubkey::default(); MAX_REWARD_SOURCES];
    let mut count = 0usize;
    // Bounded: at most MAX_REWARD_SOURCES (8).
    for source in pool.reward_sources().iter().filter(|s| **s != key) {
        kept[count] = *source;
        count += 1;
    }
    pool.reward_sources = kept;
    pool.reward_source_count = count as u8; // count < MAX_REWARD_SOURCES
    pool.invariant()?;
    emit!(RewardSourceRemoved {
        pool: pool.key(),
        vault: key,
        sources: pool.reward_sources().to_vec(),
    });
    Ok(())
}
