//! Rewards are earned by stake × time, not by being present when a crank runs.
//!
//! Each test performs an attack on the staking pool that an emission vault pays, with the
//! vault registered as the pool's reward source, and shows the honest provider paid its full
//! share to the unit and the attacker paid nothing for hours it did not stake through.

use crucible_program_tests as support;

use crucible_emissions::math::Schedule;
use crucible_localnet::{
    testing::{self, custom_error, send, token_balance},
    Localnet, TxFailure,
};
use crucible_staking::{error::StakingError, state::StakePool};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::{
    emissions::{args, funded, now, recipients, Vault, World, HOUR},
    staking::Pool,
};

/// 1 000 tokens (6 decimals) an hour, no decay within the tests' horizon.
const SCHEDULE: Schedule = Schedule {
    initial_per_hour: 1_000_000_000,
    decay_bps: 0,
    period_hours: 730,
    cap: u64::MAX / 4,
};
const UNIT: u64 = 1 << 30;

struct Net {
    chain: Localnet,
    pool: Pool,
    vault: Vault,
    /// The vault pays the pool's reward vault everything.
    payees: [Pubkey; 1],
    honest: Keypair,
    honest_src: Pubkey,
    attacker: Keypair,
    attacker_src: Pubkey,
    cranker: Keypair,
}

fn code(e: StakingError) -> u32 {
    u32::from(e)
}

/// A pool with a one-day unbonding delay paid by a registered vault whose hour 0 starts once
/// the honest provider (`UNIT` staked) has warmed up and been activated.
fn net(unbonding_secs: u64) -> Net {
    let mut chain = Localnet::new();
    let pool =
        Pool::create(&mut chain, Keypair::new(), Keypair::new(), Keypair::new(), 1, unbonding_secs);
    let admin = pool.admin.insecure_clone();
    let source =
        testing::create_token_account(&mut chain, &admin, &pool.mint, &admin.pubkey()).unwrap();
    testing::mint_to(
        &mut chain,
        &admin,
        &pool.mint,
        &source,
        1_000_000 * SCHEDULE.initial_per_hour,
    )
    .unwrap();
    let w = World { authority: admin.insecure_clone(), mint: pool.mint, source };
    let payees = [pool.reward_vault];
    let schedule = Schedule { cap: 1_000_000 * SCHEDULE.initial_per_hour, ..SCHEDULE };
    let start = now(&chain) + HOUR as i64;
    let vault =
        w.create(&mut chain, args(1, start, schedule, recipients(&payees, &[10_000]))).unwrap();
    send(&mut chain, &admin, &[pool.add_reward_source(&admin.pubkey(), &vault.vault)], &[])
        .unwrap();
    let honest = Keypair::new();
    let honest_src = pool.provider(&mut chain, &honest, UNIT);
    let attacker = Keypair::new();
    let attacker_src = pool.provider(&mut chain, &attacker, 1_000 * UNIT);
    send(&mut chain, &honest, &[pool.stake(&honest.pubkey(), &honest_src, UNIT)], &[]).unwrap();
    chain.warp(HOUR);
    let activate = pool.activate_stake(&honest.pubkey(), &[vault.vault]);
    send(&mut chain, &honest, &[activate], &[]).unwrap();
    let cranker = funded(&mut chain);
    Net { chain, pool, vault, payees, honest, honest_src, attacker, attacker_src, cranker }
}

impl Net {
    fn emit(&self) -> Instruction {
        self.vault.emit(&self.payees)
    }
    fn activate(&self, owner: &Keypair) -> Instruction {
        self.pool.activate_stake(&owner.pubkey(), &[self.vault.vault])
    }
    fn claim(&mut self, owner: &Keypair, to: &Pubkey) -> Result<Vec<String>, TxFailure> {
        let ix = self.pool.claim_rewards(&owner.pubkey(), to);
        send(&mut self.chain, owner, &[ix], &[])
    }
    /// What the vault has paid the pool so far: hours 0..emitted_hours.
    fn paid_to_pool(&self) -> u64 {
        self.vault.state(&self.chain).total_emitted
    }
    fn hours_at(&self, hours: u64) -> u64 {
        hours * SCHEDULE.initial_per_hour
    }
}

/// Sends `ixs` as one transaction expecting staking error `e`; balances must not move.
fn rejects(n: &mut Net, payer: &Keypair, ixs: &[Instruction], e: StakingError, watch: &[Pubkey]) {
    let before: Vec<u64> = watch.iter().map(|a| token_balance(&n.chain, a)).collect();
    let failure = send(&mut n.chain, payer, ixs, &[]).expect_err("the transaction must fail");
    assert_eq!(custom_error(&failure), Some(code(e)), "{e:?}: {:#?}", failure.logs);
    let after: Vec<u64> = watch.iter().map(|a| token_balance(&n.chain, a)).collect();
    assert_eq!(before, after, "balances moved on a rejected {e:?}");
}

#[test]
fn a_pool_refuses_an_unbonding_delay_under_one_hour() {
    let mut chain = Localnet::new();
    let admin = Keypair::new();
    chain.airdrop(&admin.pubkey(), 1_000 * testing::SOL).unwrap();
    let mint = Keypair::new();
    testing::create_mint(&mut chain, &admin, &mint, &admin.pubkey(), 6).unwrap();
    let pool = Pool {
        pool: support::staking::pool_pda(&mint.pubkey()),
        stake_vault: support::staking::stake_vault_pda(&support::staking::pool_pda(&mint.pubkey())),
        reward_vault: support::staking::reward_vault_pda(&support::staking::pool_pda(
            &mint.pubkey(),
        )),
        mint: mint.pubkey(),
        locker: Keypair::new(),
        admin: admin.insecure_clone(),
    };
    for secs in [0, 1, 3_599] {
        let init = pool.init_pool(&admin.pubkey(), 1, secs, pool.locker.pubkey());
        let failure = send(&mut chain, &admin, &[init], &[]).unwrap_err();
        assert_eq!(custom_error(&failure), Some(code(StakingError::UnbondingTooShort)));
        assert!(chain.get_account(&pool.pool).is_none());
    }
    let init =
        pool.init_pool(&admin.pubkey(), 1, StakePool::MIN_UNBONDING_SECS, pool.locker.pubkey());
    send(&mut chain, &admin, &[init], &[]).unwrap();
}

/// Stake → emit → unstake → withdraw → claim in one transaction, five hours after the last
/// crank. The withdrawal cannot happen (an hour of unbonding at least); without it the
/// bundle goes through, and the flash stake is paid nothing of the five hours.
#[test]
fn a_flash_stake_around_a_late_crank_earns_nothing() {
    let mut n = net(StakePool::MIN_UNBONDING_SECS);
    n.chain.warp(5 * HOUR);
    let (a, src) = (n.attacker.insecure_clone(), n.attacker_src);
    let big = 1_000 * UNIT;
    let stake = n.pool.stake(&a.pubkey(), &src, big);
    let unstake = n.pool.request_unstake(&a.pubkey(), big);
    let withdraw = n.pool.withdraw(&a.pubkey(), &src);
    let claim = n.pool.claim_rewards(&a.pubkey(), &src);
    let all = [stake.clone(), n.emit(), unstake.clone(), withdraw, claim.clone()];
    let watch = [src, n.pool.reward_vault, n.pool.stake_vault];
    rejects(&mut n, &a, &all, StakingError::UnbondingNotElapsed, &watch);
    // Without the withdrawal the claim finds nothing: the five hours were synced to the
    // honest stake before the flash stake could weigh anything.
    let no_withdraw = [stake.clone(), n.emit(), unstake.clone(), claim];
    rejects(&mut n, &a, &no_withdraw, StakingError::NothingToClaim, &watch);
    {
        let ixs = [stake, n.emit(), unstake];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    n.chain.warp(StakePool::MIN_UNBONDING_SECS);
    {
        let ixs = [n.pool.withdraw(&a.pubkey(), &src)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    let failure = n.claim(&a, &src).unwrap_err();
    assert_eq!(custom_error(&failure), Some(code(StakingError::NothingToClaim)));
    assert_eq!(
        token_balance(&n.chain, &src),
        1_000 * UNIT,
        "the attacker got its stake back, nothing more"
    );

    // The honest provider gets every unit of the five hours (2^30 staked: exact accumulator).
    let (h, hsrc) = (n.honest.insecure_clone(), n.honest_src);
    n.claim(&h, &hsrc).unwrap();
    assert_eq!(n.paid_to_pool(), n.hours_at(5));
    assert_eq!(token_balance(&n.chain, &hsrc), n.hours_at(5));
    assert_eq!(token_balance(&n.chain, &n.pool.reward_vault), 0);
}

/// Staking one second before an hour ends and cranking right after it: the hour belongs to
/// the stake that was there through it. The attacker earns only the whole hours after its
/// activation that it stays staked through, pro rata.
#[test]
fn a_stake_just_before_the_crank_does_not_share_the_hour_before_it() {
    let mut n = net(StakePool::MIN_UNBONDING_SECS);
    let (a, src) = (n.attacker.insecure_clone(), n.attacker_src);
    let cranker = n.cranker.insecure_clone();
    // Hours 0 and 1 pass with nobody cranking; the attacker stakes 3x the honest stake at
    // 1:59:59 and tries to activate in the same transaction as the crank at 2:00:00.
    n.chain.warp(2 * HOUR - 1);
    {
        let ixs = [n.pool.stake(&a.pubkey(), &src, 3 * UNIT)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    n.chain.warp(1);
    let watch = [n.pool.reward_vault, src];
    let ixs = [n.emit(), n.activate(&a)];
    rejects(&mut n, &a, &ixs, StakingError::StillWarming, &watch);
    {
        let ixs = [n.emit()];
        send(&mut n.chain, &cranker, &ixs, &[])
    }
    .unwrap();
    // An hour after its deposit it may activate, but only once the vault has paid hour 2:
    // activating first is refused, emitting first sends hour 2 to the honest stake.
    n.chain.warp(HOUR);
    let ix = n.activate(&a);
    rejects(&mut n, &a, &[ix], StakingError::RewardSourceBehind, &watch);
    {
        let ixs = [n.emit(), n.activate(&a)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    // Now at 3:00:00. Hours 3 and 4 are shared 1:3; the attacker unstakes at 5:30, so hour 5
    // goes to the honest stake alone.
    n.chain.warp(2 * HOUR + HOUR / 2);
    {
        let ixs = [n.emit(), n.pool.request_unstake(&a.pubkey(), 3 * UNIT)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    n.chain.warp(HOUR);
    {
        let ixs = [n.emit()];
        send(&mut n.chain, &cranker, &ixs, &[])
    }
    .unwrap();
    let (h, hsrc) = (n.honest.insecure_clone(), n.honest_src);
    n.claim(&h, &hsrc).unwrap();
    n.claim(&a, &src).unwrap();
    let hour = n.hours_at(1);
    assert_eq!(n.paid_to_pool(), n.hours_at(6));
    assert_eq!(token_balance(&n.chain, &hsrc), 3 * hour + 2 * hour / 4 + hour);
    assert_eq!(token_balance(&n.chain, &src), 1_000 * UNIT - 3 * UNIT + 2 * 3 * hour / 4);
    assert_eq!(token_balance(&n.chain, &n.pool.reward_vault), 0);
}

/// Stake that leaves for unbonding earns nothing there; cancelling the unstake just before a
/// late crank must not buy back the hours it spent unbonding.
#[test]
fn a_cancelled_unstake_warms_up_again() {
    let mut n = net(7 * 24 * HOUR);
    let (a, src) = (n.attacker.insecure_clone(), n.attacker_src);
    {
        let ixs = [n.pool.stake(&a.pubkey(), &src, UNIT)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    n.chain.warp(HOUR);
    {
        let ixs = [n.emit(), n.activate(&a)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    {
        let ixs = [n.pool.request_unstake(&a.pubkey(), UNIT)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    // Four hours unbonding, nobody cranks; cancel, crank and claim in one transaction.
    n.chain.warp(4 * HOUR);
    let bundle =
        [n.pool.cancel_unstake(&a.pubkey()), n.emit(), n.pool.claim_rewards(&a.pubkey(), &src)];
    let watch = [src, n.pool.reward_vault];
    rejects(&mut n, &a, &bundle, StakingError::NothingToClaim, &watch);
    let stake = n.pool.stake_of(&n.chain, &a.pubkey()).unwrap();
    assert_eq!((stake.active, stake.warming, stake.unbonding), (0, 0, UNIT));
    let (h, hsrc) = (n.honest.insecure_clone(), n.honest_src);
    {
        let ixs = [n.pool.cancel_unstake(&a.pubkey()), n.emit()];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    let stake = n.pool.stake_of(&n.chain, &a.pubkey()).unwrap();
    assert_eq!((stake.active, stake.warming), (UNIT, UNIT));
    n.claim(&h, &hsrc).unwrap();
    // The attacker was activated at 1:00, after hour 0 was paid, and unbonded through hours
    // 1 to 4: all five hours are the honest provider's.
    assert_eq!(token_balance(&n.chain, &hsrc), n.hours_at(5));
}

#[test]
fn activation_is_refused_until_it_is_due_and_with_the_wrong_sources() {
    let mut n = net(StakePool::MIN_UNBONDING_SECS);
    let (a, src) = (n.attacker.insecure_clone(), n.attacker_src);
    let cranker = n.cranker.insecure_clone();
    let watch = [n.pool.reward_vault];
    let h = n.honest.insecure_clone();
    let ix = n.activate(&h);
    rejects(&mut n, &cranker, &[ix], StakingError::NothingWarming, &watch);
    {
        let ixs = [n.pool.stake(&a.pubkey(), &src, UNIT)];
        send(&mut n.chain, &a, &ixs, &[])
    }
    .unwrap();
    let ix = n.activate(&a);
    rejects(&mut n, &cranker, &[ix], StakingError::StillWarming, &watch);
    n.chain.warp(HOUR);
    let without = n.pool.activate_stake(&a.pubkey(), &[]);
    rejects(&mut n, &cranker, &[without], StakingError::RewardSourceMismatch, &watch);
    let other = n.pool.activate_stake(&a.pubkey(), &[n.pool.stake_vault]);
    rejects(&mut n, &cranker, &[other], StakingError::RewardSourceMismatch, &watch);
    let ix = n.activate(&a);
    rejects(&mut n, &cranker, &[ix], StakingError::RewardSourceBehind, &watch);
    // A paused source with hours due is behind: the paused hours are paid on resume, to the
    // stake of their time, so no new stake may join before they are.
    let admin = n.pool.admin.insecure_clone();
    {
        let ixs = [n.vault.set_paused(&admin.pubkey(), true)];
        send(&mut n.chain, &admin, &ixs, &[])
    }
    .unwrap();
    let ix = n.activate(&a);
    rejects(&mut n, &cranker, &[ix], StakingError::RewardSourceBehind, &watch);
    {
        let ixs = [n.vault.set_paused(&admin.pubkey(), false)];
        send(&mut n.chain, &admin, &ixs, &[])
    }
    .unwrap();
    // Anyone may activate it once the vault is paid up.
    {
        let ixs = [n.emit(), n.activate(&a)];
        send(&mut n.chain, &cranker, &ixs, &[])
    }
    .unwrap();
    let stake = n.pool.stake_of(&n.chain, &a.pubkey()).unwrap();
    assert_eq!((stake.active, stake.warming), (UNIT, 0));
    assert_eq!(n.pool.state(&n.chain).total_warming, 0);
}

#[test]
fn only_the_admin_registers_reward_sources_and_only_real_ones() {
    let mut n = net(StakePool::MIN_UNBONDING_SECS);
    let admin = n.pool.admin.insecure_clone();
    let a = n.attacker.insecure_clone();
    let v = n.vault.vault;
    let ix = n.pool.add_reward_source(&a.pubkey(), &v);
    rejects(&mut n, &a, &[ix], StakingError::NotAdmin, &[]);
    let ix = n.pool.add_reward_source(&admin.pubkey(), &v);
    rejects(&mut n, &admin, &[ix], StakingError::RewardSourceAlreadyAdded, &[]);
    // Not an emission vault at all, and a vault that does not pay the pool.
    let ix = n.pool.add_reward_source(&admin.pubkey(), &n.pool.stake_vault);
    rejects(&mut n, &admin, &[ix], StakingError::NotARewardSource, &[]);
    let mint = n.pool.mint;
    let elsewhere =
        testing::create_token_account(&mut n.chain, &admin, &mint, &admin.pubkey()).unwrap();
    let funding =
        testing::create_token_account(&mut n.chain, &admin, &mint, &admin.pubkey()).unwrap();
    let small = Schedule { cap: 10 * SCHEDULE.initial_per_hour, ..SCHEDULE };
    testing::mint_to(&mut n.chain, &admin, &mint, &funding, 10 * small.cap).unwrap();
    let w = World { authority: admin.insecure_clone(), mint, source: funding };
    let start = now(&n.chain);
    let foreign =
        w.create(&mut n.chain, args(2, start, small, recipients(&[elsewhere], &[10_000]))).unwrap();
    let ix = n.pool.add_reward_source(&admin.pubkey(), &foreign.vault);
    rejects(&mut n, &admin, &[ix], StakingError::NotARewardSource, &[]);
    // Up to eight sources.
    let payees = [n.pool.reward_vault];
    for id in 3..11 {
        let extra =
            w.create(&mut n.chain, args(id, start, small, recipients(&payees, &[10_000]))).unwrap();
        let ix = n.pool.add_reward_source(&admin.pubkey(), &extra.vault);
        if id < 10 {
            send(&mut n.chain, &admin, &[ix], &[]).unwrap();
        } else {
            rejects(&mut n, &admin, &[ix], StakingError::TooManyRewardSources, &[]);
        }
    }
    assert_eq!(n.pool.state(&n.chain).reward_source_count, 8);
}

/// The admin cannot unregister a vault that still owes the pool hours, activate stake of its
/// own and let those hours land on it.
#[test]
fn a_reward_source_is_removed_only_once_it_has_paid_everything() {
    let mut n = net(StakePool::MIN_UNBONDING_SECS);
    let admin = n.pool.admin.insecure_clone();
    let v = n.vault.vault;
    let remove = n.pool.remove_reward_source(&admin.pubkey(), &v);
    rejects(
        &mut n,
        &admin,
        std::slice::from_ref(&remove),
        StakingError::RewardSourceStillPaying,
        &[],
    );
    let stake_vault = n.pool.stake_vault;
    let unknown = n.pool.remove_reward_source(&admin.pubkey(), &stake_vault);
    rejects(&mut n, &admin, &[unknown], StakingError::UnknownRewardSource, &[]);
    let a = n.attacker.insecure_clone();
    let by_attacker = n.pool.remove_reward_source(&a.pubkey(), &v);
    rejects(&mut n, &a, &[by_attacker], StakingError::NotAdmin, &[]);
    // Revoked (paying every hour due first), it owes nothing more: removable.
    n.chain.warp(3 * HOUR);
    let back =
        testing::create_token_account(&mut n.chain, &admin, &n.pool.mint, &admin.pubkey()).unwrap();
    {
        let ixs = [n.vault.revoke(&admin.pubkey(), &back, &n.payees)];
        send(&mut n.chain, &admin, &ixs, &[])
    }
    .unwrap();
    send(&mut n.chain, &admin, &[remove], &[]).unwrap();
    assert_eq!(n.pool.state(&n.chain).reward_source_count, 0);
    let (h, hsrc) = (n.honest.insecure_clone(), n.honest_src);
    n.claim(&h, &hsrc).unwrap();
    assert_eq!(token_balance(&n.chain, &hsrc), n.hours_at(3));
}

#[test]
fn a_mint_with_a_freeze_authority_is_refused() {
    let mut chain = Localnet::new();
    let admin = Keypair::new();
    chain.airdrop(&admin.pubkey(), 1_000 * testing::SOL).unwrap();
    let mint = Keypair::new();
    let rent = chain.minimum_balance_for_rent_exemption(82);
    let spl = anchor_spl::token::spl_token::ID;
    let ixs = [
        solana_system_interface::instruction::create_account(
            &admin.pubkey(),
            &mint.pubkey(),
            rent,
            82,
            &spl,
        ),
        anchor_spl::token::spl_token::instruction::initialize_mint2(
            &spl,
            &mint.pubkey(),
            &admin.pubkey(),
            Some(&admin.pubkey()),
            6,
        )
        .unwrap(),
    ];
    send(&mut chain, &admin, &ixs, &[&mint]).unwrap();
    let pool = support::staking::pool_pda(&mint.pubkey());
    let p = Pool {
        pool,
        stake_vault: support::staking::stake_vault_pda(&pool),
        reward_vault: support::staking::reward_vault_pda(&pool),
        mint: mint.pubkey(),
        locker: Keypair::new(),
        admin: admin.insecure_clone(),
    };
    let init = p.init_pool(&admin.pubkey(), 1, StakePool::MIN_UNBONDING_SECS, p.locker.pubkey());
    let failure = send(&mut chain, &admin, &[init], &[]).unwrap_err();
    assert_eq!(custom_error(&failure), Some(code(StakingError::MintHasFreezeAuthority)));
    assert!(chain.get_account(&pool).is_none());
}

/// A source whose recipients change to leave the pool out has paid the pool every hour due at
/// that change, so the admin may remove it even while it is paused with hours due to others:
/// a paused vault that no longer pays the pool cannot hold back activation.
#[test]
fn a_source_that_stopped_paying_the_pool_is_removed_even_while_paused() {
    let mut n = net(StakePool::MIN_UNBONDING_SECS);
    let admin = n.pool.admin.insecure_clone();
    let elsewhere =
        testing::create_token_account(&mut n.chain, &admin, &n.pool.mint, &admin.pubkey()).unwrap();
    n.chain.warp(2 * HOUR);
    let away =
        n.vault.update_recipients(&admin.pubkey(), &n.payees, recipients(&[elsewhere], &[10_000]));
    send(&mut n.chain, &admin, &[away, n.vault.set_paused(&admin.pubkey(), true)], &[]).unwrap();
    n.chain.warp(HOUR);
    let remove = n.pool.remove_reward_source(&admin.pubkey(), &n.vault.vault);
    send(&mut n.chain, &admin, &[remove], &[]).unwrap();
    assert_eq!(n.pool.state(&n.chain).reward_source_count, 0);
    // The two hours before the change were the pool's, and the honest stake's.
    let (h, hsrc) = (n.honest.insecure_clone(), n.honest_src);
    n.claim(&h, &hsrc).unwrap();
    assert_eq!(token_balance(&n.chain, &hsrc), n.hours_at(2));
}

/// A vault can be registered while its pending proposal would start paying the pool, so there
/// is no window in which it pays the pool unregistered; and it cannot be removed meanwhile.
#[test]
fn a_vault_is_registered_while_its_proposal_to_pay_the_pool_is_pending() {
    let mut n = net(StakePool::MIN_UNBONDING_SECS);
    let admin = n.pool.admin.insecure_clone();
    let mint = n.pool.mint;
    let elsewhere =
        testing::create_token_account(&mut n.chain, &admin, &mint, &admin.pubkey()).unwrap();
    let funding =
        testing::create_token_account(&mut n.chain, &admin, &mint, &admin.pubkey()).unwrap();
    let small = Schedule { cap: 10 * SCHEDULE.initial_per_hour, ..SCHEDULE };
    testing::mint_to(&mut n.chain, &admin, &mint, &funding, small.cap).unwrap();
    let w = World { authority: admin.insecure_clone(), mint, source: funding };
    let start = now(&n.chain);
    let later =
        w.create(&mut n.chain, args(2, start, small, recipients(&[elsewhere], &[10_000]))).unwrap();
    let ix = n.pool.add_reward_source(&admin.pubkey(), &later.vault);
    rejects(&mut n, &admin, &[ix], StakingError::NotARewardSource, &[]);
    let to_pool = later.propose_recipients(&admin.pubkey(), recipients(&n.payees, &[10_000]));
    send(&mut n.chain, &admin, &[to_pool], &[]).unwrap();
    let add = n.pool.add_reward_source(&admin.pubkey(), &later.vault);
    send(&mut n.chain, &admin, &[add], &[]).unwrap();
    let remove = n.pool.remove_reward_source(&admin.pubkey(), &later.vault);
    rejects(&mut n, &admin, &[remove], StakingError::RewardSourceStillPaying, &[]);
    assert_eq!(n.pool.state(&n.chain).reward_source_count, 2);
}
