use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::{WorkNotRecorded, WorkRecorded},
    math::{self, SafeMath},
    state::{provider_work_address, work_hour_address, ProviderWork, WorkHour, WorkPool},
};

use super::records::{create_record, is_ours, live_vault, load, store};

#[derive(Accounts)]
pub struct RecordBurn<'info> {
    /// The pool's recorder: the market program's `["work_recorder"]` PDA, signing its CPI.
    #[account(address = pool.recorder @ EmissionsError::NotTheRecorder)]
    pub recorder: Signer<'info>,

    /// Pays the rent of the hour's and the provider's records when this burn creates them
    /// (the settlement's signer); it gets it back when they close.
    #[account(mut)]
    pub payer: Signer<'info>,

    /// Read only: no settlement writes the pool.
    pub pool: Box<Account<'info, WorkPool>>,

    /// CHECK: the pool's emission vault (address checked); read when it is live.
    #[account(address = pool.emission_vault @ EmissionsError::WrongEmissionVault)]
    pub emission_vault: UncheckedAccount<'info>,

    /// CHECK: PDA `["work_hour", pool, hour]` of the current hour (checked), created if empty.
    #[account(mut)]
    pub work_hour: UncheckedAccount<'info>,

    /// CHECK: PDA `["work", pool, provider, hour]` of the current hour (checked), created if
    /// empty.
    #[account(mut)]
    pub provider_work: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

/// Records `burned` for the provider in the current emission hour of the pool's vault. Nothing
/// is recorded (and `WorkNotRecorded` is logged) when the vault has not started, has ended or
/// is gone, so a settlement never fails for the pool's sake once its accounts are right.
pub fn handler(ctx: Context<RecordBurn>, provider: Pubkey, burned: u64) -> Result<()> {
    let a = &ctx.accounts;
    let program_id = ctx.program_id;
    let pool_key = a.pool.key();
    if burned == 0 {
        return Ok(());
    }
    let now = Clock::get()?.unix_timestamp;
    let hour =
        live_vault(&a.emission_vault.to_account_info(), &a.pool, program_id).and_then(|vault| {
            let open = !vault.ended() && now >= vault.start_ts;
            let hour = math::hours_due(vault.start_ts, now);
            // An hour already paid (or finalized) takes no more burn: the clock never runs back
            // on a cluster, but the pool must not depend on it.
            (open && hour >= vault.emitted_hours && hour >= a.pool.cursor_hours).then_some(hour)
        });
    let Some(hour) = hour else {
        emit!(WorkNotRecorded { pool: pool_key, provider, burned });
        return Ok(());
    };

    let (hour_key, hour_bump) = work_hour_address(&pool_key, hour, program_id);
    require_keys_eq!(a.work_hour.key(), hour_key, EmissionsError::WrongWorkHour);
    let (work_key, work_bump) = provider_work_address(&pool_key, &provider, hour, program_id);
    require_keys_eq!(a.provider_work.key(), work_key, EmissionsError::WrongProviderWork);

    let payer = a.payer.to_account_info();
    let system = a.system_program.to_account_info();
    let hour_le = hour.to_le_bytes();

    let hour_info = a.work_hour.to_account_info();
    let mut record = if is_ours(&hour_info, program_id) {
        load::<WorkHour>(&hour_info)?
    } else {
        let seeds: &[&[u8]] = &[WorkHour::SEED, pool_key.as_ref(), &hour_le, &[hour_bump]];
        create_record(&payer, &hour_info, &system, 8 + WorkHour::INIT_SPACE, seeds, program_id)?;
        WorkHour {
            pool: pool_key,
            hour,
            burned: 0,
            finalized: false,
            emission: 0,
            distributable: 0,
            claimed_burn: 0,
            claimed_amount: 0,
            rent_payer: payer.key(),
            bump: hour_bump,
        }
    };
    require!(!record.finalized, EmissionsError::InvariantViolated);
    record.burned = record.burned.safe_add(burned)?;
    store(&hour_info, &record)?;

    let work_info = a.provider_work.to_account_info();
    let mut work = if is_ours(&work_info, program_id) {
        load::<ProviderWork>(&work_info)?
    } else {
        let seeds: &[&[u8]] =
            &[ProviderWork::SEED, pool_key.as_ref(), provider.as_ref(), &hour_le, &[work_bump]];
        create_record(
            &payer,
            &work_info,
            &system,
            8 + ProviderWork::INIT_SPACE,
            seeds,
            program_id,
        )?;
        ProviderWork {
            pool: pool_key,
            provider,
            hour,
            burned: 0,
            rent_payer: payer.key(),
            bump: work_bump,
        }
    };
    work.burned = work.burned.safe_add(burned)?;
    store(&work_info, &work)?;

    emit!(WorkRecorded {
        pool: pool_key,
        provider,
        hour,
        burned,
        provider_burned: work.burned,
        hour_burned: record.burned,
    });
    Ok(())
}
