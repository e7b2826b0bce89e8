use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, token::TokenAccountRef};

use crate::{
    error::EmissionsError,
    events::WorkRewardClaimed,
    math::{OrOverflow, SafeMath},
    state::{ProviderWork, WorkHour, WorkPool},
    work,
};

use super::{close_record, is_ours, load, store};

#[derive(Accounts)]
#[instruction(hour: u64)]
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

    /// CHECK: the provider claimed for (its key names the record).
    pub provider: UncheckedAccount<'info>,

    /// CHECK: the pool's record of `hour` (seeds checked; read and written by the handler).
    #[account(mut, seeds = [WorkHour::SEED, pool.key().as_ref(), &hour.to_le_bytes()], bump)]
    pub work_hour: UncheckedAccount<'info>,

    /// CHECK: the provider's record of `hour` (seeds checked); closed by the claim. Empty once
    /// claimed: a second claim does nothing.
    #[account(
        mut,
        seeds = [ProviderWork::SEED, pool.key().as_ref(), provider.key().as_ref(), &hour.to_le_bytes()],
        bump,
    )]
    pub provider_work: UncheckedAccount<'info>,

    /// Any token account of the mint the provider owns.
    #[account(
        mut,
        constraint = provider_token.owner == provider.key() @ EmissionsError::WrongProviderAccount,
        constraint = provider_token.mint == mint.key() @ EmissionsError::WrongProviderAccount,
    )]
    pub provider_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: receives the provider record's rent: the payer it records (checked).
    #[account(mut)]
    pub rent_payer: UncheckedAccount<'info>,

    #[account(mut)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Pays a provider its work reward for one finalized hour,
/// `floor(distributable × own burn / hour's burn)`, and closes its record (rent back to who
/// paid it). Permissionless and idempotent: once claimed, the record is gone and a claim does
/// nothing. The hour's last claim leaves its rounding dust to the destination.
pub fn handler(ctx: Context<ClaimWorkReward>, hour: u64) -> Result<()> {
    let a = ctx.accounts;
    let work_info = a.provider_work.to_account_info();
    if !is_ours(&work_info) {
        msg!("Already claimed: no record of this provider for hour {}", hour);
        return Ok(());
    }
    let work = load::<ProviderWork>(&work_info)?;
    require_keys_eq!(a.rent_payer.key(), work.rent_payer, EmissionsError::WrongRentPayer);
    let hour_info = a.work_hour.to_account_info();
    require!(is_ours(&hour_info), EmissionsError::InvariantViolated);
    let mut record = load::<WorkHour>(&hour_info)?;
    require!(record.finalized, EmissionsError::WorkHourNotFinalized);

    let amount = work::claim(record.distributable, work.burned, record.burned).or_overflow()?;
    record.claimed_burn = record.claimed_burn.safe_add(work.burned)?;
    record.claimed_amount = record.claimed_amount.safe_add(amount)?;
    require!(record.claimed_burn <= record.burned, EmissionsError::InvariantViolated);
    let dust = if record.claimed_burn == record.burned {
        record.distributable.safe_sub(record.claimed_amount)?
    } else {
        0
    };
    store(&hour_info, &record)?;

    let pool = &mut a.pool;
    pool.reserved = pool.reserved.safe_sub(amount)?.safe_sub(dust)?;
    pool.owed_to_destination = pool.owed_to_destination.safe_add(dust)?;
    pool.total_claimed = pool.total_claimed.safe_add(amount)?;
    pool.invariant()?;

    let id = pool.pool_id.to_le_bytes();
    let seeds = pool.signer_seeds(&id);
    TokenAccountRef {
        token_program: &a.token_program.to_account_info(),
        mint: &a.mint.to_account_info(),
        decimals: a.mint.decimals,
        account: &a.token_vault.to_account_info(),
        authority: &pool.to_account_info(),
        signer_seeds: &[&seeds],
    }
    .transfer(&a.provider_token.to_account_info(), amount)?;
    close_record(&work_info, &a.rent_payer.to_account_info())?;

    emit!(WorkRewardClaimed {
        pool: pool.key(),
        provider: work.provider,
        hour,
        amount,
        provider_burned: work.burned,
        hour_burned: record.burned,
        claimer: a.claimer.key(),
        rent_payer: work.rent_payer,
        dust,
    });
    Ok(())
}
