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
    /// Token account of `mint` where `sweep_fees` sends what the fee vault collected.
    pub treasury: Pubkey,
    pub bump: u8,
    /// Bump of the collateral PDA `["collateral"]`, the staking pools' locker.
    pub collateral_bump: u8,
    /// The fee vault: token account PDA `["fee_vault"]` of `mint`, authority this config.
    /// Settlements pay their fee here, so no account outside the programs can block them.
    pub fee_vault: Pubkey,
    pub fee_vault_bump: u8,
}

impl MarketConfig {
    pub const SEED: &'static [u8] = b"config";
    /// The PDA that signs lock, unlock and slash CPIs into the staking program.
    pub const COLLATERAL_SEED: &'static [u8] = b"collateral";
    pub const FEE_VAULT_SEED: &'static [u8] = b"fee_vault";
    /// The PDA that signs a settlement's burn record in a market's work-rewards pool.
    pub const WORK_RECORDER_SEED: &'static [u8] = b"work_recorder";

    /// Runs `f` with the config PDA's signer seeds (authority of the fee vault).
    pub fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let bump = [self.bump];
        let seeds: &[&[u8]] = &[Self::SEED, &bump];
        f(&[seeds])
    }
}
