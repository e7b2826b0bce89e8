//! The staking program's locker instructions, called through CPI signed by the collateral PDA
//! `["collateral"]`, which every market's staking pool registers as its locker.
use anchor_lang::prelude::*;
use crucible_staking::{cpi, state::JobOutcome};

use crate::state::MarketConfig;

/// The accounts every collateral CPI needs.
pub struct Collateral<'info> {
    pub staking_program: AccountInfo<'info>,
    pub authority: AccountInfo<'info>,
    pub pool: AccountInfo<'info>,
    pub provider_stake: AccountInfo<'info>,
    pub bump: u8,
}

/// What a slash further needs: the pool's vaults, the mint, and where the tokens go.
pub struct SlashAccounts<'info> {
    pub mint: AccountInfo<'info>,
    pub stake_vault: AccountInfo<'info>,
    pub reward_vault: AccountInfo<'info>,
    pub token_program: AccountInfo<'info>,
    /// The harmed client's token account; `None` burns.
    pub destination: Option<AccountInfo<'info>>,
}

impl<'info> Collateral<'info> {
    fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let bump = [self.bump];
        let seeds: &[&[u8]] = &[MarketConfig::COLLATERAL_SEED, &bump];
        f(&[seeds])
    }

    /// The accounts `lock_collateral` and `unlock_collateral` share (staking's `LockerStake`).
    fn locker_stake(&self) -> cpi::accounts::LockerStake<'info> {
        cpi::accounts::LockerStake {
            locker: self.authority.clone(),
            pool: self.pool.clone(),
            provider_stake: self.provider_stake.clone(),
        }
    }

    pub fn lock(&self, amount: u64) -> Result<()> {
        self.with_signer(|signer| {
            cpi::lock_collateral(
                CpiContext::new_with_signer(
                    self.staking_program.clone(),
                    cpi::accounts::LockCollateral { collateral: self.locker_stake() },
                    signer,
                ),
                amount,
            )
        })
    }

    pub fn unlock(&self, amount: u64, outcome: JobOutcome) -> Result<()> {
        self.with_signer(|signer| {
            cpi::unlock_collateral(
                CpiContext::new_with_signer(
                    self.staking_program.clone(),
                    cpi::accounts::UnlockCollateral { collateral: self.locker_stake() },
                    signer,
                ),
                amount,
                outcome,
            )
        })
    }

    /// Slashes `amount` (nothing for zero) to `accounts.destination`, or burns it.
    pub fn slash(&self, amount: u64, accounts: SlashAccounts<'info>) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let burn = accounts.destination.is_none();
        self.with_signer(|signer| {
            cpi::slash(
                CpiContext::new_with_signer(
                    self.staking_program.clone(),
                    cpi::accounts::Slash {
                        locker: self.authority.clone(),
                        stake: cpi::accounts::PoolStake {
                            pool: self.pool.clone(),
                            provider_stake: self.provider_stake.clone(),
                        },
                        mint: accounts.mint,
                        stake_vault: accounts.stake_vault,
                        reward_vault: accounts.reward_vault,
                        destination: accounts.destination,
                        token_program: accounts.token_program,
                    },
                    signer,
                ),
                amount,
                burn,
            )
        })
    }
}
