use anchor_lang::prelude::*;
use crucible_common::math::{bps_floor, BPS_DENOMINATOR};

use crate::{
    error::MarketError,
    math::{self, after, OrOverflow, SafeMath},
    state::MarketParams,
};

/// Where a job stands. A job that is settled, refunded or cancelled is closed (its account is
/// gone; its events remain). The transitions between states are methods of [`Job`]:
///
/// ```text
/// Open      --accept--> Running --submit--> Submitted --dispute--> Disputed
/// Running   --reopen (a quit)--> Open
/// Open: cancel; Running past the deadline: reclaim; Submitted: complete, or finalize after
/// the dispute window; Disputed: resolve, or the default split after the arbitration window.
/// The closing ones close the account (instructions/settle.rs, cancel_job).
/// ```
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
    /// A job of a USD-priced market: its USD price and the Pyth price its token amount was
    /// fixed at (`price` above is what that came to). `None` for a token-priced job.
    pub usd_quote: Option<UsdQuote>,
}

/// The USD price of a job and the rate it was converted at.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct UsdQuote {
    pub micro_usd: u64,
    /// Pyth's price, confidence and exponent (value = price × 10^exponent USD per token), and
    /// when it was published; the amount is at `price − conf`, rounded up.
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
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

    /// A job just posted (`create_job`): open, the market's terms copied, its collateral and
    /// lifetime computed.
    pub fn open(new: NewJob, params: &MarketParams, now: i64) -> Result<Job> {
        let collateral = math::collateral(new.price, params.collateral_bps, params.min_collateral)
            .or_overflow()?;
        let lifetime_ends_at = after(now, params.job_lifetime_secs)?;
        Ok(Job {
            market: new.market,
            client: new.client,
            provider: Pubkey::default(),
            state: JobState::Open,
            target_provider: new.target_provider,
            nonce: new.nonce,
            price: new.price,
            collateral,
            burn_bps: params.burn_bps,
            fee_bps: params.fee_bps,
            dispute_window_secs: params.dispute_window_secs,
            arbitration_window_secs: params.arbitration_window_secs,
            default_dispute_split_bps: params.default_dispute_split_bps,
            expiry_slash_bps: params.expiry_slash_bps,
            duration_secs: new.duration_secs,
            spec_hash: new.spec_hash,
            result_hash: [0; 32],
            created_at: now,
            accepted_at: 0,
            deadline: 0,
            submitted_at: 0,
            dispute_deadline: 0,
            disputed_at: 0,
            bump: new.bump,
            escrow_bump: new.escrow_bump,
            lifetime_ends_at,
            // Half the duration at most: a quit in the second half of a job is never free.
            quit_grace_secs: params.quit_grace_secs.min(new.duration_secs / 2),
            quitters: [Pubkey::default(); Job::MAX_QUITTERS],
            quitter_count: 0,
            arbiter: Pubkey::default(),
            usd_quote: new.usd_quote,
        })
    }

    /// Runs `f` with the job PDA's signer seeds (authority of the escrow).
    pub fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let nonce = self.nonce.to_le_bytes();
        let bump = [self.bump];
        let seeds: &[&[u8]] =
            &[Self::SEED, self.market.as_ref(), self.client.as_ref(), &nonce, &bump];
        f(&[seeds])
    }

    // --- where the job stands ---

    /// Refuses a job in any other state, with the error that names the state it needed.
    pub fn require_state(&self, state: JobState) -> Result<()> {
        let error = match state {
            JobState::Open => MarketError::JobNotOpen,
            JobState::Running => MarketError::JobNotRunning,
            JobState::Submitted => MarketError::JobNotSubmitted,
            JobState::Disputed => MarketError::JobNotDisputed,
        };
        if self.state != state {
            return Err(error!(error));
        }
        Ok(())
    }

    pub fn has_provider(&self) -> bool {
        self.provider != Pubkey::default()
    }

    /// Whether `provider` quit this job before.
    pub fn has_quit(&self, provider: &Pubkey) -> bool {
        self.quitters[..usize::from(self.quitter_count)].contains(provider)
    }

    /// Whether another quit may be recorded.
    pub fn can_quit_again(&self) -> bool {
        usize::from(self.quitter_count) < Self::MAX_QUITTERS
    }

    // --- the time predicates: each comparison is written here and nowhere else ---

    /// The deadline has passed: no more results or quits, only the expiry (at `now ==
    /// deadline` the provider still has its last second).
    pub fn deadline_passed(&self, now: i64) -> bool {
        now > self.deadline
    }

    /// The client may still dispute (up to the dispute deadline included); once it is closed,
    /// anyone may finalize.
    pub fn dispute_window_open(&self, now: i64) -> bool {
        now <= self.dispute_deadline
    }

    /// The arbiter may still decide (up to `disputed_at + arbitration_window_secs` included);
    /// after it, anyone may apply the default split.
    pub fn arbitration_window_open(&self, now: i64) -> Result<bool> {
        Ok(now <= after(self.disputed_at, self.arbitration_window_secs)?)
    }

    /// No deadline falls after the job's lifetime.
    pub fn within_lifetime(&self, deadline: i64) -> bool {
        deadline <= self.lifetime_ends_at
    }

    /// A quit at `now` is free within the grace window after the acceptance (its last second
    /// included); later it costs the expiry slash.
    pub fn quit_is_free(&self, now: i64) -> Result<bool> {
        Ok(now <= after(self.accepted_at, self.quit_grace_secs)?)
    }

    /// The deadline an acceptance at `now` sets; it never falls after the job's lifetime.
    pub fn deadline_if_accepted(&self, now: i64) -> Result<i64> {
        let deadline = after(now, self.duration_secs)?;
        require!(self.within_lifetime(deadline), MarketError::LifetimeExceeded);
        Ok(deadline)
    }

    /// What an expiry (or a late quit) slashes: `expiry_slash_bps` of the collateral.
    pub fn expiry_slash(&self) -> Result<u64> {
        bps_floor(self.collateral, self.expiry_slash_bps).or_overflow()
    }

    // --- the transitions (the handler validated first; each checks the state it leaves) ---

    /// Open → Running: `provider` took the job at `now`.
    pub fn accept(&mut self, provider: Pubkey, now: i64) -> Result<()> {
        self.require_state(JobState::Open)?;
        let deadline = self.deadline_if_accepted(now)?;
        self.provider = provider;
        self.accepted_at = now;
        self.deadline = deadline;
        self.state = JobState::Running;
        Ok(())
    }

    /// Running → Submitted: the result came in at `now`; the dispute window starts.
    pub fn submit(&mut self, result_hash: [u8; 32], now: i64) -> Result<()> {
        self.require_state(JobState::Running)?;
        let dispute_deadline = after(now, self.dispute_window_secs)?;
        self.result_hash = result_hash;
        self.submitted_at = now;
        self.dispute_deadline = dispute_deadline;
        self.state = JobState::Submitted;
        Ok(())
    }

    /// Submitted → Disputed: the client contests at `now`; `arbiter` (the market's now)
    /// decides.
    pub fn dispute(&mut self, arbiter: Pubkey, now: i64) -> Result<()> {
        self.require_state(JobState::Submitted)?;
        self.state = JobState::Disputed;
        self.disputed_at = now;
        self.arbiter = arbiter;
        Ok(())
    }

    /// Running → Open (a quit): the provider leaves and is recorded as a quitter.
    pub fn reopen(&mut self) -> Result<()> {
        self.require_state(JobState::Running)?;
        require!(self.can_quit_again(), MarketError::QuitLimitReached);
        let n = usize::from(self.quitter_count);
        self.quitters[n] = self.provider;
        self.quitter_count = self.quitter_count.safe_add(1)?;
        self.provider = Pubkey::default();
        self.accepted_at = 0;
        self.deadline = 0;
        self.state = JobState::Open;
        Ok(())
    }

    // --- what always holds ---

    /// What must hold of every job between instructions; every handler that writes a job
    /// checks it after the write (`JobInvariantViolated` otherwise). It relies on nothing
    /// the clock does (a job's timestamps are only compared with the deadlines derived from
    /// them).
    pub fn invariant(&self) -> Result<()> {
        require!(self.holds(), MarketError::JobInvariantViolated);
        Ok(())
    }

    fn holds(&self) -> bool {
        let n = usize::from(self.quitter_count);
        let bps_ok = u32::from(self.burn_bps) + u32::from(self.fee_bps)
            <= u32::from(BPS_DENOMINATOR)
            && self.default_dispute_split_bps <= BPS_DENOMINATOR
            && self.expiry_slash_bps <= BPS_DENOMINATOR;
        let terms_ok = self.price > 0
            && self.collateral > 0
            && self.duration_secs > 0
            && self.quit_grace_secs <= self.duration_secs / 2
            && self.lifetime_ends_at >= self.created_at;
        let quitters_ok = n <= Self::MAX_QUITTERS
            && self.quitters[n..].iter().all(|q| *q == Pubkey::default())
            && !self.has_quit(&self.client);
        let untaken = !self.has_provider() && self.accepted_at == 0 && self.deadline == 0;
        let taken = self.has_provider()
            && self.provider != self.client
            && !self.has_quit(&self.provider)
            && after(self.accepted_at, self.duration_secs).ok() == Some(self.deadline)
            && self.within_lifetime(self.deadline);
        let not_submitted =
            self.submitted_at == 0 && self.dispute_deadline == 0 && self.result_hash == [0; 32];
        let submitted = self.submitted_at <= self.deadline
            && after(self.submitted_at, self.dispute_window_secs).ok()
                == Some(self.dispute_deadline);
        let not_disputed = self.disputed_at == 0 && self.arbiter == Pubkey::default();
        let disputed = self.disputed_at <= self.dispute_deadline;
        let state_ok = match self.state {
            JobState::Open => untaken && not_submitted && not_disputed,
            JobState::Running => taken && not_submitted && not_disputed,
            JobState::Submitted => taken && submitted && not_disputed,
            JobState::Disputed => taken && submitted && disputed,
        };
        bps_ok && terms_ok && quitters_ok && state_ok
    }
}

/// What a client chooses when it posts a job, and the bumps of its two accounts.
pub struct NewJob {
    pub market: Pubkey,
    pub client: Pubkey,
    pub nonce: u64,
    pub price: u64,
    pub duration_secs: u64,
    pub spec_hash: [u8; 32],
    /// `Pubkey::default()` for anyone.
    pub target_provider: Pubkey,
    pub bump: u8,
    pub escrow_bump: u8,
    pub usd_quote: Option<UsdQuote>,
}
