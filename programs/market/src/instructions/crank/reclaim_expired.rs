use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::{
    error::MarketError,
    // The composite accounts, with what Anchor generates for them.
    instructions::settle::*,
    state::JobState,
};

#[derive(Accounts)]
pub struct ReclaimExpired<'info> {
    /// Anyone: usually the client, or a crank.
    pub cranker: Signer<'info>,

    /// CHECK: the job's client (checked against the job); receives the rent with the refund.
    #[account(mut, constraint = settle.is_client(&client.key(), MarketError::WrongClientAccount)?)]
    pub client: UncheckedAccount<'info>,

    pub settle: SettleJob<'info>,

    /// Receives the refund and the expiry slash.
    #[account(mut, constraint = settle.is_client_account(&client_token)?)]
    pub client_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// The market's pool and its vaults, for the expiry slash.
    #[account(constraint = vaults.staking_pool.key() == settle.market.staking_pool @ MarketError::ForeignStakeAccount)]
    pub vaults: SlashVaults<'info>,
}

impl ReclaimExpired<'_> {
    pub fn validate(&self) -> Result<()> {
        let job = &self.settle.job;
        job.require_state(JobState::Running)?;
        let now = Clock::get()?.unix_timestamp;
        require!(job.deadline_passed(now), MarketError::NotExpired);
        Ok(())
    }
}

/// A running job past its deadline without a result: the whole price back to the client,
/// `expiry_slash_bps` of the collateral slashed to the client, the rest unlocked.
pub fn handler(ctx: Context<ReclaimExpired>) -> Result<()> {
    let a = &ctx.accounts;
    a.settle.expire(&a.client_token, &a.vaults, &a.client.to_account_info())
}
