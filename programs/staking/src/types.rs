//! Types of the instructions' arguments and events that are not accounts.
use anchor_lang::prelude::*;

/// How a job that held collateral ended, as counted on the provider.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum JobOutcome {
    /// Completed and settled: counts in `jobs_completed`.
    Completed,
    /// Failed (expired, lost a dispute): counts in `jobs_failed`.
    Failed,
    /// Released without a verdict (the provider quit before working): not counted.
    Released,
}
