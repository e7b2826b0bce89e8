use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::{WorkHourFinalized, WorkPoolCranked},
    math::{self, OrOverflow, Progress, SafeMath},
    payout::payable,
    state::{EmissionVault, WorkHour, WorkPool},
    work,
};

use super::records::{is_ours, live_vault, load, pay_from_pool, store};

#[derive(Accounts)]
pub struct CrankWorkPool<'info> {
    #[account(
        mut,
        seeds = [WorkPool::SEED, pool.mint.as_ref(), &pool.pool_id.to_le_bytes()],
        bump = pool.bump,
        has_one = token_vault,
        has_one = mint @ EmissionsError::WrongMint,
        has_one = token_program @ EmissionsError::WrongTokenProgram,
    )]
    pub pool: Box<Account<'info, WorkPool>>,

    /// CHECK: the pool's emission vault (address checked); read when it is live.
    #[account(address = pool.emission_vault @ EmissionsError::WrongEmissionVault)]
    pub emission_vault: UncheckedAccount<'info>,

    #[account(mut)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: the pool's destination (address checked); paid what it is owed when it can
    /// receive, otherwise the debt waits for a later crank.
    #[account(mut, address = pool.destination @ EmissionsError::WrongWorkDestination)]
    pub destination: UncheckedAccount<'info>,

    pub mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
    // Remaining accounts: the `WorkHour` addresses of the pool's next hours, in order from
    // `cursor_hours`, writable, at most `MAX_HOURS_PER_CRANK` (an hour without burns has no
    // record: its address is empty).
}

/// Where the pool's vault stands: hours below `through` can be finalized, hours below
/// `weighted_until` were emitted by the schedule.
struct VaultView {
    through: u64,
    weighted_until: u64,
    total_emitted: u64,
    schedule: Option<math::Schedule>,
}

fn view(pool: &mut WorkPool, vault: Option<EmissionVault>, now: i64) -> VaultView {
    match vault {
        Some(v) => {
            if !pool.started {
                // The vault was created after the pool: follow it from hour 0.
                pool.started = true;
                pool.vault_start_ts = v.start_ts;
                pool.set_cursor(Progress::start(&v.schedule()));
                pool.range_end = 0;
                pool.range_start_total = 0;
            }
            // Once the vault has ended nothing more is emitted or recorded: every later hour
            // can be finalized (with nothing for it) as soon as it is over.
            let through = if v.ended() {
                math::hours_due(v.start_ts, now).max(v.emitted_hours)
            } else {
                v.emitted_hours
            };
            VaultView {
                through,
                weighted_until: v.emitted_hours,
                total_emitted: v.total_emitted,
                schedule: Some(v.schedule()),
            }
        }
        // Gone (closed after its end): every hour that is over can be finalized, for nothing.
        None if pool.started => VaultView {
            through: math::hours_due(pool.vault_start_ts, now),
            weighted_until: 0,
            total_emitted: pool.cursor_total,
            schedule: None,
        },
        None => VaultView { through: 0, weighted_until: 0, total_emitted: 0, schedule: None },
    }
}

/// Finalizes the pool's next hours (permissionless): attributes what the pool received since
/// its last range to the hours the vault paid, sets each hour's emission and what its
/// providers share, and pays the destination what they leave (and the claims' dust).
pub fn handler<'info>(ctx: Context<'_, '_, '_, 'info, CrankWorkPool<'info>>) -> Result<()> {
    let a = ctx.accounts;
    let now = Clock::get()?.unix_timestamp;
    let program_id = ctx.program_id;
    let vault = live_vault(&a.emission_vault.to_account_info(), &a.pool, program_id);
    let pool_key = a.pool.key();
    let pool = &mut a.pool;
    let was_started = pool.started;
    let v = view(pool, vault, now);
    let hours = ctx.remaining_accounts;
    require!(hours.len() <= WorkPool::MAX_HOURS_PER_CRANK, EmissionsError::WorkHoursMismatch);
    require!(
        pool.cursor_hours >= v.through || !hours.is_empty(),
        EmissionsError::WorkHoursMismatch
    );

    let balance = a.token_vault.amount;
    let from_hour = pool.cursor_hours;
    let mut received = 0u64;
    let mut undistributed = 0u64;
    // Bounded: at most MAX_HOURS_PER_CRANK (24) hours, O(1) work each.
    for info in hours {
        let hour = pool.cursor_hours;
        if hour >= v.through {
            break;
        }
        if hour == pool.range_end {
            // A new range: everything received since the last one, over the hours paid since.
            let amount = balance.safe_sub(pool.committed()?)?;
            let weight = v.total_emitted.saturating_sub(pool.cursor_total);
            pool.range_end = v.through;
            pool.range_start_total = pool.cursor_total;
            pool.range_weight = weight;
            pool.total_received = pool.total_received.safe_add(amount)?;
            received = received.safe_add(amount)?;
            if weight == 0 {
                // Nothing the schedule emitted to attribute it to (donations after the end).
                undistributed = undistributed.safe_add(amount)?;
                pool.range_amount = 0;
            } else {
                pool.range_amount = amount;
            }
        }

        let cursor = pool.cursor();
        let next = match v.schedule {
            Some(s) if hour < v.weighted_until => {
                math::advance(&s, cursor, hour.safe_add(1)?, 1).or_overflow()?.progress
            }
            _ => Progress { hours: hour.safe_add(1)?, ..cursor },
        };
        let before = cursor.total.safe_sub(pool.range_start_total)?;
        // The range's last hour takes what is left, so a range always allots all it received.
        let after = if next.hours == pool.range_end {
            pool.range_weight
        } else {
            next.total.safe_sub(pool.range_start_total)?.min(pool.range_weight)
        };
        let emission = work::hour_emission(pool.range_amount, before, after, pool.range_weight)
            .or_overflow()?;

        require!(info.is_writable, EmissionsError::WorkHoursMismatch);
        let hour_le = hour.to_le_bytes();
        if is_ours(info, program_id) {
            let mut record = load::<WorkHour>(info)?;
            let address = Pubkey::create_program_address(
                &[WorkHour::SEED, pool_key.as_ref(), &hour_le, &[record.bump]],
                program_id,
            )
            .map_err(|_| EmissionsError::WorkHoursMismatch)?;
            require!(
                address == info.key() && record.pool == pool_key && record.hour == hour,
                EmissionsError::WorkHoursMismatch
            );
            require!(!record.finalized, EmissionsError::InvariantViolated);
            let share = work::distributable(emission, record.burned, pool.cap_bps).or_overflow()?;
            record.emission = emission;
            record.distributable = share;
            record.finalized = true;
            store(info, &record)?;
            pool.reserved = pool.reserved.safe_add(share)?;
            let left = emission.safe_sub(share)?;
            undistributed = undistributed.safe_add(left)?;
            emit!(WorkHourFinalized {
                pool: pool_key,
                hour,
                burned: record.burned,
                emission,
                distributable: share,
                undistributed: left,
                cap_binding: share < emission,
            });
        } else {
            // No burn in this hour: its address must be the hour's (empty) record address,
            // or a cranker could pass any empty account to skip an hour with burns.
            let (address, _) = Pubkey::find_program_address(
                &[WorkHour::SEED, pool_key.as_ref(), &hour_le],
                program_id,
            );
            require_keys_eq!(address, info.key(), EmissionsError::WorkHoursMismatch);
            undistributed = undistributed.safe_add(emission)?;
        }
        pool.set_cursor(next);
    }

    pool.owed_to_destination = pool.owed_to_destination.safe_add(undistributed)?;
    let owed = pool.owed_to_destination;
    let can_receive = payable(&a.destination.to_account_info(), &pool.mint, &pool.token_program);
    let paid = if owed > 0 && can_receive.is_ok() { owed } else { 0 };
    let processed = pool.cursor_hours.safe_sub(from_hour)?;
    // Starting to follow the vault is progress of its own (a staking pool waits for it).
    let started_now = pool.started && !was_started;
    require!(processed > 0 || paid > 0 || started_now, EmissionsError::WorkPoolCaughtUp);
    if paid > 0 {
        let to = a.destination.to_account_info();
        pay_from_pool(pool, &a.token_vault, &a.mint, &a.token_program, &to, paid)?;
        pool.owed_to_destination = 0;
        pool.total_to_destination = pool.total_to_destination.safe_add(paid)?;
    }
    require!(balance.safe_sub(paid)? >= pool.committed()?, EmissionsError::InvariantViolated);
    pool.invariant()?;
    emit!(WorkPoolCranked {
        pool: pool_key,
        from_hour,
        to_hour: pool.cursor_hours,
        received,
        undistributed,
        paid_to_destination: paid,
        owed_to_destination: pool.owed_to_destination,
        reserved: pool.reserved,
    });
    Ok(())
}
