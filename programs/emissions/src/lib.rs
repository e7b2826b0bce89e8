//! Crucible emissions: vaults funded with their whole cap at creation that release a decaying
//! amount every hour to up to eight recipients (first of all the staking pool's reward vault).
//! See DESIGN.md ("Program: emissions") and this crate's README.
#![allow(unexpected_cfgs)]

pub mod error;
pub mod events;
pub mod instructions;
pub mod math;
pub mod payout;
pub mod state;
pub mod work;

use anchor_lang::prelude::*;

pub use instructions::*;
pub use payout::RecipientArg;

declare_id!("9fLxmCt8FpNCBC4tnBCS8evjnJ31fgxgz2qPDcwBoUS5");

#[program]
pub mod crucible_emissions {
    use super::*;

    // --- the vault's authority ---

    /// Creates an emission vault and transfers its whole cap into it from the authority's
    /// token account. The recipients' token accounts follow as remaining accounts.
    pub fn create_vault<'info>(
        ctx: Context<'_, '_, '_, 'info, CreateVault<'info>>,
        args: CreateVaultArgs,
    ) -> Result<()> {
        instructions::authority::create_vault::handler(ctx, args)
    }

    /// Replaces the recipients of a revocable vault at once, paying what is due to the current
    /// ones first, paused or not. Remaining accounts: the current recipients, then the new ones.
    pub fn update_recipients<'info>(
        ctx: Context<'_, '_, '_, 'info, UpdateRecipients<'info>>,
        recipients: Vec<RecipientArg>,
    ) -> Result<()> {
        instructions::authority::update_recipients::handler(ctx, recipients)
    }

    /// Proposes new recipients, executable after the vault's `recipients_delay_secs` (the only
    /// way to change a non-revocable vault's recipients). Remaining accounts: the new ones.
    pub fn propose_recipients<'info>(
        ctx: Context<'_, '_, '_, 'info, ProposeRecipients<'info>>,
        recipients: Vec<RecipientArg>,
    ) -> Result<()> {
        instructions::authority::propose_recipients::handler(ctx, recipients)
    }

    /// Withdraws the pending recipients proposal.
    pub fn cancel_recipients_proposal(ctx: Context<CancelRecipientsProposal>) -> Result<()> {
        instructions::authority::cancel_recipients_proposal::handler(ctx)
    }

    /// Pauses or resumes payments; hours keep accruing while paused and are paid on resume.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::authority::set_paused::handler(ctx, paused)
    }

    /// Ends a revocable vault: pays what is due, returns the rest to a token account.
    /// Remaining accounts: the recipients.
    pub fn revoke<'info>(ctx: Context<'_, '_, '_, 'info, Revoke<'info>>) -> Result<()> {
        instructions::authority::revoke::handler(ctx)
    }

    /// Closes a vault whose schedule is over, sweeping any leftover tokens; rents to the
    /// authority.
    pub fn close_vault(ctx: Context<CloseVault>) -> Result<()> {
        instructions::authority::close_vault::handler(ctx)
    }

    /// Proposes a new authority; the transfer completes when that key calls
    /// `accept_authority`.
    pub fn propose_authority(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
        instructions::authority::propose_authority::handler(ctx, new_authority)
    }

    /// Completes an authority transfer, signed by the proposed authority.
    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        instructions::authority::accept_authority::handler(ctx)
    }

    // --- anyone ---

    /// Pays every whole hour due since the last emission to the recipients (remaining
    /// accounts, in order). A no-op logging `EmissionEnded` once the schedule is over.
    pub fn emit<'info>(ctx: Context<'_, '_, '_, 'info, Emit<'info>>) -> Result<()> {
        instructions::crank::emit::handler(ctx)
    }

    /// Restores the token vault's balance up to what its schedule still has to pay.
    pub fn fund(ctx: Context<Fund>, amount: u64) -> Result<()> {
        instructions::crank::fund::handler(ctx, amount)
    }

    /// Installs the pending recipients proposal once its delay has passed, paying what is due
    /// to the current recipients first, paused or not. Remaining accounts: the current
    /// recipients, then the proposed ones.
    pub fn execute_recipients_proposal<'info>(
        ctx: Context<'_, '_, '_, 'info, ExecuteRecipientsProposal<'info>>,
    ) -> Result<()> {
        instructions::crank::execute_recipients_proposal::handler(ctx)
    }

    /// Replaces recipient `index`'s token account by another of the same owner and mint (its
    /// owner at any time; anyone once the old account can no longer receive).
    pub fn replace_recipient_account(
        ctx: Context<ReplaceRecipientAccount>,
        index: u8,
    ) -> Result<()> {
        instructions::crank::replace_recipient_account::handler(ctx, index)
    }

    // --- work-rewards pools ---

    /// Creates a work-rewards pool for an emission vault (which may not exist yet): anyone
    /// may; the pool has no authority, and its cap, destination and recorder never change.
    pub fn create_work_pool(ctx: Context<CreateWorkPool>, args: CreateWorkPoolArgs) -> Result<()> {
        instructions::work::create_work_pool::handler(ctx, args)
    }

    /// Records a settlement's burn for its provider in the current emission hour; signed by
    /// the pool's recorder (the market program, through CPI).
    pub fn record_burn(ctx: Context<RecordBurn>, provider: Pubkey, burned: u64) -> Result<()> {
        instructions::work::record_burn::handler(ctx, provider, burned)
    }

    /// Finalizes the pool's next hours (permissionless; remaining accounts: their `WorkHour`
    /// addresses, in order) and pays the destination what they leave.
    pub fn crank_work_pool<'info>(
        ctx: Context<'_, '_, '_, 'info, CrankWorkPool<'info>>,
    ) -> Result<()> {
        instructions::work::crank_work_pool::handler(ctx)
    }

    /// Pays a provider its work reward for a finalized hour and closes its record
    /// (permissionless; a claimed record is gone, so nothing is ever paid twice).
    pub fn claim_work_reward(ctx: Context<ClaimWorkReward>) -> Result<()> {
        instructions::work::claim_work_reward::handler(ctx)
    }

    /// Closes a fully claimed hour's record, its rent back to its payer (permissionless).
    pub fn close_work_hour(ctx: Context<CloseWorkHour>) -> Result<()> {
        instructions::work::close_work_hour::handler(ctx)
    }
}
