use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::emit;

use crate::{
    error::EmissionsError,
    events::VaultClosed,
    payout::{end_reason, VaultTokens},
    state::EmissionVault,
};

#[derive(Accounts)]
pub struct CloseVault<'info> {
    /// Receives the rent of the vault and of its token account.
    #[account(mut)]
    pub authority: Signer<'info>,

    #[account(
        mut,
        close = authority,
        seeds = [EmissionVault::SEED, vault.mint.as_ref(), &vault.vault_id.to_le_bytes()],
        bump = vault.bump,
        has_one = authority @ EmissionsError::NotAuthority,
    )]
    pub vault: Box<Account<'info, EmissionVault>>,

    #[account(address = vault.mint @ EmissionsError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// Emptied into `destination`, then closed.
    #[account(mut, address = vault.token_vault @ ErrorCode::ConstraintHasOne)]
    pub token_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any token account of the mint but the vault's own (checked in `validate`): receives
    /// whatever the token vault still holds (tokens sent to it directly, or the part of the cap
    /// a rate decayed to zero never emitted).
    #[account(mut)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(address = vault.token_program @ EmissionsError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl CloseVault<'_> {
    pub fn validate(&self) -> Result<()> {
        self.vault.check_destination(&self.destination)?;
        require!(self.vault.ended(), EmissionsError::VaultNotEmpty);
        Ok(())
    }
}

/// Closes a vault whose schedule is over (cap reached, rate decayed to zero, or revoked):
/// sweeps what its token account still holds to `destination`, closes the token account and
/// the vault, and returns both rents to the authority.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CloseVault>) -> Result<()> {
    let accounts = ctx.accounts;
    let swept = accounts.token_vault.amount;
    let tokens = VaultTokens::new(
        &mut accounts.vault,
        &accounts.token_vault,
        &accounts.mint,
        &accounts.token_program,
    );
    tokens.transfer(accounts.destination.to_account_info(), swept)?; // nothing for zero
    tokens.close(accounts.authority.to_account_info())?;
    let vault = &accounts.vault;
    emit!(VaultClosed {
        vault: vault.key(),
        authority: vault.authority,
        reason: end_reason(vault),
        total_emitted: vault.total_emitted,
        swept,
        destination: accounts.destination.key(),
    });
    Ok(())
}
