//! The staking program's locker instructions, called through CPI signed by the collateral PDA
//! `["collateral"]`, which every market's staking pool registers as its locker.
use anchor_lang::prelude::*;
use crucible_staking::{
    cpi,
    program::CrucibleStaking,
    state::{JobOutcome, ProviderStake, StakePool},
};

use crate::state::MarketConfig;

/// The accounts every collateral CPI needs. Built only by [`Collateral::new`].
pub struct Collateral<'info> {
    staking_program: AccountInfo<'info>,
    authority: AccountInfo<'info>,
    pool: AccountInfo<'info>,
    provider_stake: AccountInfo<'info>,
    bump: u8,
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
    /// `authority` is the collateral PDA (its seeds checked by the accounts struct), `bump`
    /// its bump (the market's copy).
    pub fn new(
        staking_program: &Program<'info, CrucibleStaking>,
        authority: &UncheckedAccount<'info>,
        pool: &Account<'info, StakePool>,
        provider_stake: &Account<'info, ProviderStake>,
        bump: u8,
    ) -> Self {
        Collateral {
            staking_program: staking_program.to_account_info(),
            authority: authority.to_account_info(),
            pool: pool.to_account_info(),
            provider_stake: provider_stake.to_account_info(),
            bump,
        }
    }

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
        let accounts = cpi::accounts::LockCollateral { collateral: self.locker_stake() };
        self.with_signer(|signer| {
            let ctx = CpiContext::new_with_signer(self.staking_program.clone(), accounts, signer);
            cpi::lock_collateral(ctx, amount)
        })
    }

    pub fn unlock(&self, amount: u64, outcome: JobOutcome) -> Result<()> {
        let accounts = cpi::accounts::UnlockCollateral { collateral: self.locker_stake() };
        self.with_signer(|signer| {
            let ctx = CpiContext::new_with_signer(self.staking_program.clone(), accounts, signer);
            cpi::unlock_collateral(ctx, amount, outcome)
        })
    }

    /// Slashes `amount` (nothing for zero) to `accounts.destination`, or burns it.
    pub fn slash(&self, amount: u64, accounts: SlashAccounts<'info>) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let burn = accounts.destination.is_none();
        let accounts = cpi::accounts::Slash {
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
        };
        self.with_signer(|signer| {
            let ctx = CpiContext::new_with_signer(self.staking_program.clone(), accounts, signer);
            cpi::slash(ctx, amount, burn)
        })
    }
}
