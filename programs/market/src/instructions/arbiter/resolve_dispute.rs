use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_staking::{
    program::CrucibleStaking,
    state::{ProviderStake, StakePool},
};

use crate::{
    collateral::{Collateral, SlashAccounts},
    error::MarketError,
    escrow::Escrow,
    settlement::{self, Verdict},
    state::{Job, JobState, Market, MarketConfig},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ResolveDisputeArgs {
    /// The provider's share of the price; the client's part (the rest) is refunded.
    pub provider_share_bps: u16,
    /// Collateral to slash, at most the job's collateral.
    pub slash_amount: u64,
    /// Pay the slash to the client (true) or burn it (false).
    pub slash_to_client: bool,
}

#[derive(Accounts)]
pub struct ResolveDispute<'info> {
    /// The arbiter recorded on the job when the dispute opened (checked in the handler).
    pub arbiter: Signer<'info>,

    /// CHECK: the job's client (checked by `has_one` on the job); receives the rent.
    #[account(mut)]
    pub client: UncheckedAccount<'info>,

    #[account(seeds = [MarketConfig::SEED], bump = config.bump, has_one = fee_vault @ MarketError::WrongFeeVault)]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(
        has_one = mint @ MarketError::WrongMint,
        has_one = token_program @ MarketError::WrongTokenProgram,
        has_one = staking_pool @ MarketError::ForeignStakeAccount,
    )]
    pub market: Box<Account<'info, Market>>,

    #[account(
        mut,
        close = client,
        seeds = [Job::SEED, market.key().as_ref(), job.client.as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
        has_one = client @ MarketError::WrongClientAccount,
    )]
    pub job: Box<Account<'info, Job>>,

    #[account(mut, seeds = [Job::ESCROW_SEED, job.key().as_ref()], bump = job.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Writable: burns lower its supply.
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// The config's fee vault (a PDA of this program): receives the fee.
    #[account(mut)]
    pub fee_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        constraint = provider_token.owner == job.provider @ MarketError::WrongProviderAccount,
        constraint = provider_token.mint == market.mint @ MarketError::WrongMint,
    )]
    pub provider_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Receives the client's part and a slash paid to the client.
    #[account(
        mut,
        constraint = client_token.owner == job.client @ MarketError::WrongClientAccount,
        constraint = client_token.mint == market.mint @ MarketError::WrongMint,
    )]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(
        mut,
        seeds = [ProviderStake::SEED, market.staking_pool.as_ref(), job.provider.as_ref()],
        bump = provider_stake.bump,
        seeds::program = staking_program.key(),
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    /// Writable: a slash changes the pool's totals.
    #[account(mut)]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// CHECK: the pool's stake vault (checked by the staking program's `has_one`).
    #[account(mut, address = staking_pool.stake_vault)]
    pub stake_vault: UncheckedAccount<'info>,

    /// CHECK: the pool's reward vault (checked by the staking program's `has_one`).
    #[account(address = staking_pool.reward_vault)]
    pub reward_vault: UncheckedAccount<'info>,

    /// CHECK: the collateral PDA `["collateral"]` (seeds checked), the pool's locker.
    #[account(seeds = [MarketConfig::COLLATERAL_SEED], bump = market.collateral_bump)]
    pub collateral_authority: UncheckedAccount<'info>,

    pub staking_program: Program<'info, CrucibleStaking>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// The arbiter's decision on a disputed job: split the price, optionally slash collateral to
/// the client or burn it; the rest of the collateral is unlocked and the job closes.
pub fn handler(ctx: Context<ResolveDispute>, args: ResolveDisputeArgs) -> Result<()> {
    let a = &ctx.accounts;
    require!(a.job.state == JobState::Disputed, MarketError::JobNotDisputed);
    // The arbiter recorded when the dispute opened, not the market's current one.
    require_keys_eq!(a.job.arbiter, a.arbiter.key(), MarketError::NotArbiter);
    let escrow = Escrow {
        job: &a.job,
        escrow: a.escrow.to_account_info(),
        mint: a.mint.to_account_info(),
        token_program: a.token_program.to_account_info(),
        decimals: a.mint.decimals,
    };
    let collateral = Collateral {
        staking_program: a.staking_program.to_account_info(),
        authority: a.collateral_authority.to_account_info(),
        pool: a.staking_pool.to_account_info(),
        provider_stake: a.provider_stake.to_account_info(),
        bump: a.market.collateral_bump,
    };
    let slash_accounts = SlashAccounts {
        mint: a.mint.to_account_info(),
        stake_vault: a.stake_vault.to_account_info(),
        reward_vault: a.reward_vault.to_account_info(),
        token_program: a.token_program.to_account_info(),
        destination: args.slash_to_client.then(|| a.client_token.to_account_info()),
    };
    settlement::resolve(
        &a.job,
        &escrow,
        a.escrow.amount,
        &a.fee_vault.to_account_info(),
        &a.provider_token.to_account_info(),
        &a.client_token.to_account_info(),
        &a.client.to_account_info(),
        &collateral,
        Some(slash_accounts),
        Verdict {
            provider_share_bps: args.provider_share_bps,
            slash: args.slash_amount,
            slash_burned: !args.slash_to_client,
            by_default: false,
        },
    )
}
