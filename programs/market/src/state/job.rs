use anchor_lang::prelude::*;

/// Where a job stands. A job that is settled, refunded or cancelled is closed (its account is
/// gone; its events remain).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum JobState {
    /// Funded, waiting for a provider.
    Open,
    /// Taken: the provider's collateral is locked until the deadline.
    Running,
    /// Result submitted: the client may complete or dispute until the dispute deadline.
    Submitted,
    /// Disputed: the arbiter decides, or the default split applies after the window.
    Disputed,
}

/// A job and its terms. PDA `["job", market, client, nonce (u64 LE)]`; its escrow is the token
/// account PDA `["escrow", job]`, owned by this account.
///
/// The first fields have fixed offsets so that listings filter on the server (memcmp):
/// market at 8, client at 40, provider at 72, state at 104.
#[account]
#[derive(InitSpace, Debug)]
pub struct Job {
    pub market: Pubkey,
    pub client: Pubkey,
    /// `Pubkey::default()` while open.
    pub provider: Pubkey,
    pub state: JobState,
    /// Only this provider may accept; `Pubkey::default()` for anyone.
    pub target_provider: Pubkey,
    pub nonce: u64,
    pub price: u64,
    /// Collateral locked while the job runs: max(min_collateral, price × collateral_bps).
    pub collateral: u64,
    // The market's terms at creation: later market changes never touch this job.
    pub burn_bps: u16,
    pub fee_bps: u16,
    pub dispute_window_secs: u64,
    pub arbitration_window_secs: u64,
    pub default_dispute_split_bps: u16,
    pub expiry_slash_bps: u16,
    pub duration_secs: u64,
    /// Content hash of the job's specification (chosen by the client).
    pub spec_hash: [u8; 32],
    /// Content hash of the result (set by the provider).
    pub result_hash: [u8; 32],
    pub created_at: i64,
    pub accepted_at: i64,
    pub deadline: i64,
    pub submitted_at: i64,
    pub dispute_deadline: i64,
    pub disputed_at: i64,
    pub bump: u8,
    pub escrow_bump: u8,
}

impl Job {
    pub const SEED: &'static [u8] = b"job";
    pub const ESCROW_SEED: &'static [u8] = b"escrow";
    pub const MARKET_OFFSET: usize = 8;
    pub const CLIENT_OFFSET: usize = 40;
    pub const PROVIDER_OFFSET: usize = 72;
    pub const STATE_OFFSET: usize = 104;

    /// Runs `f` with the job PDA's signer seeds (authority of the escrow).
    pub fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let nonce = self.nonce.to_le_bytes();
        let bump = [self.bump];
        let seeds: &[&[u8]] =
            &[Self::SEED, self.market.as_ref(), self.client.as_ref(), &nonce, &bump];
        f(&[seeds])
    }

    pub fn has_provider(&self) -> bool {
        self.provider != Pubkey::default()
    }
}
