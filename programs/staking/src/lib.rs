//! Crucible staking: provider collateral, unbonding, locks held by the market, slashing and
//! stake-weighted rewards. See DESIGN.md ("Program: staking") and this crate's README.
#![allow(unexpected_cfgs)]

pub mod error;
pub mod events;
pub mod instructions;
pub mod math;
pub mod state;

use anchor_lang::prelude::*;

pub use instructions::*;

declare_id!("HuFhSgaUJyRVziJJwn9zHEmDib5rZWwfvEGyA6febnTn");

#[program]
pub mod crucible_staking {
    use super::*;

    /// Creates the staking pool of a mint, with its stake and reward vaults. Signed by the
    /// mint authority, who becomes the pool admin.
    pub fn init_pool(ctx: Context<InitPool>, args: InitPoolArgs) -> Result<()> {
        instructions::init_pool::handler(ctx, args)
    }

    /// Stakes `amount` tokens as a provider's collateral (opening the stake account if needed).
    pub fn stake(ctx: Context<Stake>, amount: u64) -> Result<()> {
        instructions::stake::handler(ctx, amount)
    }

    /// Moves `amount` of free (unlocked) stake to unbonding and restarts the unbonding timer.
    pub fn request_unstake(ctx: Context<RequestUnstake>, amount: u64) -> Result<()> {
        instructions::request_unstake::handler(ctx, amount)
    }

    /// Pays out all unbonding stake once the unbonding delay has passed.
    pub fn withdraw(ctx: Context<Withdraw>) -> Result<()> {
        instructions::withdraw::handler(ctx)
    }
}
