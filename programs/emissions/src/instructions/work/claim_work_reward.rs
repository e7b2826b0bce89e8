use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::WorkRewardClaimed,
    math::{OrOverflow, SafeMath},
    state::{ProviderWork, WorkHour, WorkPool},
    work,
};

use super::records::pay_from_pool;

#[derive(Accounts)]
pub struct ClaimWorkReward<'info> {
    /// Anyone: the provider, or whoever paid a record's rent and wants it back.
    pub claimer: Signer<'info>,

    #[account(
        mut,
        seeds = [WorkPool::SEED, pool.mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
        has_one = token_vault,
        has_one = mint @ EmissionsError::WrongMint,
        has_one = token_program @ EmissionsError::WrongTokenProgram,
    )]
    pub pool: Box<Account<'info, WorkPool>>,

    /// The pool's record of the hour claimed.
    #[account(
        mut,
        seeds = [WorkHour::SEED, pool.key().as_ref(), &provider_work.hour.to_le_bytes()],
        bump = work_hour.bump,
        has_one = pool,
    )]
    pub work_hour: Box<Account<'info, WorkHour>>,

    /// The provider's record of the hour, closed by the claim (its rent to `rent_payer`): a
    /// second claim finds no record and moves nothing.
    #[account(
        mut,
        seeds = [
            ProviderWork::SEED,
            pool.key().as_ref(),
            provider_work.provider.as_ref(),
            &provider_work.hour.to_le_bytes(),
        ],
        bump = provider_work.bump,
        has_one = pool,
        has_one = rent_payer @ EmissionsError::WrongRentPayer,
        close = rent_payer,
    )]
    pub provider_work: Box<Account<'info, ProviderWork>>,

    /// Any token account of the mint the provider owns.
    #[account(
        mut,
        constraint = provider_token.owner == provider_work.provider @ EmissionsError::WrongProviderAccount,
        constraint = provider_token.mint == mint.key() @ EmissionsError::WrongProviderAccount,
    )]
    pub provider_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: the payer the provider's record names (checked by `has_one`); gets its rent.
    #[account(mut)]
    pub rent_payer: UncheckedAccount<'info>,

    #[account(mut)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClaimWorkReward<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(self.work_hour.finalized, EmissionsError::WorkHourNotFinalized);
        Ok(())
    }
}

/// Pays a provider its work reward for one finalized hour,
/// `floor(distributable × own burn / hour's burn)`, and closes its record (rent back to who
/// paid it). Permissionless. Once claimed the record is gone, so a second claim is refused
/// (`AccountNotInitialized`) and moves nothing. The hour's last claim leaves its rounding dust
/// to the destination.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<ClaimWorkReward>) -> Result<()> {
    let a = ctx.accounts;
    let work = &a.provider_work;
    let record = &mut a.work_hour;
    let amount = work::claim(record.distributable, work.burned, record.burned).or_overflow()?;
    record.claimed_burn = record.claimed_burn.safe_add(work.burned)?;
    record.claimed_amount = record.claimed_amount.safe_add(amount)?;
    require!(record.claimed_burn <= record.burned, EmissionsError::InvariantViolated);
    let dust = if record.claimed_burn == record.burned {
        record.distributable.safe_sub(record.claimed_amount)?
    } else {
        0
    };

    let pool = &mut a.pool;
    pool.reserved = pool.reserved.safe_sub(amount)?.safe_sub(dust)?;
    pool.owed_to_destination = pool.owed_to_destination.safe_add(dust)?;
    pool.total_claimed = pool.total_claimed.safe_add(amount)?;
    pool.invariant()?;

    let to = a.provider_token.to_account_info();
    pay_from_pool(pool, &a.token_vault, &a.mint, &a.token_program, &to, amount)?;

    emit!(WorkRewardClaimed {
        pool: pool.key(),
        provider: work.provider,
        hour: work.hour,
        amount,
        provider_burned: work.burned,
        hour_burned: record.burned,
        claimer: a.claimer.key(),
        rent_payer: work.rent_payer,
        dust,
    });
    Ok(())
}
