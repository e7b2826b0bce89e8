use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use crucible_common::emit;

use crate::instructions::common::*; // the shared accounts (and Anchor's modules for them)
use crate::{error::StakingError, events::StakeActivated, sources};

#[derive(Accounts)]
pub struct ActivateStake<'info> {
    pub stake: PoolStake<'info>,

    /// Synced first: every hour before the activation is in the accumulator before the weight.
    #[account(address = stake.pool.reward_vault @ ErrorCode::ConstraintHasOne)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    // Remaining accounts: the pool's reward sources (emission vaults), in order, read-only.
}

impl ActivateStake<'_> {
    /// Warmed up, and every reward source (`sources`, the remaining accounts) has paid every
    /// hour due.
    pub fn validate(&self, sources: &[AccountInfo]) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let stake = &self.stake.provider_stake;
        require!(stake.warming > 0, StakingError::NothingWarming);
        require!(now >= stake.warm_at()?, StakingError::StillWarming);
        sources::require_caught_up(&self.stake.pool, sources, now)
    }
}

/// Makes a provider's warmed-up stake earn (permissionless: the provider, a crank, anyone).
/// The hours before now are first brought into the accumulator: every reward source must have
/// paid every hour due (bundle their `emit` first), and what they paid is synced. Allowed
/// while paused: it only changes who shares the rewards of the hours to come.
#[access_control(ctx.accounts.validate(ctx.remaining_accounts))]
pub fn handler<'info>(ctx: Context<'_, '_, '_, 'info, ActivateStake<'info>>) -> Result<()> {
    let accounts = ctx.accounts;
    let PoolStake { pool, provider_stake: stake } = &mut accounts.stake;
    let key = pool.key();
    let weight = stake.sync_and_settle(pool, accounts.reward_vault.amount)?;
    let amount = stake.activate(pool)?;
    stake.rebase(pool, weight)?;
    pool.invariant()?;
    stake.invariant(pool)?;
    emit!(StakeActivated {
        pool: key,
        owner: stake.owner,
        amount,
        weight: stake.weight(),
        total_weight: pool.reward_weight(),
    });
    Ok(())
}
