use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::WorkPoolCreated,
    instructions::common::check_mint,
    math::BPS,
    state::{EmissionVault, WorkPool},
};

use super::records::live_vault;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CreateWorkPoolArgs {
    /// Any id not yet used for this mint: the pool is PDA `["work_pool", mint, pool_id (LE)]`.
    pub pool_id: u64,
    /// The emission vault whose hours the pool follows: `["vault", mint, vault_id]`. It may be
    /// created after the pool (so that the vault can name the pool's token account as a
    /// recipient from the start).
    pub vault_id: u64,
    /// Most of an hour's burn paid back as work rewards: 1 to 10 000 basis points.
    pub cap_bps: u16,
    /// The only signer that may record burns: the market program's `["work_recorder"]` PDA.
    pub recorder: Pubkey,
}

#[derive(Accounts)]
#[instruction(args: CreateWorkPoolArgs)]
pub struct CreateWorkPool<'info> {
    /// Pays the rent; has no powers over the pool.
    #[account(mut)]
    pub creator: Signer<'info>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(
        init,
        payer = creator,
        space = 8 + WorkPool::INIT_SPACE,
        seeds = [WorkPool::SEED, mint.key().as_ref(), &args.pool_id.to_le_bytes()],
        bump,
    )]
    pub pool: Box<Account<'info, WorkPool>>,

    /// The pool's token account, `["work_tokens", pool]`: the recipient a vault pays.
    #[account(
        init,
        payer = creator,
        seeds = [WorkPool::TOKEN_VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = pool,
        token::token_program = token_program,
    )]
    pub pool_tokens: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: the vault PDA of `mint` and `args.vault_id` (seeds checked); it may not exist yet.
    #[account(
        seeds = [EmissionVault::SEED, mint.key().as_ref(), &args.vault_id.to_le_bytes()],
        bump,
    )]
    pub emission_vault: UncheckedAccount<'info>,

    /// Where what is not distributed goes, fixed for the pool's life (by default the staking
    /// pool's reward vault): a token account of the mint.
    #[account(
        constraint = destination.mint == mint.key() @ EmissionsError::WrongWorkDestination,
        constraint = destination.key() != pool_tokens.key() @ EmissionsError::WrongWorkDestination,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateWorkPool<'_> {
    pub fn validate(&self, args: &CreateWorkPoolArgs) -> Result<()> {
        check_mint(&self.mint.to_account_info())?;
        require!(
            args.cap_bps > 0 && u64::from(args.cap_bps) <= BPS,
            EmissionsError::InvalidWorkCap
        );
        require_keys_neq!(args.recorder, Pubkey::default(), EmissionsError::NotTheRecorder);
        Ok(())
    }
}

/// Creates a work-rewards pool and its token vault. If the emission vault exists, the pool
/// follows it from its next unpaid hour; otherwise from hour 0 once it is created.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<CreateWorkPool>, args: CreateWorkPoolArgs) -> Result<()> {
    let a = ctx.accounts;
    let mut pool = WorkPool {
        pool_id: args.pool_id,
        creator: a.creator.key(),
        mint: a.mint.key(),
        token_program: a.token_program.key(),
        token_vault: a.pool_tokens.key(),
        emission_vault: a.emission_vault.key(),
        destination: a.destination.key(),
        recorder: args.recorder,
        cap_bps: args.cap_bps,
        started: false,
        vault_start_ts: 0,
        cursor_hours: 0,
        cursor_total: 0,
        cursor_period: 0,
        cursor_rate: 0,
        range_end: 0,
        range_start_total: 0,
        range_weight: 0,
        range_amount: 0,
        reserved: 0,
        owed_to_destination: 0,
        total_received: 0,
        total_claimed: 0,
        total_to_destination: 0,
        bump: ctx.bumps.pool,
        token_vault_bump: ctx.bumps.pool_tokens,
    };
    if let Some(vault) = live_vault(&a.emission_vault.to_account_info(), &pool, ctx.program_id) {
        pool.started = true;
        pool.vault_start_ts = vault.start_ts;
        pool.set_cursor(vault.progress());
        pool.range_end = vault.emitted_hours;
        pool.range_start_total = vault.total_emitted;
    }
    pool.invariant()?;
    a.pool.set_inner(pool);
    let pool = &a.pool;
    emit!(WorkPoolCreated {
        pool: pool.key(),
        pool_id: pool.pool_id,
        creator: pool.creator,
        mint: pool.mint,
        token_vault: pool.token_vault,
        emission_vault: pool.emission_vault,
        destination: pool.destination,
        recorder: pool.recorder,
        cap_bps: pool.cap_bps,
        from_hour: pool.cursor_hours,
    });
    Ok(())
}
