use anchor_lang::prelude::*;
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::WorkHourClosed,
    state::{WorkHour, WorkPool},
};

#[derive(Accounts)]
pub struct CloseWorkHour<'info> {
    pub pool: Box<Account<'info, WorkPool>>,

    #[account(
        mut,
        seeds = [WorkHour::SEED, pool.key().as_ref(), &work_hour.hour.to_le_bytes()],
        bump = work_hour.bump,
        has_one = pool,
        has_one = rent_payer @ EmissionsError::WrongRentPayer,
        close = rent_payer,
    )]
    pub work_hour: Box<Account<'info, WorkHour>>,

    /// CHECK: the record's rent payer (checked by `has_one`), who gets the rent back.
    #[account(mut)]
    pub rent_payer: UncheckedAccount<'info>,
}

impl CloseWorkHour<'_> {
    pub fn validate(&self) -> Result<()> {
        let record = &self.work_hour;
        require!(record.finalized, EmissionsError::WorkHourNotFinalized);
        require!(record.claimed_burn == record.burned, EmissionsError::WorkHourHasClaims);
        Ok(())
    }
}

/// Closes an hour's record once every provider of it has claimed (permissionless), its rent
/// back to whoever paid it.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CloseWorkHour>) -> Result<()> {
    let record = &ctx.accounts.work_hour;
    emit!(WorkHourClosed { pool: record.pool, hour: record.hour, rent_payer: record.rent_payer });
    Ok(())
}
