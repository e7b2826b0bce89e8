//! A staking pool in an in-process chain, with instruction builders for every staking
//! instruction (accounts derived the way the SDK derives them).

use anchor_lang::{InstructionData, ToAccountMetas};
use anchor_spl::token::spl_token;
use crucible_localnet::{
    testing::{self, anchor_account, send, SOL},
    Localnet, TxFailure,
};
use crucible_staking::{
    accounts as acc, instruction as ixd,
    state::{JobOutcome, ProviderStake, StakePool},
    InitPoolArgs, UpdatePoolArgs,
};
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

const SYSTEM: Pubkey = solana_sdk_ids::system_program::ID;
const ID: Pubkey = crucible_staking::ID;

pub fn pool_pda(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[StakePool::SEED, mint.as_ref()], &ID).0
}
pub fn stake_vault_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[StakePool::STAKE_VAULT_SEED, pool.as_ref()], &ID).0
}
pub fn reward_vault_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[StakePool::REWARD_VAULT_SEED, pool.as_ref()], &ID).0
}
pub fn stake_pda(pool: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[ProviderStake::SEED, pool.as_ref(), owner.as_ref()], &ID).0
}

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// A mint with its pool; `admin` is the mint authority and pool admin, `locker` the locker.
pub struct Pool {
    pub admin: Keypair,
    pub locker: Keypair,
    pub mint: Pubkey,
    pub pool: Pubkey,
    pub stake_vault: Pubkey,
    pub reward_vault: Pubkey,
}

impl Pool {
    /// Creates a mint (6 decimals) and its pool, `locker` being any key.
    pub fn create_with_locker(
        chain: &mut Localnet,
        admin: Keypair,
        mint: Keypair,
        locker: Pubkey,
        min_stake: u64,
        unbonding_secs: u64,
    ) -> Pool {
        if chain.get_balance(&admin.pubkey()) < SOL {
            chain.airdrop(&admin.pubkey(), 1_000 * SOL).expect("airdrop");
        }
        testing::create_mint(chain, &admin, &mint, &admin.pubkey(), 6).expect("mint");
        let pool = pool_pda(&mint.pubkey());
        let p = Pool {
            mint: mint.pubkey(),
            pool,
            stake_vault: stake_vault_pda(&pool),
            reward_vault: reward_vault_pda(&pool),
            admin,
            // Only the key matters when the locker is a program's PDA.
            locker: Keypair::new(),
        };
        let init = p.init_pool(&p.admin.pubkey(), min_stake, unbonding_secs, locker);
        send(chain, &p.admin, &[init], &[]).expect("init_pool");
        p
    }

    /// Creates a mint (6 decimals) and its pool.
    pub fn create(
        chain: &mut Localnet,
        admin: Keypair,
        mint: Keypair,
        locker: Keypair,
        min_stake: u64,
        unbonding_secs: u64,
    ) -> Pool {
        if chain.get_balance(&admin.pubkey()) < SOL {
            chain.airdrop(&admin.pubkey(), 1_000 * SOL).expect("airdrop");
        }
        testing::create_mint(chain, &admin, &mint, &admin.pubkey(), 6).expect("mint");
        let pool = pool_pda(&mint.pubkey());
        let p = Pool {
            mint: mint.pubkey(),
            pool,
            stake_vault: stake_vault_pda(&pool),
            reward_vault: reward_vault_pda(&pool),
            admin,
            locker,
        };
        let init = p.init_pool(&p.admin.pubkey(), min_stake, unbonding_secs, p.locker.pubkey());
        send(chain, &p.admin, &[init], &[]).expect("init_pool");
        p
    }

    pub fn state(&self, chain: &Localnet) -> StakePool {
        anchor_account(chain, &self.pool).expect("pool")
    }

    pub fn stake_of(&self, chain: &Localnet, owner: &Pubkey) -> Option<ProviderStake> {
        anchor_account(chain, &stake_pda(&self.pool, owner))
    }

    /// A funded provider with `tokens` in a new token account.
    pub fn provider(&self, chain: &mut Localnet, owner: &Keypair, tokens: u64) -> Pubkey {
        chain.airdrop(&owner.pubkey(), 10 * SOL).expect("airdrop");
        let account =
            testing::create_token_account(chain, &self.admin, &self.mint, &owner.pubkey())
                .expect("account");
        if tokens > 0 {
            testing::mint_to(chain, &self.admin, &self.mint, &account, tokens).expect("mint_to");
        }
        account
    }

    /// Tokens arriving in the reward vault (as an emission vault would pay them).
    pub fn pay_rewards(&self, chain: &mut Localnet, amount: u64) -> Result<(), TxFailure> {
        testing::mint_to(chain, &self.admin, &self.mint, &self.reward_vault, amount)
    }

    pub fn init_pool(
        &self,
        admin: &Pubkey,
        min_stake: u64,
        unbonding_secs: u64,
        locker: Pubkey,
    ) -> Instruction {
        ix(
            acc::InitPool {
                admin: *admin,
                mint: self.mint,
                pool: self.pool,
                stake_vault: self.stake_vault,
                reward_vault: self.reward_vault,
                token_program: spl_token::ID,
                system_program: SYSTEM,
            },
            ixd::InitPool { args: InitPoolArgs { min_stake, unbonding_secs, locker } },
        )
    }

    // The accounts several instructions nest (the program's `instructions::common`).
    fn pool_admin(&self, admin: &Pubkey) -> acc::PoolAdmin {
        acc::PoolAdmin { admin: *admin, pool: self.pool }
    }
    fn owner_stake(&self, owner: &Pubkey) -> acc::OwnerStake {
        acc::OwnerStake {
            owner: *owner,
            pool: self.pool,
            provider_stake: stake_pda(&self.pool, owner),
        }
    }
    fn locker_stake(&self, locker: &Pubkey, owner: &Pubkey) -> acc::LockerStake {
        acc::LockerStake {
            locker: *locker,
            pool: self.pool,
            provider_stake: stake_pda(&self.pool, owner),
        }
    }
    fn pool_stake(&self, owner: &Pubkey) -> acc::PoolStake {
        acc::PoolStake { pool: self.pool, provider_stake: stake_pda(&self.pool, owner) }
    }

    pub fn update_pool(
        &self,
        admin: &Pubkey,
        min_stake: Option<u64>,
        unbonding_secs: Option<u64>,
    ) -> Instruction {
        ix(
            acc::UpdatePool { pool_admin: self.pool_admin(admin) },
            ixd::UpdatePool { args: UpdatePoolArgs { min_stake, unbonding_secs } },
        )
    }

    pub fn propose_admin(&self, admin: &Pubkey, new_admin: Pubkey) -> Instruction {
        ix(
            acc::ProposeAdmin { pool_admin: self.pool_admin(admin) },
            ixd::ProposeAdmin { new_admin },
        )
    }

    pub fn accept_admin(&self, new_admin: &Pubkey) -> Instruction {
        ix(acc::AcceptAdmin { new_admin: *new_admin, pool: self.pool }, ixd::AcceptAdmin {})
    }

    pub fn set_paused(&self, admin: &Pubkey, paused: bool) -> Instruction {
        ix(acc::SetPaused { pool_admin: self.pool_admin(admin) }, ixd::SetPaused { paused })
    }

    pub fn sweep_unallocated(&self, admin: &Pubkey, destination: &Pubkey) -> Instruction {
        ix(
            acc::SweepUnallocated {
                pool_admin: self.pool_admin(admin),
                mint: self.mint,
                reward_vault: self.reward_vault,
                destination: *destination,
                token_program: spl_token::ID,
            },
            ixd::SweepUnallocated {},
        )
    }

    pub fn stake(&self, owner: &Pubkey, source: &Pubkey, amount: u64) -> Instruction {
        ix(
            acc::Stake {
                owner: *owner,
                pool: self.pool,
                provider_stake: stake_pda(&self.pool, owner),
                mint: self.mint,
                source: *source,
                stake_vault: self.stake_vault,
                reward_vault: self.reward_vault,
                token_program: spl_token::ID,
                system_program: SYSTEM,
            },
            ixd::Stake { amount },
        )
    }

    pub fn request_unstake(&self, owner: &Pubkey, amount: u64) -> Instruction {
        ix(
            acc::RequestUnstake { stake: self.owner_stake(owner), reward_vault: self.reward_vault },
            ixd::RequestUnstake { amount },
        )
    }

    pub fn cancel_unstake(&self, owner: &Pubkey) -> Instruction {
        ix(
            acc::CancelUnstake { stake: self.owner_stake(owner), reward_vault: self.reward_vault },
            ixd::CancelUnstake {},
        )
    }

    pub fn withdraw(&self, owner: &Pubkey, destination: &Pubkey) -> Instruction {
        ix(
            acc::Withdraw {
                stake: self.owner_stake(owner),
                mint: self.mint,
                stake_vault: self.stake_vault,
                destination: *destination,
                token_program: spl_token::ID,
            },
            ixd::Withdraw {},
        )
    }

    pub fn claim_rewards(&self, owner: &Pubkey, destination: &Pubkey) -> Instruction {
        ix(
            acc::ClaimRewards {
                stake: self.owner_stake(owner),
                mint: self.mint,
                reward_vault: self.reward_vault,
                destination: *destination,
                token_program: spl_token::ID,
            },
            ixd::ClaimRewards {},
        )
    }

    /// `activate_stake` for `owner`, the pool's reward sources (`sources`) as remaining accounts.
    pub fn activate_stake(&self, owner: &Pubkey, sources: &[Pubkey]) -> Instruction {
        let mut i = ix(
            acc::ActivateStake { stake: self.pool_stake(owner), reward_vault: self.reward_vault },
            ixd::ActivateStake {},
        );
        i.accounts.extend(sources.iter().map(|s| AccountMeta::new_readonly(*s, false)));
        i
    }

    pub fn add_reward_source(&self, admin: &Pubkey, vault: &Pubkey) -> Instruction {
        ix(
            acc::AddRewardSource { pool_admin: self.pool_admin(admin), vault: *vault },
            ixd::AddRewardSource {},
        )
    }

    pub fn remove_reward_source(&self, admin: &Pubkey, vault: &Pubkey) -> Instruction {
        ix(
            acc::RemoveRewardSource { pool_admin: self.pool_admin(admin), vault: *vault },
            ixd::RemoveRewardSource {},
        )
    }

    /// Lets the stake of `owners` warm up (the clock moves one hour) and activates it, for a
    /// pool without reward sources: from then on it earns.
    pub fn warm_up(&self, chain: &mut Localnet, owners: &[&Keypair]) {
        chain.warp(StakePool::WARMUP_SECS as u64);
        for owner in owners {
            send(chain, owner, &[self.activate_stake(&owner.pubkey(), &[])], &[])
                .expect("activate_stake");
        }
    }

    pub fn close_stake(&self, owner: &Pubkey) -> Instruction {
        ix(
            acc::CloseStake {
                owner: *owner,
                pool: self.pool,
                provider_stake: stake_pda(&self.pool, owner),
                reward_vault: self.reward_vault,
            },
            ixd::CloseStake {},
        )
    }

    pub fn sync_rewards(&self) -> Instruction {
        ix(
            acc::SyncRewards { pool: self.pool, reward_vault: self.reward_vault },
            ixd::SyncRewards {},
        )
    }

    pub fn lock(&self, locker: &Pubkey, owner: &Pubkey, amount: u64) -> Instruction {
        ix(
            acc::LockCollateral { collateral: self.locker_stake(locker, owner) },
            ixd::LockCollateral { amount },
        )
    }

    pub fn unlock(
        &self,
        locker: &Pubkey,
        owner: &Pubkey,
        amount: u64,
        outcome: JobOutcome,
    ) -> Instruction {
        ix(
            acc::UnlockCollateral { collateral: self.locker_stake(locker, owner) },
            ixd::UnlockCollateral { amount, outcome },
        )
    }

    /// Slash to `destination`, or burn when `None`.
    pub fn slash(
        &self,
        locker: &Pubkey,
        owner: &Pubkey,
        amount: u64,
        destination: Option<Pubkey>,
    ) -> Instruction {
        ix(
            acc::Slash {
                locker: *locker,
                stake: self.pool_stake(owner),
                mint: self.mint,
                stake_vault: self.stake_vault,
                reward_vault: self.reward_vault,
                destination,
                token_program: spl_token::ID,
            },
            ixd::Slash { amount, burn: destination.is_none() },
        )
    }
}
