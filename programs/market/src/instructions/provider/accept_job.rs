use anchor_lang::prelude::*;
use crucible_common::emit;
use crucible_staking::{
    program::CrucibleStaking,
    state::{ProviderStake, StakePool},
};

use crate::{
    collateral::Collateral,
    error::MarketError,
    events::JobAccepted,
    state::{Job, JobState, Market, MarketConfig},
};

#[derive(Accounts)]
pub struct AcceptJob<'info> {
    pub provider: Signer<'info>,

    #[account(has_one = staking_pool @ MarketError::ForeignStakeAccount)]
    pub market: Box<Account<'info, Market>>,

    #[account(
        mut,
        seeds = [Job::SEED, market.key().as_ref(), job.client.as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
    )]
    pub job: Box<Account<'info, Job>>,

    /// The provider's stake in the market's pool: owner (the staking program, by type), seeds
    /// and pool checked.
    #[account(
        mut,
        seeds = [ProviderStake::SEED, market.staking_pool.as_ref(), provider.key().as_ref()],
        bump = provider_stake.bump,
        seeds::program = staking_program.key(),
        constraint = provider_stake.pool == market.staking_pool @ MarketError::ForeignStakeAccount,
        constraint = provider_stake.owner == provider.key() @ MarketError::ForeignStakeAccount,
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    pub staking_pool: Box<Account<'info, StakePool>>,

    /// CHECK: the collateral PDA `["collateral"]` (seeds checked), the pool's locker.
    #[account(seeds = [MarketConfig::COLLATERAL_SEED], bump = market.collateral_bump)]
    pub collateral_authority: UncheckedAccount<'info>,

    pub staking_program: Program<'info, CrucibleStaking>,
}

impl AcceptJob<'_> {
    pub fn validate(&self) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let (job, stake) = (&self.job, &self.provider_stake);
        require!(!self.market.paused, MarketError::MarketPaused);
        job.require_state(JobState::Open)?;
        require!(
            job.target_provider == Pubkey::default() || job.target_provider == self.provider.key(),
            MarketError::NotTargetProvider
        );
        require_keys_neq!(job.client, self.provider.key(), MarketError::ProviderIsClient);
        require!(!job.has_quit(&self.provider.key()), MarketError::AlreadyQuit);
        // Every deadline falls within the job's lifetime, however often it is re-accepted.
        job.deadline_if_accepted(now)?;
        require!(
            stake.active >= self.market.params.min_provider_stake,
            MarketError::StakeBelowMarketMinimum
        );
        require!(stake.free() >= job.collateral, MarketError::InsufficientFreeStake);
        Ok(())
    }
}

/// Takes an open job: locks the job's collateral from the provider's free stake (CPI into the
/// staking program, signed by the collateral PDA) and starts the deadline, which must fall
/// within the job's lifetime. A provider that quit this job before may not take it again.
pub fn handler(mut ctx: Context<AcceptJob>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    a.job.accept(a.provider.key(), now)?;
    a.job.invariant()?;
    let a = &ctx.accounts;
    Collateral::new(
        &a.staking_program,
        &a.collateral_authority,
        &a.staking_pool,
        &a.provider_stake,
        a.market.collateral_bump,
    )
    .lock(a.job.collateral)?;
    let job = &a.job;
    emit!(JobAccepted {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider: job.provider,
        collateral: job.collateral,
        deadline: job.deadline,
    });
    Ok(())
}
