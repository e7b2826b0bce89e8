//! Work-rewards pools in an in-process chain: their addresses, a builder per instruction, and
//! the settlement accounts that record a burn (attached to a market instruction built by
//! `market::Network`).

use anchor_lang::ToAccountMetas;
use anchor_spl::token::spl_token;
use crucible_emissions::{
    accounts as acc, instruction as ixd, math,
    state::{EmissionVault, ProviderWork, WorkHour, WorkPool},
    CreateWorkPoolArgs,
};
use crucible_localnet::{testing::anchor_account, Localnet};
use crucible_market::state::MarketConfig;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use crate::emissions::{ix, now, vault_pda, ID};

const SYSTEM: Pubkey = solana_sdk_ids::system_program::ID;

pub fn work_pool_pda(mint: &Pubkey, pool_id: u64) -> Pubkey {
    Pubkey::find_program_address(&[WorkPool::SEED, mint.as_ref(), &pool_id.to_le_bytes()], &ID).0
}
pub fn work_tokens_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[WorkPool::TOKEN_VAULT_SEED, pool.as_ref()], &ID).0
}
pub fn work_hour_pda(pool: &Pubkey, hour: u64) -> Pubkey {
    crucible_emissions::state::work_hour_address(pool, hour, &ID).0
}
pub fn provider_work_pda(pool: &Pubkey, provider: &Pubkey, hour: u64) -> Pubkey {
    crucible_emissions::state::provider_work_address(pool, provider, hour, &ID).0
}
/// The market program's recorder PDA: the recorder of its markets' pools.
pub fn work_recorder_pda() -> Pubkey {
    Pubkey::find_program_address(&[MarketConfig::WORK_RECORDER_SEED], &crucible_market::ID).0
}

/// One work pool's addresses, with a builder per instruction.
#[derive(Clone, Debug)]
pub struct WorkPoolFx {
    pub pool_id: u64,
    pub pool: Pubkey,
    pub token_vault: Pubkey,
    pub mint: Pubkey,
    pub vault_id: u64,
    pub emission_vault: Pubkey,
    pub destination: Pubkey,
}

impl WorkPoolFx {
    pub fn new(mint: Pubkey, pool_id: u64, vault_id: u64, destination: Pubkey) -> WorkPoolFx {
        let pool = work_pool_pda(&mint, pool_id);
        WorkPoolFx {
            pool_id,
            pool,
            token_vault: work_tokens_pda(&pool),
            mint,
            vault_id,
            emission_vault: vault_pda(&mint, vault_id),
            destination,
        }
    }

    pub fn state(&self, chain: &Localnet) -> WorkPool {
        anchor_account(chain, &self.pool).expect("work pool")
    }

    pub fn hour(&self, chain: &Localnet, hour: u64) -> Option<WorkHour> {
        anchor_account(chain, &work_hour_pda(&self.pool, hour))
    }

    pub fn work(&self, chain: &Localnet, provider: &Pubkey, hour: u64) -> Option<ProviderWork> {
        anchor_account(chain, &provider_work_pda(&self.pool, provider, hour))
    }

    /// The emission hour the chain's clock is in (the vault must exist).
    pub fn current_hour(&self, chain: &Localnet) -> u64 {
        let vault: EmissionVault = anchor_account(chain, &self.emission_vault).expect("vault");
        math::hours_due(vault.start_ts, now(chain))
    }

    pub fn create(&self, creator: &Pubkey, cap_bps: u16, recorder: Pubkey) -> Instruction {
        ix(
            acc::CreateWorkPool {
                creator: *creator,
                mint: self.mint,
                pool: self.pool,
                pool_tokens: self.token_vault,
                emission_vault: self.emission_vault,
                destination: self.destination,
                token_program: spl_token::ID,
                system_program: SYSTEM,
            },
            ixd::CreateWorkPool {
                args: CreateWorkPoolArgs {
                    pool_id: self.pool_id,
                    vault_id: self.vault_id,
                    cap_bps,
                    recorder,
                },
            },
            &[],
        )
    }

    /// The market's `RecordWork` accounts of a settlement in the current hour.
    pub fn record_work(
        &self,
        chain: &Localnet,
        provider: &Pubkey,
        payer: &Pubkey,
    ) -> crucible_market::accounts::RecordWork {
        let hour = self.current_hour(chain);
        crucible_market::accounts::RecordWork {
            work_pool: Some(self.pool),
            work_emission_vault: Some(self.emission_vault),
            work_hour: Some(work_hour_pda(&self.pool, hour)),
            provider_work: Some(provider_work_pda(&self.pool, provider, hour)),
            work_recorder: Some(work_recorder_pda()),
            work_rent_payer: Some(*payer),
            emissions_program: Some(ID),
            system_program: Some(SYSTEM),
        }
    }

    /// `ix` (a settlement built by `market::Network`, whose work accounts are its last eight)
    /// with this pool's accounts for `provider`, the rent paid by `payer`.
    pub fn attach(
        &self,
        chain: &Localnet,
        mut ix: Instruction,
        provider: &Pubkey,
        payer: &Pubkey,
    ) -> Instruction {
        let metas = self.record_work(chain, provider, payer).to_account_metas(None);
        let at = ix.accounts.len() - metas.len();
        ix.accounts.truncate(at);
        ix.accounts.extend(metas);
        ix
    }

    /// `crank_work_pool` naming the next `n` hours from the pool's cursor.
    pub fn crank(&self, chain: &Localnet, n: u64) -> Instruction {
        let from = self.state(chain).cursor_hours;
        self.crank_from(from, n)
    }

    /// `crank_work_pool` naming hours `from..from + n`.
    pub fn crank_from(&self, from: u64, n: u64) -> Instruction {
        let rest: Vec<AccountMeta> = (from..from + n)
            .map(|h| AccountMeta::new(work_hour_pda(&self.pool, h), false))
            .collect();
        ix(
            acc::CrankWorkPool {
                pool: self.pool,
                emission_vault: self.emission_vault,
                token_vault: self.token_vault,
                destination: self.destination,
                mint: self.mint,
                token_program: spl_token::ID,
            },
            ixd::CrankWorkPool {},
            &rest,
        )
    }

    /// `claim_work_reward` of `provider` for `hour`, paid to `provider_token`; the rent back
    /// to the payer its record names (`fallback` once it is gone).
    pub fn claim(
        &self,
        chain: &Localnet,
        claimer: &Pubkey,
        provider: &Pubkey,
        provider_token: &Pubkey,
        hour: u64,
        fallback: &Pubkey,
    ) -> Instruction {
        let rent_payer =
            self.work(chain, provider, hour).map(|w| w.rent_payer).unwrap_or(*fallback);
        ix(
            acc::ClaimWorkReward {
                claimer: *claimer,
                pool: self.pool,
                work_hour: work_hour_pda(&self.pool, hour),
                provider_work: provider_work_pda(&self.pool, provider, hour),
                provider_token: *provider_token,
                rent_payer,
                token_vault: self.token_vault,
                mint: self.mint,
                token_program: spl_token::ID,
            },
            ixd::ClaimWorkReward {},
            &[],
        )
    }

    pub fn close_hour(&self, hour: u64, rent_payer: &Pubkey) -> Instruction {
        ix(
            acc::CloseWorkHour {
                pool: self.pool,
                work_hour: work_hour_pda(&self.pool, hour),
                rent_payer: *rent_payer,
            },
            ixd::CloseWorkHour {},
            &[],
        )
    }
}
