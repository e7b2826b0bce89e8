use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, token::TokenAccountRef};

use crate::{error::MarketError, events::FeesSwept, state::MarketConfig};

#[derive(Accounts)]
pub struct SweepFees<'info> {
    /// Anyone: the fees can only go to the treasury the admin chose.
    pub cranker: Signer<'info>,

    #[account(
        seeds = [MarketConfig::SEED],
        bump = config.bump,
        has_one = mint @ MarketError::WrongMint,
        has_one = treasury @ MarketError::WrongTreasury,
        has_one = fee_vault @ MarketError::WrongFeeVault,
    )]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(mut)]
    pub fee_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mut)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    pub token_program: Interface<'info, TokenInterface>,
}

/// Moves everything the fee vault holds to the configured treasury (nothing for an empty
/// vault). Settlements never touch the treasury, so whatever happens to it (closed, frozen
/// for memos, re-pointed) only delays this sweep.
pub fn handler(ctx: Context<SweepFees>) -> Result<()> {
    let a = &ctx.accounts;
    let amount = a.fee_vault.amount;
    a.config.with_signer(|signer_seeds| {
        TokenAccountRef {
            token_program: &a.token_program.to_account_info(),
            mint: &a.mint.to_account_info(),
            decimals: a.mint.decimals,
            account: &a.fee_vault.to_account_info(),
            authority: &a.config.to_account_info(),
            signer_seeds,
        }
        .transfer(&a.treasury.to_account_info(), amount)
    })?;
    emit!(FeesSwept { fee_vault: a.fee_vault.key(), treasury: a.treasury.key(), amount });
    Ok(())
}
