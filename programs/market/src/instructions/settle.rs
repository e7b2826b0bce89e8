//! The settlement family's shared accounts and work (complete_job, finalize_job,
//! resolve_dispute, finalize_dispute, reclaim_expired), after Helium's
//! `DistributeRewardsCommonV0`: each of those instructions nests [`SettleJob`] (the job, its
//! escrow and market, the provider's collateral), and names around it only what is its own
//! (who signs, where the fee and the payments go, the pool's vaults for a slash).
//!
//! The names inside the groups are unique across each instruction, so clients name every
//! account flat (the SDK's builder flattens the IDL's groups).
use anchor_lang::{prelude::*, AccountsClose};
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use crucible_common::{emit, math::BPS_DENOMINATOR};
use crucible_emissions::program::CrucibleEmissions;
use crucible_staking::{
    program::CrucibleStaking,
    state::{JobOutcome, ProviderStake, StakePool},
};

use crate::{
    collateral::{Collateral, SlashAccounts},
    error::MarketError,
    escrow::Escrow,
    events::{DisputeResolved, JobCompleted, JobExpired},
    math::{self, OrOverflow, SafeMath},
    state::{Job, Market, MarketConfig},
};

/// What every settlement of a job names. The job's address is checked with the client it
/// records; the instruction checks that its `client` account is that client
/// ([`SettleJob::is_client`]) and closes the job to it.
#[derive(Accounts)]
pub struct SettleJob<'info> {
    /// Closed by the settlement, its rent to the client.
    #[account(
        mut,
        seeds = [Job::SEED, market.key().as_ref(), job.client.as_ref(), &job.nonce.to_le_bytes()],
        bump = job.bump,
        has_one = market,
    )]
    pub job: Box<Account<'info, Job>>,

    #[account(mut, seeds = [Job::ESCROW_SEED, job.key().as_ref()], bump = job.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,

    /// The job's market: its mint and token program are the ones named here.
    #[account(has_one = mint @ MarketError::WrongMint, has_one = token_program @ MarketError::WrongTokenProgram)]
    pub market: Box<Account<'info, Market>>,

    /// Writable: burns lower its supply (and the staking program's slash declares it so).
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// The job's provider's stake in the market's pool, whose collateral is unlocked.
    #[account(
        mut,
        seeds = [ProviderStake::SEED, market.staking_pool.as_ref(), job.provider.as_ref()],
        bump = provider_stake.bump,
        seeds::program = staking_program.key(),
    )]
    pub provider_stake: Box<Account<'info, ProviderStake>>,

    /// CHECK: the collateral PDA `["collateral"]` (seeds checked), the pool's locker.
    #[account(seeds = [MarketConfig::COLLATERAL_SEED], bump = market.collateral_bump)]
    pub collateral_authority: UncheckedAccount<'info>,

    pub staking_program: Program<'info, CrucibleStaking>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Where a settlement's money goes: the fee to the config's fee vault (a PDA of this program),
/// the payment to the provider's account. The instruction checks that account with
/// [`SettleJob::is_provider_account`].
#[derive(Accounts)]
pub struct Payout<'info> {
    #[account(seeds = [MarketConfig::SEED], bump = config.bump, has_one = fee_vault @ MarketError::WrongFeeVault)]
    pub config: Box<Account<'info, MarketConfig>>,

    #[account(mut)]
    pub fee_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Any token account of the mint the provider owns.
    #[account(mut)]
    pub provider_token: Box<InterfaceAccount<'info, TokenAccount>>,
}

/// The market's work-rewards pool records a settlement writes (see the emissions program's
/// `record_burn`): all of them when the market has a pool, none when it has not. The pool and
/// the emission vault are read only; the hour's total and the provider's own record are
/// written, next to the mint the burn already writes.
#[derive(Accounts)]
pub struct RecordWork<'info> {
    /// CHECK: the market's work pool (checked against the market; read by the emissions
    /// program, which checks it is a pool).
    pub work_pool: Option<UncheckedAccount<'info>>,

    /// CHECK: the pool's emission vault (checked by the emissions program).
    pub work_emission_vault: Option<UncheckedAccount<'info>>,

    /// CHECK: the pool's record of the current hour (checked by the emissions program).
    #[account(mut)]
    pub work_hour: Option<UncheckedAccount<'info>>,

    /// CHECK: the provider's record of the current hour (checked by the emissions program).
    #[account(mut)]
    pub provider_work: Option<UncheckedAccount<'info>>,

    /// CHECK: the `["work_recorder"]` PDA (seeds checked), the pool's recorder.
    #[account(seeds = [MarketConfig::WORK_RECORDER_SEED], bump)]
    pub work_recorder: Option<UncheckedAccount<'info>>,

    /// Pays the rent of the records the settlement creates (the settlement's signer); it is
    /// returned when they close.
    #[account(mut)]
    pub work_rent_payer: Option<Signer<'info>>,

    pub emissions_program: Option<Program<'info, CrucibleEmissions>>,
    pub system_program: Option<Program<'info, System>>,
}

impl RecordWork<'_> {
    /// Records `burned` (a settlement's burn) for `provider` in the market's work pool, signed
    /// by the work-recorder PDA. Nothing when the market has no pool; `WorkAccountsMissing`
    /// when it has one and an account is absent.
    pub fn record(&self, market: &Market, provider: Pubkey, burned: u64) -> Result<()> {
        let Some(expected) = market.work_pool else {
            require!(self.work_pool.is_none(), MarketError::WrongWorkPool);
            return Ok(());
        };
        let (
            Some(pool),
            Some(vault),
            Some(hour),
            Some(work),
            Some(recorder),
            Some(payer),
            Some(program),
            Some(system),
        ) = (
            &self.work_pool,
            &self.work_emission_vault,
            &self.work_hour,
            &self.provider_work,
            &self.work_recorder,
            &self.work_rent_payer,
            &self.emissions_program,
            &self.system_program,
        )
        else {
            return err!(MarketError::WorkAccountsMissing);
        };
        require_keys_eq!(pool.key(), expected, MarketError::WrongWorkPool);
        if burned == 0 {
            return Ok(());
        }
        let bump = [market.work_recorder_bump];
        let seeds: &[&[u8]] = &[MarketConfig::WORK_RECORDER_SEED, &bump];
        crucible_emissions::cpi::record_burn(
            CpiContext::new_with_signer(
                program.to_account_info(),
                crucible_emissions::cpi::accounts::RecordBurn {
                    recorder: recorder.to_account_info(),
                    payer: payer.to_account_info(),
                    pool: pool.to_account_info(),
                    emission_vault: vault.to_account_info(),
                    work_hour: hour.to_account_info(),
                    provider_work: work.to_account_info(),
                    system_program: system.to_account_info(),
                },
                &[seeds],
            ),
            provider,
            burned,
        )
    }
}

/// The staking pool's accounts a slash needs (the pool itself writable: a slash changes its
/// totals). The instruction checks that the pool is its market's.
#[derive(Accounts)]
pub struct SlashVaults<'info> {
    #[account(mut)]
    pub staking_pool: Box<Account<'info, StakePool>>,

    /// CHECK: the pool's stake vault (checked by the staking program's `has_one`).
    #[account(mut, address = staking_pool.stake_vault)]
    pub stake_vault: UncheckedAccount<'info>,

    /// CHECK: the pool's reward vault (checked by the staking program's `has_one`).
    #[account(address = staking_pool.reward_vault)]
    pub reward_vault: UncheckedAccount<'info>,
}

impl<'info> SlashVaults<'info> {
    /// The accounts of a slash of this pool to `destination` (`None` burns).
    pub fn slash_to(
        &self,
        mint: &InterfaceAccount<'info, Mint>,
        token_program: &Interface<'info, TokenInterface>,
        destination: Option<&InterfaceAccount<'info, TokenAccount>>,
    ) -> SlashAccounts<'info> {
        SlashAccounts {
            mint: mint.to_account_info(),
            stake_vault: self.stake_vault.to_account_info(),
            reward_vault: self.reward_vault.to_account_info(),
            token_program: token_program.to_account_info(),
            destination: destination.map(|d| d.to_account_info()),
        }
    }
}

/// A payout account of a party: a token account of `mint` that `owner` owns (anyone can
/// create one for anyone, so no party can block a settlement by closing its own). `Ok(true)`,
/// or the error that says which check failed (`not_owner`, then `WrongMint`), so that it
/// serves as an account constraint.
pub fn is_party_account(
    token: &TokenAccount,
    owner: &Pubkey,
    mint: &Pubkey,
    not_owner: MarketError,
) -> Result<bool> {
    if token.owner != *owner {
        return Err(error!(not_owner));
    }
    require!(token.mint == *mint, MarketError::WrongMint);
    Ok(true)
}

/// A dispute's outcome.
pub struct Verdict {
    pub provider_share_bps: u16,
    pub slash: u64,
    /// Burn the slash instead of paying it to the client.
    pub slash_burned: bool,
    pub by_default: bool,
}

impl Verdict {
    pub fn validate(&self, job: &Job) -> Result<()> {
        require!(self.provider_share_bps <= BPS_DENOMINATOR, MarketError::InvalidShare);
        require!(self.slash <= job.collateral, MarketError::SlashExceedsCollateral);
        Ok(())
    }
}

impl<'info> SettleJob<'info> {
    /// `client` is the job's client: `Ok(true)` or `error`. Complete and finalize refuse
    /// another with `ConstraintSeeds` (the job's address names its client, and they always
    /// checked it so); the dispute endings and the expiry with `WrongClientAccount`.
    pub fn is_client(
        &self,
        client: &Pubkey,
        error: impl Into<anchor_lang::error::Error>,
    ) -> Result<bool> {
        if *client != self.job.client {
            return Err(error.into());
        }
        Ok(true)
    }

    /// `token` is the provider's own account of the market's mint (a payment goes there).
    pub fn is_provider_account(&self, token: &TokenAccount) -> Result<bool> {
        is_party_account(
            token,
            &self.job.provider,
            &self.market.mint,
            MarketError::WrongProviderAccount,
        )
    }

    /// `token` is the client's own account of the market's mint (a refund goes there).
    pub fn is_client_account(&self, token: &TokenAccount) -> Result<bool> {
        is_party_account(
            token,
            &self.job.client,
            &self.market.mint,
            MarketError::WrongClientAccount,
        )
    }

    pub fn escrow(&self) -> Escrow<'_, 'info> {
        Escrow::new(&self.job, &self.escrow, &self.mint, &self.token_program)
    }

    pub fn collateral(&self, pool: &Account<'info, StakePool>) -> Collateral<'info> {
        Collateral::new(
            &self.staking_program,
            &self.collateral_authority,
            pool,
            &self.provider_stake,
            self.market.collateral_bump,
        )
    }

    /// Settles a completed job: burn, fee, provider; collateral unlocked as completed; the
    /// escrow and the job closed.
    ///
    /// The amount settled is the escrow's whole balance: the price, plus anything someone else
    /// sent to the escrow (which must not keep the job from closing).
    pub fn complete(
        &self,
        payout: &Payout<'info>,
        pool: &Account<'info, StakePool>,
        work: &RecordWork<'info>,
        client: &AccountInfo<'info>,
        finalized: bool,
    ) -> Result<()> {
        let job = &self.job;
        let s = math::settle(self.escrow.amount, job.burn_bps, job.fee_bps).or_overflow()?;
        let escrow = self.escrow();
        escrow.settle(
            &s,
            &payout.fee_vault.to_account_info(),
            &payout.provider_token.to_account_info(),
        )?;
        work.record(&self.market, job.provider, s.burned)?;
        self.collateral(pool).unlock(job.collateral, JobOutcome::Completed)?;
        escrow.close(client)?;
        emit!(JobCompleted {
            job: job.key(),
            market: job.market,
            client: job.client,
            provider: job.provider,
            price: job.price,
            burned: s.burned,
            fee: s.fee,
            paid: s.paid,
            finalized,
        });
        job.close(client.clone())
    }

    /// Splits a disputed job's price (the client's part refunded first, the provider's part
    /// settled like a completion), slashes, unlocks the rest of the collateral and closes.
    /// Anything in the escrow beyond the price (sent by someone else) goes back with the
    /// client's part, so the escrow always empties and closes. The verdict was validated.
    #[allow(clippy::too_many_arguments)]
    pub fn resolve(
        &self,
        payout: &Payout<'info>,
        client_token: &InterfaceAccount<'info, TokenAccount>,
        pool: &Account<'info, StakePool>,
        slash_accounts: Option<SlashAccounts<'info>>,
        work: &RecordWork<'info>,
        client: &AccountInfo<'info>,
        v: Verdict,
    ) -> Result<()> {
        let job = &self.job;
        let split =
            math::split(job.price, v.provider_share_bps).ok_or(MarketError::InvalidShare)?;
        let s = math::settle(split.provider_part, job.burn_bps, job.fee_bps).or_overflow()?;
        let refunded = self.escrow.amount.safe_sub(split.provider_part)?;
        let escrow = self.escrow();
        escrow.transfer(&client_token.to_account_info(), refunded)?;
        escrow.settle(
            &s,
            &payout.fee_vault.to_account_info(),
            &payout.provider_token.to_account_info(),
        )?;
        work.record(&self.market, job.provider, s.burned)?;
        let collateral = self.collateral(pool);
        if v.slash > 0 {
            let accounts = slash_accounts.ok_or(MarketError::SlashExceedsCollateral)?;
            collateral.slash(v.slash, accounts)?;
        }
        let outcome = if v.by_default {
            JobOutcome::Released
        } else if v.provider_share_bps == BPS_DENOMINATOR && v.slash == 0 {
            JobOutcome::Completed
        } else {
            JobOutcome::Failed
        };
        collateral.unlock(job.collateral - v.slash, outcome)?;
        escrow.close(client)?;
        emit!(DisputeResolved {
            job: job.key(),
            market: job.market,
            client: job.client,
            provider: job.provider,
            price: job.price,
            provider_share_bps: v.provider_share_bps,
            refunded,
            burned: s.burned,
            fee: s.fee,
            paid: s.paid,
            slashed: v.slash,
            slash_burned: v.slash_burned && v.slash > 0,
            by_default: v.by_default,
        });
        job.close(client.clone())
    }

    /// A running job past its deadline: the whole escrow back to the client, the expiry slash
    /// to the client, the rest of the collateral unlocked (failed), both accounts closed.
    pub fn expire(
        &self,
        client_token: &InterfaceAccount<'info, TokenAccount>,
        vaults: &SlashVaults<'info>,
        client: &AccountInfo<'info>,
    ) -> Result<()> {
        let job = &self.job;
        let slashed = job.expiry_slash()?;
        let refunded = self.escrow.amount;
        let escrow = self.escrow();
        escrow.transfer(&client_token.to_account_info(), refunded)?;
        let collateral = self.collateral(&vaults.staking_pool);
        collateral
            .slash(slashed, vaults.slash_to(&self.mint, &self.token_program, Some(client_token)))?;
        collateral.unlock(job.collateral - slashed, JobOutcome::Failed)?;
        escrow.close(client)?;
        emit!(JobExpired {
            job: job.key(),
            market: job.market,
            client: job.client,
            provider: job.provider,
            refunded,
            slashed,
        });
        job.close(client.clone())
    }
}
