use anchor_lang::prelude::*;

/// The market program's global settings. PDA `["config"]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct MarketConfig {
    pub admin: Pubkey,
    /// Proposed next admin (two-step transfer); `Pubkey::default()` when none.
    pub pending_admin: Pubkey,
    /// The network token: every market's mint.
    pub mint: Pubkey,
    /// Token account of `mint` that receives the fee share of every settlement.
    pub treasury: Pubkey,
    pub bump: u8,
    /// Bump of the collateral PDA `["collateral"]`, the staking pools' locker.
    pub collateral_bump: u8,
}

impl MarketConfig {
    pub const SEED: &'static [u8] = b"config";
    /// The PDA that signs lock, unlock and slash CPIs into the staking program.
    pub const COLLATERAL_SEED: &'static [u8] = b"collateral";
}
