use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::RewardSourceAdded, sources, state::MAX_REWARD_SOURCES};

#[derive(Accounts)]
pub struct AddRewardSource<'info> {
    pub pool_admin: PoolAdmin<'info>,

    /// CHECK: an emission vault of the pool's mint whose recipients include the pool's reward
    /// vault, or a work pool of the mint whose destination it is (owner and discriminator
    /// checked in `validate`).
    pub vault: UncheckedAccount<'info>,
}

impl AddRewardSource<'_> {
    pub fn validate(&self) -> Result<()> {
        let pool = &self.pool_admin.pool;
        let source = sources::Source::read(&self.vault).ok_or(StakingError::NotARewardSource)?;
        require_keys_eq!(source.mint(), pool.mint, StakingError::NotARewardSource);
        require!(source.pays(pool), StakingError::NotARewardSource);
        require!(
            !pool.reward_sources().contains(&self.vault.key()),
            StakingError::RewardSourceAlreadyAdded
        );
        require!(
            usize::from(pool.reward_source_count) < MAX_REWARD_SOURCES,
            StakingError::TooManyRewardSources
        );
        Ok(())
    }
}

/// Registers an emission vault that pays the reward vault (or a work pool whose destination it
/// is): from now on stake is activated only once that source has paid every hour due.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<AddRewardSource>) -> Result<()> {
    let pool = &mut ctx.accounts.pool_admin.pool;
    let index = usize::from(pool.reward_source_count);
    pool.reward_sources[index] = ctx.accounts.vault.key();
    pool.reward_source_count += 1;
    pool.invariant()?;
    emit!(RewardSourceAdded {
        pool: pool.key(),
        vault: ctx.accounts.vault.key(),
        sources: pool.reward_sources().to_vec(),
    });
    Ok(())
}
