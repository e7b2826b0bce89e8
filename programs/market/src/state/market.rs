use anchor_lang::prelude::*;

use crucible_common::math::BPS_DENOMINATOR;

use crate::error::MarketError;

/// A market: one kind of compute with its terms. PDA `["market", market_id (u64 LE)]`.
/// Nothing here is written on the job path.
#[account]
#[derive(InitSpace, Debug)]
pub struct Market {
    pub market_id: u64,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    /// The staking pool whose providers serve this market (its locker is our collateral PDA).
    pub staking_pool: Pubkey,
    /// Decides disputes.
    pub arbiter: Pubkey,
    /// UTF-8, zero-padded.
    pub name: [u8; 32],
    pub params: MarketParams,
    pub paused: bool,
    pub bump: u8,
    /// Bump of the collateral PDA (copied from the config, so jobs need not read it).
    pub collateral_bump: u8,
    /// `None`: jobs are priced in tokens (`create_job`). `Some`: in micro-USD against a pinned
    /// Pyth feed (`create_job_usd`). Fixed at creation: no update may swap the feed.
    pub usd_pricing: Option<UsdPricing>,
    /// The work-rewards pool every settlement's burn is recorded in (an emissions-program
    /// `WorkPool` of this mint whose recorder is our `["work_recorder"]` PDA), or `None`.
    /// Fixed at creation.
    pub work_pool: Option<Pubkey>,
    /// Bump of the `["work_recorder"]` PDA that signs the records.
    pub work_recorder_bump: u8,
}

impl Market {
    pub const SEED: &'static [u8] = b"market";
}

/// How a USD-priced market reads its token/USD price (see `crucible_common::pyth`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct UsdPricing {
    /// The Pyth price feed id of the token/USD price.
    pub feed_id: [u8; 32],
    /// A price update older than this (against the chain clock) is refused.
    pub max_age_secs: u32,
    /// A confidence interval wider than this share of the price is refused.
    pub max_conf_bps: u16,
}

/// The longest price age a market may accept: an hour.
pub const MAX_PRICE_AGE_SECS: u32 = 3_600;

impl UsdPricing {
    pub fn validate(&self) -> Result<()> {
        require!(self.feed_id != [0; 32], MarketError::InvalidUsdPricing);
        require!(
            (1..=MAX_PRICE_AGE_SECS).contains(&self.max_age_secs),
            MarketError::InvalidUsdPricing
        );
        require!((1..BPS_DENOMINATOR).contains(&self.max_conf_bps), MarketError::InvalidUsdPricing);
        Ok(())
    }
}

/// A market's terms, all bounded (see `validate`). Jobs copy what concerns them at creation.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct MarketParams {
    /// Active stake a provider needs to take jobs here.
    pub min_provider_stake: u64,
    /// Collateral per job = max(min_collateral, price × collateral_bps / 10 000).
    pub collateral_bps: u16,
    /// At least 1: every job locks some collateral.
    pub min_collateral: u64,
    /// Share of a settled amount burned.
    pub burn_bps: u16,
    /// Share of a settled amount paid to the fee vault (swept to the treasury).
    pub fee_bps: u16,
    /// Longest job duration a client may ask for.
    pub max_duration_secs: u64,
    /// Time the client has to dispute a submitted result.
    pub dispute_window_secs: u64,
    /// Time the arbiter has to resolve a dispute before anyone can apply the default split.
    pub arbitration_window_secs: u64,
    /// Provider's share of the price when a dispute times out.
    pub default_dispute_split_bps: u16,
    /// Share of the collateral slashed to the client when a job expires (or is quit late).
    pub expiry_slash_bps: u16,
    /// A job's lifetime: every deadline falls within `created_at + job_lifetime_secs`, after
    /// which the client can always take its payment back. At least `max_duration_secs`.
    pub job_lifetime_secs: u64,
    /// Time after an acceptance during which the provider may quit for free (capped at half
    /// the job's duration); a later quit costs the expiry slash.
    pub quit_grace_secs: u64,
}

pub const MIN_WINDOW_SECS: u64 = 60;
pub const MAX_DURATION_SECS: u64 = 30 * 24 * 3600;
pub const MAX_DISPUTE_WINDOW_SECS: u64 = 30 * 24 * 3600;
pub const MAX_ARBITRATION_WINDOW_SECS: u64 = 90 * 24 * 3600;
pub const MAX_JOB_LIFETIME_SECS: u64 = 120 * 24 * 3600;
pub const MAX_QUIT_GRACE_SECS: u64 = 24 * 3600;

impl MarketParams {
    pub fn validate(&self) -> Result<()> {
        require!(self.min_provider_stake > 0, MarketError::InvalidMinProviderStake);
        require!(self.min_collateral > 0, MarketError::InvalidMinCollateral);
        require!(self.collateral_bps <= BPS_DENOMINATOR, MarketError::InvalidBps);
        require!(
            u32::from(self.burn_bps) + u32::from(self.fee_bps) <= u32::from(BPS_DENOMINATOR),
            MarketError::InvalidFeeSplit
        );
        require!(
            (MIN_WINDOW_SECS..=MAX_DURATION_SECS).contains(&self.max_duration_secs),
            MarketError::InvalidWindow
        );
        require!(
            (MIN_WINDOW_SECS..=MAX_DISPUTE_WINDOW_SECS).contains(&self.dispute_window_secs),
            MarketError::InvalidWindow
        );
        require!(
            (MIN_WINDOW_SECS..=MAX_ARBITRATION_WINDOW_SECS).contains(&self.arbitration_window_secs),
            MarketError::InvalidWindow
        );
        require!(self.default_dispute_split_bps <= BPS_DENOMINATOR, MarketError::InvalidBps);
        require!(self.expiry_slash_bps <= BPS_DENOMINATOR, MarketError::InvalidBps);
        require!(
            (self.max_duration_secs..=MAX_JOB_LIFETIME_SECS).contains(&self.job_lifetime_secs),
            MarketError::InvalidJobLifetime
        );
        require!(
            self.quit_grace_secs <= MAX_QUIT_GRACE_SECS
                && self.quit_grace_secs <= self.max_duration_secs,
            MarketError::InvalidQuitGrace
        );
        Ok(())
    }
}

/// A market name as stored: 1 to 32 bytes of UTF-8, zero-padded.
pub fn encode_name(name: &str) -> Result<[u8; 32]> {
    let bytes = name.as_bytes();
    require!(!bytes.is_empty() && bytes.len() <= 32, MarketError::InvalidName);
    require!(!bytes.contains(&0), MarketError::InvalidName);
    let mut out = [0u8; 32];
    out[..bytes.len()].copy_from_slice(bytes);
    Ok(out)
}
