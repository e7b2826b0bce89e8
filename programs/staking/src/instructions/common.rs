//! Accounts that several instructions share, nested in their accounts structs (Helium's
//! `*CommonV0` pattern). Each account keeps its name, so a flat list of names still describes
//! every instruction; Anchor lays a nested struct's accounts out in place, so the order of each
//! instruction's accounts is what it was.
use anchor_lang::prelude::*;

use crate::{
    error::StakingError,
    state::{ProviderStake, StakePool},
};

/// The pool and its admin, signing: every admin instruction after `init_pool`.
#[derive(Accounts)]
pub struct PoolAdmin<'info> {
    pub admin: Signer<'info>,

    #[account(
        mut,
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = admin @ StakingError::NotAdmin,
    )]
    pub pool: Box<Account<'info, StakePool>>,
}

/// A provider's stake and its owner, signing: the provider instructions on an existing stake
/// (`request_unstake`, `cancel_unstake`, `withdraw`, `claim_rewards`). The pool is writable.
#[derive(Accounts)]
pub struct OwnerStake<'info> {
    pub owner: Signer<'info>,

    #[account(mut, seeds = [StakePool::SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = provider_stake.bump,
        has_one = owner @ StakingError::NotStakeOwner,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,
}

/// A provider's stake and the pool's registered locker, signing (the market's collateral PDA,
/// through CPI): `lock_collateral` and `unlock_collateral`. The pool is read only: locks never
/// write it, so independent jobs share no hot account.
#[derive(Accounts)]
pub struct LockerStake<'info> {
    /// The pool's registered locker: the market's `["collateral"]` PDA, signing through CPI.
    pub locker: Signer<'info>,

    #[account(
        seeds = [StakePool::SEED, pool.mint.as_ref()],
        bump = pool.bump,
        has_one = locker @ StakingError::NotLocker,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), provider_stake.owner.as_ref()],
        bump = provider_stake.bump,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,
}

/// Any provider's stake in a writable pool, without its owner's signature: `activate_stake`
/// (anyone) and `slash` (the locker, checked by `slash`).
#[derive(Accounts)]
pub struct PoolStake<'info> {
    #[account(mut, seeds = [StakePool::SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, StakePool>>,

    /// Any provider's: its address is derived from the owner it records.
    #[account(
        mut,
        seeds = [ProviderStake::SEED, pool.key().as_ref(), provider_stake.owner.as_ref()],
        bump = provider_stake.bump,
        has_one = pool,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,
}
