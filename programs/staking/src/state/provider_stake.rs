use anchor_lang::prelude::*;

use crate::{error::StakingError, math, state::StakePool};

/// A provider's stake in a pool. PDA `["stake", pool, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct ProviderStake {
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// Stake that earns rewards and backs jobs (`locked` included).
    pub active: u64,
    /// Part of `active` held as collateral for running jobs.
    pub locked: u64,
    /// Stake on its way out: slashable, earns nothing, withdrawable at `unbonding_ready_at`.
    pub unbonding: u64,
    pub unbonding_ready_at: i64,
    /// Rewards already accounted for: `ceil(active · acc / 2^64)` when `active` last changed,
    /// raised to `floor(active · acc / 2^64)` by each settlement since.
    pub reward_debt: u128,
    /// Settled rewards not yet claimed.
    pub rewards_pending: u64,
    pub rewards_claimed: u64,
    pub slashed_total: u64,
    pub jobs_completed: u64,
    pub jobs_failed: u64,
    pub bump: u8,
}

impl ProviderStake {
    pub const SEED: &'static [u8] = b"stake";

    /// Moves the rewards earned since the last settlement into `rewards_pending`.
    /// Call after `StakePool::sync_rewards` and before changing `active`.
    ///
    /// The debt only ever moves up to what has been settled, so settling often or rarely adds
    /// up to the same amount (see `math::reward_debt`).
    pub fn settle(&mut self, pool: &StakePool) -> Result<()> {
        let earned = math::earned(self.active, pool.acc_reward_per_share)
            .ok_or(StakingError::MathOverflow)?;
        if earned > self.reward_debt {
            let amount =
                u64::try_from(earned - self.reward_debt).map_err(|_| StakingError::MathOverflow)?;
            self.rewards_pending =
                self.rewards_pending.checked_add(amount).ok_or(StakingError::MathOverflow)?;
            self.reward_debt = earned;
        }
        Ok(())
    }

    /// Re-bases the reward debt after `active` changed (rewards must be settled first).
    pub fn rebase(&mut self, pool: &StakePool) -> Result<()> {
        self.reward_debt = math::reward_debt(self.active, pool.acc_reward_per_share)
            .ok_or(StakingError::MathOverflow)?;
        Ok(())
    }

    /// The stake that can be unstaked or locked now.
    pub fn free(&self) -> u64 {
        self.active.saturating_sub(self.locked)
    }

    pub fn invariant(&self, pool: &Account<StakePool>) -> Result<()> {
        require_keys_eq!(self.pool, pool.key(), StakingError::InvariantViolated);
        require!(self.locked <= self.active, StakingError::InvariantViolated);
        Ok(())
    }
}

/// How a job that held collateral ended, as counted on the provider.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum JobOutcome {
    /// Completed and settled: counts in `jobs_completed`.
    Completed,
    /// Failed (expired, lost a dispute): counts in `jobs_failed`.
    Failed,
    /// Released without a verdict (the provider quit before working): not counted.
    Released,
}
