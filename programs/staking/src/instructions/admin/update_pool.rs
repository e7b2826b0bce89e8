use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::PoolUpdated, state::StakePool};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UpdatePoolArgs {
    /// New minimum stake (> 0); `None` keeps the current one. Existing stakes below a raised
    /// minimum stay as they are; the new floor applies to their next stake or unstake.
    pub min_stake: Option<u64>,
    /// New unbonding delay (≤ one year); `None` keeps it. Requests already unbonding keep their
    /// ready time.
    pub unbonding_secs: Option<u64>,
}

#[derive(Accounts)]
pub struct UpdatePool<'info> {
    pub pool_admin: PoolAdmin<'info>,
}

impl UpdatePool<'_> {
    pub fn validate(&self, args: &UpdatePoolArgs) -> Result<()> {
        require!(
            args.min_stake.is_some() || args.unbonding_secs.is_some(),
            StakingError::NothingToUpdate
        );
        if let Some(min_stake) = args.min_stake {
            require!(min_stake > 0, StakingError::InvalidMinStake);
        }
        if let Some(secs) = args.unbonding_secs {
            require!(secs >= StakePool::MIN_UNBONDING_SECS, StakingError::UnbondingTooShort);
            require!(secs <= StakePool::MAX_UNBONDING_SECS, StakingError::InvalidUnbondingDelay);
        }
        Ok(())
    }
}

#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<UpdatePool>, args: UpdatePoolArgs) -> Result<()> {
    let pool = &mut ctx.accounts.pool_admin.pool;
    let (old_min_stake, old_unbonding_secs) = (pool.min_stake, pool.unbonding_secs);
    pool.min_stake = args.min_stake.unwrap_or(old_min_stake);
    pool.unbonding_secs = args.unbonding_secs.unwrap_or(old_unbonding_secs);
    pool.invariant()?;
    emit!(PoolUpdated {
        pool: pool.key(),
        old_min_stake,
        new_min_stake: pool.min_stake,
        old_unbonding_secs,
        new_unbonding_secs: pool.unbonding_secs,
    });
    Ok(())
}
