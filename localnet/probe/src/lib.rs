//! A test-only program: it stakes in Crucible's staking program through CPI, signing as its
//! own PDA. The call goes probe -> staking -> System (creating the stake account, paid by the
//! PDA) and -> SPL Token (moving the PDA's tokens), so it exercises program-to-program CPI,
//! PDA signatures carried through two levels, and nested logs and events.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_staking::program::CrucibleStaking;

declare_id!("J6PL65FEfFhdXpWMnrUFZ1B1w8bi7LKpQXomy4U4zf91");

#[program]
pub mod crucible_probe {
    use super::*;

    /// Stakes `amount` from the probe PDA's token account, the PDA signing as owner.
    pub fn stake_as_pda(ctx: Context<StakeAsPda>, amount: u64) -> Result<()> {
        let bump = ctx.bumps.authority;
        let seeds: &[&[u8]] = &[b"authority", &[bump]];
        let signer = &[seeds];
        crucible_staking::cpi::stake(
            CpiContext::new_with_signer(
                ctx.accounts.staking_program.to_account_info(),
                crucible_staking::cpi::accounts::Stake {
                    owner: ctx.accounts.authority.to_account_info(),
                    pool: ctx.accounts.pool.to_account_info(),
                    provider_stake: ctx.accounts.provider_stake.to_account_info(),
                    mint: ctx.accounts.mint.to_account_info(),
                    source: ctx.accounts.source.to_account_info(),
                    stake_vault: ctx.accounts.stake_vault.to_account_info(),
                    reward_vault: ctx.accounts.reward_vault.to_account_info(),
                    token_program: ctx.accounts.token_program.to_account_info(),
                    system_program: ctx.accounts.system_program.to_account_info(),
                },
                signer,
            ),
            amount,
        )?;
        msg!("probe: staked {} as {}", amount, ctx.accounts.authority.key());
        Ok(())
    }
}

#[derive(Accounts)]
pub struct StakeAsPda<'info> {
    /// CHECK: the probe's PDA `["authority"]`, a System account holding lamports for rent.
    #[account(mut, seeds = [b"authority"], bump)]
    pub authority: UncheckedAccount<'info>,
    /// CHECK: checked by the staking program.
    #[account(mut)]
    pub pool: UncheckedAccount<'info>,
    /// CHECK: checked (and created) by the staking program.
    #[account(mut)]
    pub provider_stake: UncheckedAccount<'info>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(mut)]
    pub source: InterfaceAccount<'info, TokenAccount>,
    #[account(mut)]
    pub stake_vault: InterfaceAccount<'info, TokenAccount>,
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
    pub staking_program: Program<'info, CrucibleStaking>,
}
