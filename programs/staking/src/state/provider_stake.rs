use anchor_lang::prelude::*;

use crate::{
    error::StakingError,
    math::{self, OrOverflow, SafeMath},
    state::StakePool,
};

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
    /// Part of `active` still warming up: it backs jobs and can be slashed or unstaked, but
    /// earns nothing until `activate_stake` (at least `StakePool::WARMUP_SECS` after
    /// `warming_since`, once every reward source has paid every hour due).
    pub warming: u64,
    /// When stake last started warming (a new deposit or a cancelled unstake restarts it).
    pub warming_since: i64,
}

impl ProviderStake {
    pub const SEED: &'static [u8] = b"stake";

    /// Moves the rewards earned since the last settlement into `rewards_pending`.
    /// Call after `StakePool::sync_rewards` and before changing `active`.
    ///
    /// The debt only ever moves up to what has been settled, so settling often or rarely adds
    /// up to the same amount (see `math::reward_debt`).
    pub fn settle(&mut self, pool: &StakePool) -> Result<()> {
        let earned = math::earned(self.weight(), pool.acc_reward_per_share).or_overflow()?;
        if earned > self.reward_debt {
            let amount = u64::try_from(earned - self.reward_debt).ok().or_overflow()?;
            self.rewards_pending = self.rewards_pending.safe_add(amount)?;
            self.reward_debt = earned;
        }
        Ok(())
    }

    /// What every change of stake does first: adds what arrived in the reward vault (its
    /// balance `reward_vault_balance`) to the pool's accumulator, then settles this stake's
    /// rewards. Returns the weight before the change, for `rebase`.
    pub fn sync_and_settle(
        &mut self,
        pool: &mut Account<StakePool>,
        reward_vault_balance: u64,
    ) -> Result<u64> {
        let key = pool.key();
        pool.sync_rewards(key, reward_vault_balance)?;
        self.settle(pool)?;
        Ok(self.weight())
    }

    /// Re-bases the reward debt after the weight changed from `weight_before` (rewards must
    /// be settled first). Nothing to do when the weight is unchanged: the settled debt stands,
    /// so changes that do not touch the weight (a deposit warming up) cost no rounding.
    pub fn rebase(&mut self, pool: &StakePool, weight_before: u64) -> Result<()> {
        if self.weight() == weight_before {
            return Ok(());
        }
        self.reward_debt =
            math::reward_debt(self.weight(), pool.acc_reward_per_share).or_overflow()?;
        Ok(())
    }

    /// The stake that earns rewards: active stake that has finished warming up.
    pub fn weight(&self) -> u64 {
        self.active.saturating_sub(self.warming)
    }

    /// Adds `amount` to active stake, warming up from `now` (with whatever was still warming).
    pub fn add_warming(&mut self, pool: &mut StakePool, amount: u64, now: i64) -> Result<()> {
        self.active = self.active.safe_add(amount)?;
        self.warming = self.warming.safe_add(amount)?;
        self.warming_since = now;
        pool.total_active = pool.total_active.safe_add(amount)?;
        pool.total_warming = pool.total_warming.safe_add(amount)?;
        Ok(())
    }

    /// Takes `amount` (≤ `active`) out of active stake, the part still warming first (it earns
    /// nothing, so the provider keeps as much earning stake as it can).
    pub fn remove_active(&mut self, pool: &mut StakePool, amount: u64) -> Result<()> {
        let from_warming = amount.min(self.warming);
        self.active = self.active.safe_sub(amount)?;
        self.warming -= from_warming;
        pool.total_active = pool.total_active.safe_sub(amount)?;
        pool.total_warming = pool.total_warming.safe_sub(from_warming)?;
        Ok(())
    }

    /// When the stake warming now may be activated.
    pub fn warm_at(&self) -> Result<i64> {
        self.warming_since.safe_add(StakePool::WARMUP_SECS)
    }

    /// What a deposit's event reports (`Staked`, `UnstakeCancelled`): the provider's active
    /// stake, the pool's, the stake warming and when it can be activated.
    pub fn warming_figures(&self, pool: &StakePool) -> Result<(u64, u64, u64, i64)> {
        Ok((self.active, pool.total_active, self.warming, self.warm_at()?))
    }

    /// Makes all warming stake earn from now on (rewards must be synced and settled first).
    pub fn activate(&mut self, pool: &mut StakePool) -> Result<u64> {
        let amount = self.warming;
        pool.total_warming = pool.total_warming.safe_sub(amount)?;
        self.warming = 0;
        self.warming_since = 0;
        Ok(amount)
    }

    /// The stake that can be unstaked or locked now.
    pub fn free(&self) -> u64 {
        self.active.saturating_sub(self.locked)
    }

    pub fn invariant(&self, pool: &Account<StakePool>) -> Result<()> {
        require_keys_eq!(self.pool, pool.key(), StakingError::InvariantViolated);
        require!(self.locked <= self.active, StakingError::InvariantViolated);
        require!(self.warming <= self.active, StakingError::InvariantViolated);
        Ok(())
    }
}
