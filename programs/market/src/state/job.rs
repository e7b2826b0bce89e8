use anchor_lang::prelude::*;

use crate::error::MarketError;

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
    // Appended after the original layout (the memcmp offsets above do not move).
    /// `created_at + job_lifetime_secs`: no deadline falls after it, so from then on the client
    /// can always cancel (open) or reclaim (running) the payment.
    pub lifetime_ends_at: i64,
    /// Free quit window after an acceptance: the market's grace, capped at half the duration.
    pub quit_grace_secs: u64,
    /// Providers that quit this job; none of them may accept it again.
    pub quitters: [Pubkey; Job::MAX_QUITTERS],
    pub quitter_count: u8,
    /// The market's arbiter when the dispute opened (`Pubkey::default()` before): only it
    /// resolves this dispute, whatever later market updates say.
    pub arbiter: Pubkey,
}

impl Job {
    pub const SEED: &'static [u8] = b"job";
    pub const ESCROW_SEED: &'static [u8] = b"escrow";
    pub const MARKET_OFFSET: usize = 8;
    pub const CLIENT_OFFSET: usize = 40;
    pub const PROVIDER_OFFSET: usize = 72;
    pub const STATE_OFFSET: usize = 104;
    /// How many providers may quit one job; a further quit is refused.
    pub const MAX_QUITTERS: usize = 4;

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

    /// The deadline an acceptance at `now` sets; it never falls after the job's lifetime.
    pub fn deadline_if_accepted(&self, now: i64) -> Result<i64> {
        let duration = i64::try_from(self.duration_secs).map_err(|_| MarketError::MathOverflow)?;
        let deadline = now.checked_add(duration).ok_or(MarketError::MathOverflow)?;
        require!(deadline <= self.lifetime_ends_at, MarketError::LifetimeExceeded);
        Ok(deadline)
    }

    /// Whether `provider` quit this job before.
    pub fn has_quit(&self, provider: &Pubkey) -> bool {
        self.quitters[..usize::from(self.quitter_count)].contains(provider)
    }

    /// A quit at `now` is free within the grace window after the acceptance; later it costs
    /// the expiry slash.
    pub fn quit_is_free(&self, now: i64) -> Result<bool> {
        let grace = i64::try_from(self.quit_grace_secs).map_err(|_| MarketError::MathOverflow)?;
        Ok(now <= self.accepted_at.checked_add(grace).ok_or(MarketError::MathOverflow)?)
    }

    /// Running → Open: the provider leaves and is recorded as a quitter.
    pub fn quit(&mut self) -> Result<()> {
        let n = usize::from(self.quitter_count);
        require!(n < Self::MAX_QUITTERS, MarketError::QuitLimitReached);
        self.quitters[n] = self.provider;
        self.quitter_count = self.quitter_count.checked_add(1).ok_or(MarketError::MathOverflow)?;
        self.provider = Pubkey::default();
        self.accepted_at = 0;
        self.deadline = 0;
        self.state = JobState::Open;
        Ok(())
    }
}
