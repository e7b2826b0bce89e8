use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::StakingError,
    events::RewardSourceAdded,
    sources,
    state::{StakePool, MAX_REWARD_SOURCES},
};

#[derive(Accounts)]
pub struct AddRewardSource<'info> {
    pub admin: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = admin @ StakingError::NotAdmin,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    /// CHECK: an emission vault (owner and discriminator checked in `validate`) of the pool's
    /// mint whose recipients include the pool's reward vault.
    pub vault: UncheckedAccount<'info>,
}

impl AddRewardSource<'_> {
    pub fn validate(&self) -> Result<()> {
        let pool = &self.pool;
        let vault = sources::emission_vault(&self.vault).ok_or(StakingError::NotARewardSource)?;
        require_keys_eq!(vault.mint, pool.mint, StakingError::NotARewardSource);
        require!(sources::pays(&vault, pool), StakingError::NotARewardSource);
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

/// Registers an emission vault that pays the reward vault: from now on stake is activated only
/// once that vault has paid every hour due.
pub fn handler(ctx: Context<AddRewardSource>) -> Result<()> {
    ctx.accounts.validate()?;
    let pool = &mut ctx.accounts.pool;
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
