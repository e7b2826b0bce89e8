use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, math::BPS_DENOMINATOR, token::TokenAccountRef};

use crate::{
    error::EmissionsError,
    events::VaultCreated,
    payout::{check_new_recipients, RecipientArg},
    state::{EmissionVault, Recipient, MAX_RECIPIENTS},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CreateVaultArgs {
    /// Any id not yet used for this mint: the vault is PDA `["vault", mint, vault_id (LE)]`.
    pub vault_id: u64,
    /// Unix time at which hour 0 starts: at most one day in the past, ten years ahead.
    pub start_ts: i64,
    /// Tokens emitted in each hour of the first period, in base units (> 0).
    pub initial_per_hour: u64,
    /// Decay of the hourly rate at the end of each period, in basis points (0 to 10 000).
    pub decay_bps: u16,
    /// Hours per decay period (> 0).
    pub period_hours: u32,
    /// Most the vault will ever emit (> 0): transferred in full from `source` now.
    pub cap: u64,
    /// Whether the authority may later revoke the vault (fixed for its lifetime).
    pub revocable: bool,
    /// 1 to 8 recipients whose shares sum to 10 000 bps; their token accounts follow the
    /// instruction's accounts, in the same order, as remaining accounts.
    pub recipients: Vec<RecipientArg>,
    /// Seconds between a recipients proposal and its earliest execution (fixed for the
    /// vault's lifetime): at least 48 hours for a non-revocable vault, at most 30 days.
    pub recipients_delay_secs: u32,
}

#[derive(Accounts)]
#[instruction(args: CreateVaultArgs)]
pub struct CreateVault<'info> {
    /// Becomes the vault authority; pays the rent and funds the cap from `source`.
    #[account(mut)]
    pub authority: Signer<'info>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(
        init,
        payer = authority,
        space = 8 + EmissionVault::INIT_SPACE,
        seeds = [EmissionVault::SEED, mint.key().as_ref(), &args.vault_id.to_le_bytes()],
        bump,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,

    #[account(
        init,
        payer = authority,
        seeds = [EmissionVault::TOKEN_VAULT_SEED, vault.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = vault,
        token::token_program = token_program,
    )]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// The authority's token account of `mint` that funds the cap.
    #[account(
        mut,
        constraint = source.mint == mint.key() @ EmissionsError::WrongMint,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateVault<'_> {
    pub fn validate(&self, args: &CreateVaultArgs) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        crate::instructions::common::check_mint(&self.mint.to_account_info())?;
        require!(args.initial_per_hour > 0, EmissionsError::ZeroRate);
        require!(args.decay_bps <= BPS_DENOMINATOR, EmissionsError::DecayTooHigh);
        require!(args.period_hours > 0, EmissionsError::ZeroPeriod);
        require!(args.cap > 0, EmissionsError::ZeroCap);
        let earliest = now.saturating_sub(EmissionVault::MAX_START_IN_PAST_SECS);
        require!(args.start_ts >= earliest, EmissionsError::StartTooFarInPast);
        let latest = now.saturating_add(EmissionVault::MAX_START_IN_FUTURE_SECS);
        require!(args.start_ts <= latest, EmissionsError::StartTooFarInFuture);
        require!(
            args.revocable
                || args.recipients_delay_secs
                    >= EmissionVault::MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS,
            EmissionsError::RecipientsDelayTooShort
        );
        require!(
            args.recipients_delay_secs <= EmissionVault::MAX_RECIPIENTS_DELAY_SECS,
            EmissionsError::RecipientsDelayTooLong
        );
        Ok(())
    }
}

#[access_control(ctx.accounts.validate(&args))]
pub fn handler<'info>(
    ctx: Context<'_, '_, '_, 'info, CreateVault<'info>>,
    args: CreateVaultArgs,
) -> Result<()> {
    let accounts = ctx.accounts;
    let new = check_new_recipients(
        &args.recipients,
        ctx.remaining_accounts,
        &accounts.mint.key(),
        &accounts.token_program.key(),
        &accounts.token_vault.key(),
    )?;

    let recipients = new.recipients;
    let vault = &mut accounts.vault;
    let mut stored = [Recipient::default(); MAX_RECIPIENTS];
    stored[..recipients.len()].copy_from_slice(&recipients);
    let mut owners = [Pubkey::default(); MAX_RECIPIENTS];
    owners[..new.owners.len()].copy_from_slice(&new.owners);
    vault.set_inner(EmissionVault {
        authority: accounts.authority.key(),
        pending_authority: Pubkey::default(),
        mint: accounts.mint.key(),
        token_program: accounts.token_program.key(),
        token_vault: accounts.token_vault.key(),
        vault_id: args.vault_id,
        start_ts: args.start_ts,
        initial_per_hour: args.initial_per_hour,
        decay_bps: args.decay_bps,
        period_hours: args.period_hours,
        cap: args.cap,
        emitted_hours: 0,
        total_emitted: 0,
        cursor_period: 0,
        cursor_rate: args.initial_per_hour,
        recipients_base_emitted: 0,
        recipient_count: recipients.len() as u8,
        recipients: stored,
        revocable: args.revocable,
        revoked: false,
        paused: false,
        bump: ctx.bumps.vault,
        token_vault_bump: ctx.bumps.token_vault,
        recipients_delay_secs: args.recipients_delay_secs,
        recipient_owners: owners,
        proposed_recipient_count: 0,
        proposed_recipients: [Recipient::default(); MAX_RECIPIENTS],
        proposed_recipient_owners: [Pubkey::default(); MAX_RECIPIENTS],
        proposal_executable_at: 0,
    });
    vault.invariant()?;

    // The authority signs the transaction for its own token account.
    TokenAccountRef {
        token_program: &accounts.token_program.to_account_info(),
        mint: &accounts.mint.to_account_info(),
        decimals: accounts.mint.decimals,
        account: &accounts.source.to_account_info(),
        authority: &accounts.authority.to_account_info(),
        signer_seeds: &[],
    }
    .transfer(&accounts.token_vault.to_account_info(), args.cap)?;

    emit!(VaultCreated {
        vault: vault.key(),
        mint: vault.mint,
        authority: vault.authority,
        token_vault: vault.token_vault,
        vault_id: vault.vault_id,
        start_ts: vault.start_ts,
        initial_per_hour: vault.initial_per_hour,
        decay_bps: vault.decay_bps,
        period_hours: vault.period_hours,
        cap: vault.cap,
        revocable: vault.revocable,
        recipients,
        funded: args.cap,
        recipients_delay_secs: args.recipients_delay_secs,
        recipient_owners: new.owners,
    });
    Ok(())
}
