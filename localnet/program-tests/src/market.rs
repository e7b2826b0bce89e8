//! A network in an in-process chain: the mint, the staking pool (its locker the market's
//! collateral PDA), the market config and treasury, markets, and builders for every market
//! instruction (accounts derived as the SDK derives them).

use anchor_lang::{InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use crucible_localnet::{
    testing::{self, anchor_account, send, SOL},
    Localnet, TxFailure,
};
use crucible_market::{
    accounts as acc, instruction as ixd,
    state::{Job, Market, MarketConfig},
    CreateJobArgs, CreateMarketArgs, MarketParams, ResolveDisputeArgs,
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use crate::staking::{stake_pda, Pool};

const ID: Pubkey = crucible_market::ID;
const SYSTEM: Pubkey = solana_sdk_ids::system_program::ID;

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[MarketConfig::SEED], &ID).0
}
pub fn collateral_pda() -> Pubkey {
    Pubkey::find_program_address(&[MarketConfig::COLLATERAL_SEED], &ID).0
}
pub fn fee_vault_pda() -> Pubkey {
    Pubkey::find_program_address(&[MarketConfig::FEE_VAULT_SEED], &ID).0
}
pub fn market_pda(market_id: u64) -> Pubkey {
    Pubkey::find_program_address(&[Market::SEED, &market_id.to_le_bytes()], &ID).0
}
pub fn job_pda(market: &Pubkey, client: &Pubkey, nonce: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[Job::SEED, market.as_ref(), client.as_ref(), &nonce.to_le_bytes()],
        &ID,
    )
    .0
}
pub fn escrow_pda(job: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[Job::ESCROW_SEED, job.as_ref()], &ID).0
}

/// A settlement's work-pool accounts for a market without a pool: all absent (see
/// `crate::work::WorkPoolFx::attach` for a market with one).
pub fn no_work() -> acc::RecordWork {
    acc::RecordWork {
        work_pool: None,
        work_emission_vault: None,
        work_hour: None,
        provider_work: None,
        work_recorder: None,
        work_rent_payer: None,
        emissions_program: None,
        system_program: None,
    }
}

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// DESIGN.md's default economics, with short windows for tests.
pub fn default_params() -> MarketParams {
    MarketParams {
        min_provider_stake: 1_000,
        collateral_bps: 5_000,
        min_collateral: 100,
        burn_bps: 2_000,
        fee_bps: 500,
        max_duration_secs: 7 * 86_400,
        dispute_window_secs: 72 * 3_600,
        arbitration_window_secs: 7 * 86_400,
        default_dispute_split_bps: 5_000,
        expiry_slash_bps: 1_000,
        job_lifetime_secs: 14 * 86_400,
        quit_grace_secs: 600,
    }
}

/// The network: `pool.admin` is the mint authority, staking admin and market admin.
pub struct Network {
    pub pool: Pool,
    /// Where `sweep_fees` sends the fees (an account of the admin).
    pub treasury: Pubkey,
    /// The config's fee vault: where every settlement pays its fee.
    pub fee_vault: Pubkey,
    pub arbiter: Keypair,
}

/// A party with SOL and a token account.
pub struct Party {
    pub key: Keypair,
    pub token: Pubkey,
}

impl Network {
    pub fn create(chain: &mut Localnet) -> Network {
        let admin = Keypair::new();
        let pool = Pool::create_with_locker(
            chain,
            admin,
            Keypair::new(),
            collateral_pda(),
            100,
            14 * 86_400,
        );
        let treasury =
            testing::create_token_account(chain, &pool.admin, &pool.mint, &pool.admin.pubkey())
                .expect("treasury");
        let net = Network { pool, treasury, fee_vault: fee_vault_pda(), arbiter: Keypair::new() };
        chain.airdrop(&net.arbiter.pubkey(), SOL).expect("airdrop");
        send(
            chain,
            &net.pool.admin,
            &[net.init_config(&net.pool.admin.pubkey(), &net.treasury)],
            &[],
        )
        .expect("init_config");
        net
    }

    pub fn admin(&self) -> &Keypair {
        &self.pool.admin
    }

    pub fn create_market(
        &self,
        chain: &mut Localnet,
        market_id: u64,
        params: MarketParams,
    ) -> Result<Pubkey, TxFailure> {
        let ix = self.create_market_ix(
            &self.admin().pubkey(),
            market_id,
            "gpu-a100",
            self.arbiter.pubkey(),
            params,
        );
        send(chain, self.admin(), &[ix], &[])?;
        Ok(market_pda(market_id))
    }

    /// A funded party holding `tokens`.
    pub fn party(&self, chain: &mut Localnet, tokens: u64) -> Party {
        let key = Keypair::new();
        let token = self.pool.provider(chain, &key, tokens);
        Party { key, token }
    }

    /// A provider staking `stake` (holding `stake + spare` tokens).
    pub fn provider(&self, chain: &mut Localnet, stake: u64, spare: u64) -> Party {
        let p = self.party(chain, stake + spare);
        send(chain, &p.key, &[self.pool.stake(&p.key.pubkey(), &p.token, stake)], &[])
            .expect("stake");
        p
    }

    pub fn market(&self, chain: &Localnet, market: &Pubkey) -> Market {
        anchor_account(chain, market).expect("market")
    }

    pub fn job(&self, chain: &Localnet, job: &Pubkey) -> Option<Job> {
        anchor_account(chain, job)
    }

    // --- admin ---

    pub fn init_config(&self, admin: &Pubkey, treasury: &Pubkey) -> Instruction {
        ix(
            acc::InitConfig {
                admin: *admin,
                config: config_pda(),
                mint: self.pool.mint,
                treasury: *treasury,
                fee_vault: fee_vault_pda(),
                token_program: spl_token::ID,
                system_program: SYSTEM,
            },
            ixd::InitConfig {},
        )
    }

    pub fn create_market_ix(
        &self,
        admin: &Pubkey,
        market_id: u64,
        name: &str,
        arbiter: Pubkey,
        params: MarketParams,
    ) -> Instruction {
        self.create_market_priced(admin, market_id, name, arbiter, params, None)
    }

    /// `create_market` with its pricing: `None` in tokens, `Some` in USD against a Pyth feed.
    pub fn create_market_priced(
        &self,
        admin: &Pubkey,
        market_id: u64,
        name: &str,
        arbiter: Pubkey,
        params: MarketParams,
        usd_pricing: Option<crucible_market::state::UsdPricing>,
    ) -> Instruction {
        ix(
            acc::CreateMarket {
                admin: *admin,
                config: config_pda(),
                market: market_pda(market_id),
                staking_pool: self.pool.pool,
                work_pool: None,
                system_program: SYSTEM,
            },
            ixd::CreateMarket {
                args: CreateMarketArgs {
                    market_id,
                    name: name.to_string(),
                    arbiter,
                    params,
                    usd_pricing,
                },
            },
        )
    }

    pub fn update_market(
        &self,
        admin: &Pubkey,
        market: &Pubkey,
        params: MarketParams,
        arbiter: Pubkey,
    ) -> Instruction {
        ix(
            acc::UpdateMarket { admin: *admin, config: config_pda(), market: *market },
            ixd::UpdateMarket { params, arbiter },
        )
    }

    pub fn set_market_paused(&self, admin: &Pubkey, market: &Pubkey, paused: bool) -> Instruction {
        ix(
            acc::SetMarketPaused { admin: *admin, config: config_pda(), market: *market },
            ixd::SetMarketPaused { paused },
        )
    }

    pub fn propose_admin(&self, admin: &Pubkey, new_admin: Pubkey) -> Instruction {
        ix(
            acc::ProposeAdmin { admin: *admin, config: config_pda() },
            ixd::ProposeAdmin { new_admin },
        )
    }

    pub fn accept_admin(&self, new_admin: &Pubkey) -> Instruction {
        ix(acc::AcceptAdmin { new_admin: *new_admin, config: config_pda() }, ixd::AcceptAdmin {})
    }

    pub fn set_treasury(&self, admin: &Pubkey, new_treasury: &Pubkey) -> Instruction {
        ix(
            acc::SetTreasury { admin: *admin, config: config_pda(), new_treasury: *new_treasury },
            ixd::SetTreasury {},
        )
    }

    /// `sweep_fees` by `cranker`: the fee vault's balance to `treasury` (the config's).
    pub fn sweep_fees(&self, cranker: &Pubkey, treasury: &Pubkey) -> Instruction {
        ix(
            acc::SweepFees {
                cranker: *cranker,
                config: config_pda(),
                fee_vault: fee_vault_pda(),
                treasury: *treasury,
                mint: self.pool.mint,
                token_program: spl_token::ID,
            },
            ixd::SweepFees {},
        )
    }

    // --- jobs ---

    #[allow(clippy::too_many_arguments)]
    pub fn create_job(
        &self,
        client: &Pubkey,
        client_token: &Pubkey,
        market: &Pubkey,
        nonce: u64,
        price: u64,
        duration_secs: u64,
        target_provider: Option<Pubkey>,
    ) -> Instruction {
        let job = job_pda(market, client, nonce);
        ix(
            acc::CreateJob {
                client: *client,
                market: *market,
                mint: self.pool.mint,
                client_token: *client_token,
                job,
                escrow: escrow_pda(&job),
                token_program: spl_token::ID,
                system_program: SYSTEM,
            },
            ixd::CreateJob {
                args: CreateJobArgs {
                    nonce,
                    price,
                    duration_secs,
                    spec_hash: [7; 32],
                    target_provider,
                },
            },
        )
    }

    /// `create_job_usd` with `price_update` as the market's price account.
    #[allow(clippy::too_many_arguments)]
    pub fn create_job_usd(
        &self,
        client: &Pubkey,
        client_token: &Pubkey,
        market: &Pubkey,
        price_update: &Pubkey,
        nonce: u64,
        price_micro_usd: u64,
        max_tokens: u64,
        duration_secs: u64,
    ) -> Instruction {
        let job = job_pda(market, client, nonce);
        ix(
            acc::CreateJobUsd {
                client: *client,
                market: *market,
                mint: self.pool.mint,
                client_token: *client_token,
                job,
                escrow: escrow_pda(&job),
                price_update: *price_update,
                token_program: spl_token::ID,
                system_program: SYSTEM,
            },
            ixd::CreateJobUsd {
                args: crucible_market::CreateJobUsdArgs {
                    nonce,
                    price_micro_usd,
                    max_tokens,
                    duration_secs,
                    spec_hash: [7; 32],
                    target_provider: None,
                },
            },
        )
    }

    pub fn cancel_job(
        &self,
        client: &Pubkey,
        client_token: &Pubkey,
        job: &Pubkey,
        market: &Pubkey,
    ) -> Instruction {
        ix(
            acc::CancelJob {
                client: *client,
                market: *market,
                job: *job,
                escrow: escrow_pda(job),
                mint: self.pool.mint,
                client_token: *client_token,
                token_program: spl_token::ID,
            },
            ixd::CancelJob {},
        )
    }

    pub fn accept_job(&self, provider: &Pubkey, job: &Pubkey, market: &Pubkey) -> Instruction {
        ix(
            acc::AcceptJob {
                provider: *provider,
                market: *market,
                job: *job,
                provider_stake: stake_pda(&self.pool.pool, provider),
                staking_pool: self.pool.pool,
                collateral_authority: collateral_pda(),
                staking_program: crucible_staking::ID,
            },
            ixd::AcceptJob {},
        )
    }

    /// `quit_job`; `client_token` (an account of the job's client) receives a late quit's slash.
    pub fn quit_job(
        &self,
        provider: &Pubkey,
        job: &Pubkey,
        market: &Pubkey,
        client_token: &Pubkey,
    ) -> Instruction {
        ix(
            acc::QuitJob {
                provider: *provider,
                market: *market,
                job: *job,
                provider_stake: stake_pda(&self.pool.pool, provider),
                vaults: self.vaults(),
                mint: self.pool.mint,
                client_token: *client_token,
                collateral_authority: collateral_pda(),
                staking_program: crucible_staking::ID,
                token_program: spl_token::ID,
            },
            ixd::QuitJob {},
        )
    }

    pub fn submit_result(&self, provider: &Pubkey, job: &Pubkey) -> Instruction {
        ix(
            acc::SubmitResult { provider: *provider, job: *job },
            ixd::SubmitResult { result_hash: [9; 32] },
        )
    }

    pub fn dispute_job(&self, client: &Pubkey, job: &Pubkey, market: &Pubkey) -> Instruction {
        ix(acc::DisputeJob { client: *client, market: *market, job: *job }, ixd::DisputeJob {})
    }

    /// `create_market` whose settlements record their burns in `work_pool`.
    pub fn create_market_with_work(
        &self,
        admin: &Pubkey,
        market_id: u64,
        params: MarketParams,
        work_pool: Pubkey,
    ) -> Instruction {
        let mut ix =
            self.create_market_ix(admin, market_id, "gpu-work", self.arbiter.pubkey(), params);
        // `work_pool` is the optional account before the system program.
        let at = ix.accounts.len() - 2;
        ix.accounts[at] = solana_instruction::AccountMeta::new_readonly(work_pool, false);
        ix
    }

    /// The accounts every settlement of `job` names (`SettleJob`).
    fn settle_job(&self, job: &Pubkey, market: &Pubkey, provider: &Pubkey) -> acc::SettleJob {
        acc::SettleJob {
            market: *market,
            job: *job,
            escrow: escrow_pda(job),
            mint: self.pool.mint,
            provider_stake: stake_pda(&self.pool.pool, provider),
            collateral_authority: collateral_pda(),
            staking_program: crucible_staking::ID,
            token_program: spl_token::ID,
        }
    }

    /// Where a settlement's fee and payment go (`Payout`).
    fn payout(&self, provider_token: &Pubkey) -> acc::Payout {
        acc::Payout {
            config: config_pda(),
            fee_vault: self.fee_vault,
            provider_token: *provider_token,
        }
    }

    /// The pool's accounts a slash needs (`SlashVaults`).
    fn vaults(&self) -> acc::SlashVaults {
        acc::SlashVaults {
            staking_pool: self.pool.pool,
            stake_vault: self.pool.stake_vault,
            reward_vault: self.pool.reward_vault,
        }
    }

    /// `complete_job` (signed by `client`) or, with `cranker`, `finalize_job`.
    pub fn settle(
        &self,
        client: &Pubkey,
        cranker: Option<&Pubkey>,
        job: &Pubkey,
        market: &Pubkey,
        provider: &Pubkey,
        provider_token: &Pubkey,
    ) -> Instruction {
        match cranker {
            None => ix(
                acc::CompleteJob {
                    client: *client,
                    payout: self.payout(provider_token),
                    settle: self.settle_job(job, market, provider),
                    staking_pool: self.pool.pool,
                    work: no_work(),
                },
                ixd::CompleteJob {},
            ),
            Some(cranker) => ix(
                acc::FinalizeJob {
                    cranker: *cranker,
                    client: *client,
                    payout: self.payout(provider_token),
                    settle: self.settle_job(job, market, provider),
                    staking_pool: self.pool.pool,
                    work: no_work(),
                },
                ixd::FinalizeJob {},
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn resolve_dispute(
        &self,
        arbiter: &Pubkey,
        client: &Pubkey,
        client_token: &Pubkey,
        job: &Pubkey,
        market: &Pubkey,
        provider: &Pubkey,
        provider_token: &Pubkey,
        args: ResolveDisputeArgs,
    ) -> Instruction {
        ix(
            acc::ResolveDispute {
                arbiter: *arbiter,
                client: *client,
                payout: self.payout(provider_token),
                settle: self.settle_job(job, market, provider),
                client_token: *client_token,
                vaults: self.vaults(),
                work: no_work(),
            },
            ixd::ResolveDispute { args },
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub fn finalize_dispute(
        &self,
        cranker: &Pubkey,
        client: &Pubkey,
        client_token: &Pubkey,
        job: &Pubkey,
        market: &Pubkey,
        provider: &Pubkey,
        provider_token: &Pubkey,
    ) -> Instruction {
        ix(
            acc::FinalizeDispute {
                cranker: *cranker,
                client: *client,
                payout: self.payout(provider_token),
                settle: self.settle_job(job, market, provider),
                client_token: *client_token,
                staking_pool: self.pool.pool,
                work: no_work(),
            },
            ixd::FinalizeDispute {},
        )
    }

    pub fn reclaim_expired(
        &self,
        cranker: &Pubkey,
        client: &Pubkey,
        client_token: &Pubkey,
        job: &Pubkey,
        market: &Pubkey,
        provider: &Pubkey,
    ) -> Instruction {
        ix(
            acc::ReclaimExpired {
                cranker: *cranker,
                client: *client,
                settle: self.settle_job(job, market, provider),
                client_token: *client_token,
                vaults: self.vaults(),
            },
            ixd::ReclaimExpired {},
        )
    }
}
