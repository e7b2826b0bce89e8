use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, mint::MintRejection};

use crate::{error::MarketError, events::ConfigInitialized, state::MarketConfig};

#[derive(Accounts)]
pub struct InitConfig<'info> {
    /// The mint authority of the network token; becomes the admin and pays the rent.
    #[account(mut)]
    pub admin: Signer<'info>,

    #[account(
        init,
        payer = admin,
        space = 8 + MarketConfig::INIT_SPACE,
        seeds = [MarketConfig::SEED],
        bump,
    )]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(constraint = treasury.mint == mint.key() @ MarketError::WrongMint)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Where every settlement pays its fee: a token account of the mint owned by the config,
    /// which only `sweep_fees` empties (into the treasury).
    #[account(
        init,
        payer = admin,
        seeds = [MarketConfig::FEE_VAULT_SEED],
        bump,
        token::mint = mint,
        token::authority = config,
        token::token_program = token_program,
    )]
    pub fee_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl InitConfig<'_> {
    /// The config is unique, so whoever creates it picks the admin: only the network token's
    /// mint authority may.
    pub fn validate(&self) -> Result<()> {
        require!(
            self.mint.mint_authority == Some(self.admin.key()).into(),
            MarketError::NotMintAuthority
        );
        crucible_common::mint::check_mint(&self.mint.to_account_info()).map_err(|r| match r {
            MintRejection::NotAMint => MarketError::InvalidMint,
            MintRejection::Extension(_) => MarketError::UnsupportedMintExtension,
            MintRejection::FreezeAuthority => MarketError::MintHasFreezeAuthority,
            MintRejection::CloseAuthority => MarketError::MintHasCloseAuthority,
        })?;
        Ok(())
    }
}

pub fn handler(ctx: Context<InitConfig>) -> Result<()> {
    let (collateral_authority, collateral_bump) =
        Pubkey::find_program_address(&[MarketConfig::COLLATERAL_SEED], ctx.program_id);
    ctx.accounts.config.set_inner(MarketConfig {
        admin: ctx.accounts.admin.key(),
        pending_admin: Pubkey::default(),
        mint: ctx.accounts.mint.key(),
        treasury: ctx.accounts.treasury.key(),
        bump: ctx.bumps.config,
        collateral_bump,
        fee_vault: ctx.accounts.fee_vault.key(),
        fee_vault_bump: ctx.bumps.fee_vault,
    });
    emit!(ConfigInitialized {
        admin: ctx.accounts.admin.key(),
        mint: ctx.accounts.mint.key(),
        treasury: ctx.accounts.treasury.key(),
        collateral_authority,
        fee_vault: ctx.accounts.fee_vault.key(),
    });
    Ok(())
}
