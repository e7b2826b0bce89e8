//! The closing transitions' shared work: settle, refund, slash, unlock, close, and the event.
use anchor_lang::prelude::*;
use crucible_common::emit;
use crucible_staking::state::JobOutcome;

use crate::{
    collateral::{Collateral, SlashAccounts},
    error::MarketError,
    escrow::Escrow,
    events::{DisputeResolved, JobCompleted},
    math,
    state::Job,
};

/// Settles a completed job: burn, fee, provider; collateral unlocked as completed; escrow
/// closed (its rent to the client; the job account is closed by Anchor).
///
/// The amount settled is the escrow's whole balance, `escrowed`: the price, plus anything
/// someone else sent to the escrow (which must not keep the job from closing).
#[allow(clippy::too_many_arguments)]
pub fn complete<'info>(
    job: &Account<'info, Job>,
    escrow: &Escrow<'_, 'info>,
    escrowed: u64,
    fee_vault: &AccountInfo<'info>,
    provider_token: &AccountInfo<'info>,
    client: &AccountInfo<'info>,
    collateral: &Collateral<'info>,
    finalized: bool,
) -> Result<()> {
    let s = math::settle(escrowed, job.burn_bps, job.fee_bps).ok_or(MarketError::MathOverflow)?;
    escrow.settle(&s, fee_vault, provider_token)?;
    collateral.unlock(job.collateral, JobOutcome::Completed)?;
    escrow.close(client)?;
    emit!(JobCompleted {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider: job.provider,
        price: job.price,
        burned: s.burned,
        fee: s.fee,
        paid: s.paid,
        finalized,
    });
    Ok(())
}

/// A dispute's outcome.
pub struct Verdict {
    pub provider_share_bps: u16,
    pub slash: u64,
    /// Burn the slash instead of paying it to the client.
    pub slash_burned: bool,
    pub by_default: bool,
}

/// Splits a disputed job's price (the client's part refunded first, the provider's part
/// settled like a completion), slashes, unlocks the rest of the collateral and closes.
/// Anything in the escrow beyond the price (sent by someone else) goes back with the client's
/// part, so the escrow always empties and closes.
#[allow(clippy::too_many_arguments)]
pub fn resolve<'info>(
    job: &Account<'info, Job>,
    escrow: &Escrow<'_, 'info>,
    escrowed: u64,
    fee_vault: &AccountInfo<'info>,
    provider_token: &AccountInfo<'info>,
    client_token: &AccountInfo<'info>,
    client: &AccountInfo<'info>,
    collateral: &Collateral<'info>,
    slash_accounts: Option<SlashAccounts<'info>>,
    v: Verdict,
) -> Result<()> {
    require!(v.provider_share_bps <= 10_000, MarketError::InvalidShare);
    require!(v.slash <= job.collateral, MarketError::SlashExceedsCollateral);
    let split = math::split(job.price, v.provider_share_bps).ok_or(MarketError::InvalidShare)?;
    let s = math::settle(split.provider_part, job.burn_bps, job.fee_bps)
        .ok_or(MarketError::MathOverflow)?;
    let refunded = escrowed.checked_sub(split.provider_part).ok_or(MarketError::MathOverflow)?;
    escrow.transfer(client_token, refunded)?;
    escrow.settle(&s, fee_vault, provider_token)?;
    if v.slash > 0 {
        let accounts = slash_accounts.ok_or(MarketError::SlashExceedsCollateral)?;
        collateral.slash(v.slash, accounts)?;
    }
    let outcome = if v.by_default {
        JobOutcome::Released
    } else if v.provider_share_bps == 10_000 && v.slash == 0 {
        JobOutcome::Completed
    } else {
        JobOutcome::Failed
    };
    collateral.unlock(job.collateral - v.slash, outcome)?;
    escrow.close(client)?;
    emit!(DisputeResolved {
        job: job.key(),
        market: job.market,
        client: job.client,
        provider: job.provider,
        price: job.price,
        provider_share_bps: v.provider_share_bps,
        refunded,
        burned: s.burned,
        fee: s.fee,
        paid: s.paid,
        slashed: v.slash,
        slash_burned: v.slash_burned && v.slash > 0,
        by_default: v.by_default,
    });
    Ok(())
}
