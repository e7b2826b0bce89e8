//! The staking program in the in-process chain: each instruction's happy path and its main
//! rejections (error code asserted, nothing moved).

use crucible_program_tests as support;

use crucible_localnet::{
    testing::{custom_error, mint_supply, send, token_balance},
    Localnet,
};
use crucible_staking::{error::StakingError, state::JobOutcome};
use solana_keypair::Keypair;
use solana_signer::Signer;
use support::staking::{stake_pda, Pool};

fn code(e: StakingError) -> u32 {
    u32::from(e)
}

fn setup(unbonding: u64) -> (Localnet, Pool, Keypair, anchor_lang::prelude::Pubkey) {
    let mut chain = Localnet::new();
    let pool =
        Pool::create(&mut chain, Keypair::new(), Keypair::new(), Keypair::new(), 100, unbonding);
    let provider = Keypair::new();
    let source = pool.provider(&mut chain, &provider, 10_000);
    (chain, pool, provider, source)
}

/// Sends and expects the staking error `e`; the watched balances must not move.
fn rejects(
    chain: &mut Localnet,
    payer: &Keypair,
    ix: solana_instruction::Instruction,
    signers: &[&Keypair],
    e: StakingError,
    watch: &[anchor_lang::prelude::Pubkey],
) {
    let before: Vec<u64> = watch.iter().map(|a| token_balance(chain, a)).collect();
    let failure = send(chain, payer, &[ix], signers).expect_err("the instruction must fail");
    assert_eq!(custom_error(&failure), Some(code(e)), "{e:?}: {:#?}", failure.logs);
    let after: Vec<u64> = watch.iter().map(|a| token_balance(chain, a)).collect();
    assert_eq!(before, after, "balances moved on a rejected {e:?}");
}

#[test]
fn admin_updates_within_bounds_and_transfers_in_two_steps() {
    let (mut chain, pool, _, _) = setup(3_600);
    let admin = pool.admin.insecure_clone();
    send(&mut chain, &admin, &[pool.update_pool(&admin.pubkey(), Some(7), None)], &[]).unwrap();
    assert_eq!((pool.state(&chain).min_stake, pool.state(&chain).unbonding_secs), (7, 3_600));
    // Less than one emission hour would let stake enter and leave inside the hour it is paid for.
    rejects(
        &mut chain,
        &admin,
        pool.update_pool(&admin.pubkey(), None, Some(3_599)),
        &[],
        StakingError::UnbondingTooShort,
        &[],
    );
    rejects(
        &mut chain,
        &admin,
        pool.update_pool(&admin.pubkey(), Some(0), None),
        &[],
        StakingError::InvalidMinStake,
        &[],
    );
    rejects(
        &mut chain,
        &admin,
        pool.update_pool(&admin.pubkey(), None, Some(366 * 86_400)),
        &[],
        StakingError::InvalidUnbondingDelay,
        &[],
    );
    rejects(
        &mut chain,
        &admin,
        pool.update_pool(&admin.pubkey(), None, None),
        &[],
        StakingError::NothingToUpdate,
        &[],
    );
    let intruder = Keypair::new();
    chain.airdrop(&intruder.pubkey(), 1_000_000_000).unwrap();
    rejects(
        &mut chain,
        &intruder,
        pool.update_pool(&intruder.pubkey(), Some(1), None),
        &[],
        StakingError::NotAdmin,
        &[],
    );

    let next = Keypair::new();
    chain.airdrop(&next.pubkey(), 1_000_000_000).unwrap();
    send(&mut chain, &admin, &[pool.propose_admin(&admin.pubkey(), next.pubkey())], &[]).unwrap();
    rejects(
        &mut chain,
        &intruder,
        pool.accept_admin(&intruder.pubkey()),
        &[],
        StakingError::NotPendingAdmin,
        &[],
    );
    send(&mut chain, &next, &[pool.accept_admin(&next.pubkey())], &[]).unwrap();
    assert_eq!(pool.state(&chain).admin, next.pubkey());
    rejects(
        &mut chain,
        &admin,
        pool.set_paused(&admin.pubkey(), true),
        &[],
        StakingError::NotAdmin,
        &[],
    );
    send(&mut chain, &next, &[pool.set_paused(&next.pubkey(), true)], &[]).unwrap();
    assert!(pool.state(&chain).paused);
}

#[test]
fn a_pause_stops_new_business_but_never_exits() {
    let (mut chain, pool, provider, source) = setup(3_600);
    let admin = pool.admin.insecure_clone();
    send(&mut chain, &provider, &[pool.stake(&provider.pubkey(), &source, 500)], &[]).unwrap();
    send(&mut chain, &admin, &[pool.set_paused(&admin.pubkey(), true)], &[]).unwrap();
    rejects(
        &mut chain,
        &provider,
        pool.stake(&provider.pubkey(), &source, 100),
        &[],
        StakingError::PoolPaused,
        &[source, pool.stake_vault],
    );
    rejects(
        &mut chain,
        &provider,
        pool.lock(&pool.locker.pubkey(), &provider.pubkey(), 1),
        &[&pool.locker],
        StakingError::PoolPaused,
        &[],
    );
    send(&mut chain, &provider, &[pool.request_unstake(&provider.pubkey(), 500)], &[]).unwrap();
    chain.warp(3_600);
    send(&mut chain, &provider, &[pool.withdraw(&provider.pubkey(), &source)], &[]).unwrap();
    assert_eq!(token_balance(&chain, &source), 10_000);
}

#[test]
fn cancel_unstake_returns_unbonding_stake() {
    let (mut chain, pool, provider, source) = setup(3_600);
    send(&mut chain, &provider, &[pool.stake(&provider.pubkey(), &source, 500)], &[]).unwrap();
    rejects(
        &mut chain,
        &provider,
        pool.cancel_unstake(&provider.pubkey()),
        &[],
        StakingError::NothingUnbonding,
        &[],
    );
    send(&mut chain, &provider, &[pool.request_unstake(&provider.pubkey(), 200)], &[]).unwrap();
    send(&mut chain, &provider, &[pool.cancel_unstake(&provider.pubkey())], &[]).unwrap();
    let stake = pool.stake_of(&chain, &provider.pubkey()).unwrap();
    assert_eq!((stake.active, stake.unbonding, stake.unbonding_ready_at), (500, 0, 0));
    // The returned stake warms up again, with the deposit that never finished warming.
    assert_eq!(stake.warming, 500);
    let state = pool.state(&chain);
    assert_eq!((state.total_active, state.total_unbonding), (500, 0));
    assert_eq!(state.total_warming, 500);
}

#[test]
fn rewards_follow_stake_and_nothing_staked_is_set_aside() {
    let (mut chain, pool, a, a_src) = setup(3_600);
    let b = Keypair::new();
    let b_src = pool.provider(&mut chain, &b, 10_000);
    // Arrives while nobody is staked: set aside, not for the next staker.
    pool.pay_rewards(&mut chain, 1_000).unwrap();
    send(&mut chain, &a, &[pool.stake(&a.pubkey(), &a_src, 100)], &[]).unwrap();
    send(&mut chain, &b, &[pool.stake(&b.pubkey(), &b_src, 300)], &[]).unwrap();
    // Nor for stake still warming up: it earns from its activation on.
    pool.pay_rewards(&mut chain, 500).unwrap();
    pool.warm_up(&mut chain, &[&a, &b]);
    assert_eq!(pool.state(&chain).unallocated_rewards, 1_500);
    pool.pay_rewards(&mut chain, 4_001).unwrap();
    send(&mut chain, &a, &[pool.claim_rewards(&a.pubkey(), &a_src)], &[]).unwrap();
    send(&mut chain, &b, &[pool.claim_rewards(&b.pubkey(), &b_src)], &[]).unwrap();
    assert_eq!(token_balance(&chain, &a_src), 10_000 - 100 + 1_000);
    assert_eq!(token_balance(&chain, &b_src), 10_000 - 300 + 3_000);
    rejects(
        &mut chain,
        &a,
        pool.claim_rewards(&a.pubkey(), &a_src),
        &[],
        StakingError::NothingToClaim,
        &[a_src, pool.reward_vault],
    );
    // The admin sweeps what was set aside, and only that.
    let admin = pool.admin.insecure_clone();
    let treasury = crucible_localnet::testing::create_token_account(
        &mut chain,
        &admin,
        &pool.mint,
        &admin.pubkey(),
    )
    .unwrap();
    send(&mut chain, &admin, &[pool.sweep_unallocated(&admin.pubkey(), &treasury)], &[]).unwrap();
    assert_eq!(token_balance(&chain, &treasury), 1_500);
    rejects(
        &mut chain,
        &admin,
        pool.sweep_unallocated(&admin.pubkey(), &treasury),
        &[],
        StakingError::NothingToSweep,
        &[treasury],
    );
    // One token of dust (4_001 over 400 units, floor) stays in the vault.
    assert_eq!(token_balance(&chain, &pool.reward_vault), 1);
}

#[test]
fn close_stake_only_when_empty() {
    let (mut chain, pool, provider, source) = setup(3_600);
    send(&mut chain, &provider, &[pool.stake(&provider.pubkey(), &source, 500)], &[]).unwrap();
    rejects(
        &mut chain,
        &provider,
        pool.close_stake(&provider.pubkey()),
        &[],
        StakingError::StakeNotEmpty,
        &[],
    );
    send(&mut chain, &provider, &[pool.request_unstake(&provider.pubkey(), 500)], &[]).unwrap();
    pool.pay_rewards(&mut chain, 10).unwrap();
    rejects(
        &mut chain,
        &provider,
        pool.close_stake(&provider.pubkey()),
        &[],
        StakingError::StakeNotEmpty,
        &[],
    );
    chain.warp(3_600);
    send(&mut chain, &provider, &[pool.withdraw(&provider.pubkey(), &source)], &[]).unwrap();
    let before = chain.get_balance(&provider.pubkey());
    let rent = chain.get_balance(&stake_pda(&pool.pool, &provider.pubkey()));
    send(&mut chain, &provider, &[pool.close_stake(&provider.pubkey())], &[]).unwrap();
    assert!(pool.stake_of(&chain, &provider.pubkey()).is_none());
    assert_eq!(chain.get_balance(&provider.pubkey()), before + rent - 5_000);
    // Rewards that arrived after the last unstake had no stake to go to: set aside.
    assert_eq!(pool.state(&chain).unallocated_rewards, 10);
}

#[test]
fn only_the_locker_locks_unlocks_and_slashes() {
    let (mut chain, pool, provider, source) = setup(3_600);
    let locker = pool.locker.insecure_clone();
    chain.airdrop(&locker.pubkey(), 1_000_000_000).unwrap();
    let p = provider.pubkey();
    send(&mut chain, &provider, &[pool.stake(&p, &source, 1_000)], &[]).unwrap();
    let attacker = Keypair::new();
    chain.airdrop(&attacker.pubkey(), 1_000_000_000).unwrap();
    rejects(
        &mut chain,
        &attacker,
        pool.lock(&attacker.pubkey(), &p, 100),
        &[],
        StakingError::NotLocker,
        &[],
    );
    rejects(
        &mut chain,
        &attacker,
        pool.slash(&attacker.pubkey(), &p, 1, None),
        &[],
        StakingError::NotLocker,
        &[pool.stake_vault],
    );

    send(&mut chain, &locker, &[pool.lock(&locker.pubkey(), &p, 600)], &[]).unwrap();
    rejects(
        &mut chain,
        &locker,
        pool.lock(&locker.pubkey(), &p, 401),
        &[],
        StakingError::InsufficientFreeStake,
        &[],
    );
    rejects(
        &mut chain,
        &provider,
        pool.request_unstake(&p, 401),
        &[],
        StakingError::InsufficientFreeStake,
        &[],
    );
    send(&mut chain, &provider, &[pool.request_unstake(&p, 300)], &[]).unwrap();
    rejects(
        &mut chain,
        &locker,
        pool.unlock(&locker.pubkey(), &p, 601, JobOutcome::Completed),
        &[],
        StakingError::UnlockExceedsLocked,
        &[],
    );

    // Slash 700: 600 from locked (and active), 100 from unbonding, to the harmed client.
    let client = Keypair::new();
    let harmed = pool.provider(&mut chain, &client, 0);
    rejects(
        &mut chain,
        &locker,
        pool.slash(&locker.pubkey(), &p, 901, Some(harmed)),
        &[],
        StakingError::SlashExceedsSlashable,
        &[harmed, pool.stake_vault],
    );
    send(&mut chain, &locker, &[pool.slash(&locker.pubkey(), &p, 700, Some(harmed))], &[]).unwrap();
    assert_eq!(token_balance(&chain, &harmed), 700);
    let stake = pool.stake_of(&chain, &p).unwrap();
    assert_eq!(
        (stake.active, stake.locked, stake.unbonding, stake.slashed_total),
        (100, 0, 200, 700)
    );
    // Burn: supply falls by exactly the amount.
    let supply = mint_supply(&chain, &pool.mint);
    send(&mut chain, &locker, &[pool.slash(&locker.pubkey(), &p, 50, None)], &[]).unwrap();
    assert_eq!(mint_supply(&chain, &pool.mint), supply - 50);
    send(&mut chain, &locker, &[pool.lock(&locker.pubkey(), &p, 100)], &[]).unwrap();
    send(&mut chain, &locker, &[pool.unlock(&locker.pubkey(), &p, 100, JobOutcome::Failed)], &[])
        .unwrap();
    send(&mut chain, &locker, &[pool.unlock(&locker.pubkey(), &p, 0, JobOutcome::Completed)], &[])
        .unwrap();
    let stake = pool.stake_of(&chain, &p).unwrap();
    assert_eq!((stake.jobs_completed, stake.jobs_failed, stake.locked), (1, 1, 0));
    let state = pool.state(&chain);
    assert_eq!(
        token_balance(&chain, &pool.stake_vault),
        state.total_active + state.total_unbonding
    );
}

#[test]
fn overflow_sized_amounts_fail_cleanly() {
    let (mut chain, pool, provider, source) = setup(3_600);
    let p = provider.pubkey();
    send(&mut chain, &provider, &[pool.stake(&p, &source, 500)], &[]).unwrap();
    // More than the source holds: the token program refuses (its error 1), nothing moves.
    let failure =
        send(&mut chain, &provider, &[pool.stake(&p, &source, u64::MAX)], &[]).unwrap_err();
    assert_eq!(
        custom_error(&failure),
        Some(u32::from(StakingError::MathOverflow)),
        "{:#?}",
        failure.logs
    );
    assert_eq!(token_balance(&chain, &source), 9_500);
    rejects(
        &mut chain,
        &provider,
        pool.request_unstake(&p, u64::MAX),
        &[],
        StakingError::InsufficientFreeStake,
        &[],
    );
    let locker = pool.locker.insecure_clone();
    chain.airdrop(&locker.pubkey(), 1_000_000_000).unwrap();
    rejects(
        &mut chain,
        &locker,
        pool.slash(&locker.pubkey(), &p, u64::MAX, None),
        &[],
        StakingError::SlashExceedsSlashable,
        &[pool.stake_vault],
    );
}

#[test]
fn payouts_never_go_back_into_the_pools_vaults() {
    let (mut chain, pool, provider, source) = setup(3_600);
    let p = provider.pubkey();
    send(&mut chain, &provider, &[pool.stake(&p, &source, 500)], &[]).unwrap();
    pool.pay_rewards(&mut chain, 100).unwrap();
    let vaults = [pool.stake_vault, pool.reward_vault];
    for vault in vaults {
        rejects(
            &mut chain,
            &provider,
            pool.claim_rewards(&p, &vault),
            &[],
            StakingError::DestinationIsPoolVault,
            &vaults,
        );
    }
    send(&mut chain, &provider, &[pool.request_unstake(&p, 500)], &[]).unwrap();
    for vault in vaults {
        rejects(
            &mut chain,
            &provider,
            pool.withdraw(&p, &vault),
            &[],
            StakingError::DestinationIsPoolVault,
            &vaults,
        );
    }
    let locker = pool.locker.insecure_clone();
    chain.airdrop(&locker.pubkey(), 1_000_000_000).unwrap();
    rejects(
        &mut chain,
        &locker,
        pool.slash(&locker.pubkey(), &p, 10, Some(pool.stake_vault)),
        &[],
        StakingError::DestinationIsPoolVault,
        &vaults,
    );
    let admin = pool.admin.insecure_clone();
    rejects(
        &mut chain,
        &admin,
        pool.sweep_unallocated(&admin.pubkey(), &pool.reward_vault),
        &[],
        StakingError::DestinationIsPoolVault,
        &vaults,
    );
}
