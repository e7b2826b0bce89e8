use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, mint::MintRejection};

use crate::{
    error::StakingError,
    events::PoolInitialized,
    state::{StakePool, MAX_REWARD_SOURCES},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitPoolArgs {
    /// Smallest active stake a provider may hold (> 0).
    pub min_stake: u64,
    /// Delay between `request_unstake` and `withdraw`, at most one year.
    pub unbonding_secs: u64,
    /// The market program's collateral PDA (`["collateral"]`), allowed to lock and slash.
    pub locker: Pubkey,
}

#[derive(Accounts)]
pub struct InitPool<'info> {
    /// The mint authority of `mint`; becomes the pool admin and pays the rent.
    #[account(mut)]
    pub admin: Signer<'info>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(
        init,
        payer = admin,
        space = 8 + StakePool::INIT_SPACE,
        seeds = [StakePool::SEED, mint.key().as_ref()],
        bump,
    )]
    pub pool: Box<Account<'info, StakePool>>,

    #[account(
        init,
        payer = admin,
        seeds = [StakePool::STAKE_VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = pool,
        token::token_program = token_program,
    )]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        init,
        payer = admin,
        seeds = [StakePool::REWARD_VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = pool,
        token::token_program = token_program,
    )]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl InitPool<'_> {
    pub fn validate(&self, args: &InitPoolArgs) -> Result<()> {
        require!(
            self.mint.mint_authority == Some(self.admin.key()).into(),
            StakingError::NotMintAuthority
        );
        crucible_common::mint::check_mint(&self.mint.to_account_info()).map_err(|r| match r {
            MintRejection::NotAMint => StakingError::InvalidMint,
            MintRejection::Extension(_) => StakingError::UnsupportedMintExtension,
            MintRejection::FreezeAuthority => StakingError::MintHasFreezeAuthority,
            MintRejection::CloseAuthority => StakingError::MintHasCloseAuthority,
        })?;
        require!(args.min_stake > 0, StakingError::InvalidMinStake);
        require!(
            args.unbonding_secs >= StakePool::MIN_UNBONDING_SECS,
            StakingError::UnbondingTooShort
        );
        require!(
            args.unbonding_secs <= StakePool::MAX_UNBONDING_SECS,
            StakingError::InvalidUnbondingDelay
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<InitPool>, args: InitPoolArgs) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let pool = &mut ctx.accounts.pool;
    pool.set_inner(StakePool {
        admin: ctx.accounts.admin.key(),
        pending_admin: Pubkey::default(),
        mint: ctx.accounts.mint.key(),
        token_program: ctx.accounts.token_program.key(),
        stake_vault: ctx.accounts.stake_vault.key(),
        reward_vault: ctx.accounts.reward_vault.key(),
        locker: args.locker,
        min_stake: args.min_stake,
        unbonding_secs: args.unbonding_secs,
        total_active: 0,
        total_unbonding: 0,
        acc_reward_per_share: 0,
        acc_remainder: 0,
        acc_remainder_base: 0,
        reward_accounted: 0,
        unallocated_rewards: 0,
        paused: false,
        bump: ctx.bumps.pool,
        stake_vault_bump: ctx.bumps.stake_vault,
        reward_vault_bump: ctx.bumps.reward_vault,
        total_warming: 0,
        reward_source_count: 0,
        reward_sources: [Pubkey::default(); MAX_REWARD_SOURCES],
    });
    pool.invariant()?;
    emit!(PoolInitialized {
        pool: pool.key(),
        mint: pool.mint,
        admin: pool.admin,
        locker: pool.locker,
        stake_vault: pool.stake_vault,
        reward_vault: pool.reward_vault,
        min_stake: pool.min_stake,
        unbonding_secs: pool.unbonding_secs,
    });
    Ok(())
}
