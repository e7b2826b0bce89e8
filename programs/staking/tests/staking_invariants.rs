//! Randomized staking sequences with the invariants of DESIGN.md checked after every step.
//!
//! Each sequence creates a fresh pool and runs random stakes, unstakes, cancels, withdrawals,
//! reward arrivals, locks, unlocks, slashes (paid or burned), syncs, activations of stake that
//! warmed up and clock moves, with
//! amounts at the edges (0, 1, u64::MAX) among them. It runs twice, in two chains: in one
//! every provider claims after every step, in the other only at the end. After every step, in
//! both: stake vault = Σ active + Σ unbonding = pool totals, locked ≤ active, warming ≤ active,
//! Σ warming = total warming, Σ claimable ≤ reward vault; a failed transaction changed nothing. At the end each
//! provider has received exactly the same rewards in both chains.
//!
//! `STAKING_SEED` (default 0xC0FFEE) and `STAKING_SEQUENCES` (default 200) control the run;
//! the seed is printed so a failure can be replayed.

use crucible_program_tests as support;

use crucible_localnet::{
    testing::{self, anchor_account, keypair_from_seed, send, token_balance},
    Localnet,
};
use crucible_staking::{
    math,
    state::{JobOutcome, ProviderStake},
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::staking::{stake_pda, Pool};

const PROVIDERS: usize = 3;
const STEPS: usize = 25;
const START_TOKENS: u64 = 1_000_000;

use support::Rng;

#[derive(Clone, Debug)]
enum Op {
    Stake(usize, u64),
    Unstake(usize, u64),
    Cancel(usize),
    Withdraw(usize),
    Reward(u64),
    Lock(usize, u64),
    Unlock(usize, u64, JobOutcome),
    SlashTo(usize, u64),
    SlashBurn(usize, u64),
    Sync,
    Activate(usize),
    Warp(u64),
}

fn random_op(rng: &mut Rng) -> Op {
    let p = rng.below(PROVIDERS as u64) as usize;
    match rng.below(12) {
        0 | 1 => Op::Stake(p, rng.amount_or_edge(20, 300_000)),
        2 => Op::Unstake(p, rng.amount_or_edge(20, 200_000)),
        3 => Op::Cancel(p),
        4 => Op::Withdraw(p),
        5 => Op::Reward(rng.amount_or_edge(20, 50_000).min(10_000_000)),
        6 => Op::Lock(p, rng.amount_or_edge(20, 200_000)),
        7 => {
            let outcome = [JobOutcome::Completed, JobOutcome::Failed, JobOutcome::Released]
                [rng.below(3) as usize];
            Op::Unlock(p, rng.amount_or_edge(20, 200_000), outcome)
        }
        8 => {
            if rng.below(2) == 0 {
                Op::SlashTo(p, rng.amount_or_edge(20, 100_000))
            } else {
                Op::SlashBurn(p, rng.amount_or_edge(20, 100_000))
            }
        }
        9 => Op::Sync,
        10 => Op::Activate(p),
        _ => Op::Warp(rng.below(5_000)),
    }
}

/// One chain running the sequences; `claim_often` makes every provider claim after each step.
struct World {
    chain: Localnet,
    claim_often: bool,
}

struct Sequence {
    pool: Pool,
    providers: Vec<(Keypair, Pubkey)>,
    harmed: Pubkey,
}

fn seeded(seed: u64, tag: u8, index: usize) -> Keypair {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8] = tag;
    bytes[9..17].copy_from_slice(&(index as u64).to_le_bytes());
    keypair_from_seed(bytes)
}

impl World {
    fn setup(&mut self, seed: u64, n: usize) -> Sequence {
        let id = n * 16;
        let pool = Pool::create(
            &mut self.chain,
            seeded(seed, 1, id),
            seeded(seed, 2, id),
            seeded(seed, 3, id),
            1,
            3_600,
        );
        self.chain.airdrop(&pool.locker.pubkey(), 1_000_000_000).unwrap();
        let providers = (0..PROVIDERS)
            .map(|i| {
                let kp = seeded(seed, 4, id + i);
                let account = pool.provider(&mut self.chain, &kp, START_TOKENS);
                (kp, account)
            })
            .collect();
        let harmed = testing::create_token_account(
            &mut self.chain,
            &pool.admin,
            &pool.mint,
            &pool.admin.pubkey(),
        )
        .unwrap();
        Sequence { pool, providers, harmed }
    }

    fn instruction(&self, s: &Sequence, op: &Op) -> Option<(Instruction, usize)> {
        let locker = s.pool.locker.pubkey();
        let key = |p: usize| s.providers[p].0.pubkey();
        Some(match op {
            Op::Stake(p, a) => (s.pool.stake(&key(*p), &s.providers[*p].1, *a), *p),
            Op::Unstake(p, a) => (s.pool.request_unstake(&key(*p), *a), *p),
            Op::Cancel(p) => (s.pool.cancel_unstake(&key(*p)), *p),
            Op::Withdraw(p) => (s.pool.withdraw(&key(*p), &s.providers[*p].1), *p),
            Op::Lock(p, a) => (s.pool.lock(&locker, &key(*p), *a), usize::MAX),
            Op::Unlock(p, a, o) => (s.pool.unlock(&locker, &key(*p), *a, *o), usize::MAX),
            Op::SlashTo(p, a) => (s.pool.slash(&locker, &key(*p), *a, Some(s.harmed)), usize::MAX),
            Op::SlashBurn(p, a) => (s.pool.slash(&locker, &key(*p), *a, None), usize::MAX),
            Op::Sync => (s.pool.sync_rewards(), usize::MAX),
            Op::Activate(p) => (s.pool.activate_stake(&key(*p), &[]), *p),
            Op::Reward(_) | Op::Warp(_) => return None,
        })
    }

    /// Everything a failed transaction must leave unchanged.
    fn snapshot(&self, s: &Sequence) -> Vec<Vec<u8>> {
        let mut keys =
            vec![s.pool.pool, s.pool.stake_vault, s.pool.reward_vault, s.pool.mint, s.harmed];
        for (kp, account) in &s.providers {
            keys.push(*account);
            keys.push(stake_pda(&s.pool.pool, &kp.pubkey()));
        }
        keys.iter().map(|k| self.chain.get_account(k).map(|a| a.data).unwrap_or_default()).collect()
    }

    /// Returns whether the step succeeded.
    fn apply(&mut self, s: &Sequence, op: &Op) -> bool {
        match op {
            Op::Reward(amount) => return s.pool.pay_rewards(&mut self.chain, *amount).is_ok(),
            Op::Warp(secs) => {
                self.chain.warp(*secs);
                return true;
            }
            _ => {}
        }
        let (ix, signer) = self.instruction(s, op).expect("a transaction op");
        let payer = if signer == usize::MAX {
            s.pool.locker.insecure_clone()
        } else {
            s.providers[signer].0.insecure_clone()
        };
        let before = self.snapshot(s);
        match send(&mut self.chain, &payer, &[ix], &[]) {
            Ok(_) => true,
            Err(failure) => {
                assert_eq!(
                    before,
                    self.snapshot(s),
                    "{op:?} failed ({:?}) but changed state",
                    failure.err
                );
                false
            }
        }
    }

    fn claim_all(&mut self, s: &Sequence) {
        for (kp, account) in &s.providers {
            let before = self.snapshot(s);
            if let Err(failure) =
                send(&mut self.chain, kp, &[s.pool.claim_rewards(&kp.pubkey(), account)], &[])
            {
                assert_eq!(
                    before,
                    self.snapshot(s),
                    "failed claim changed state: {:?}",
                    failure.err
                );
            }
        }
    }

    fn check_invariants(&self, s: &Sequence, context: &str) {
        let pool = s.pool.state(&self.chain);
        let stakes: Vec<ProviderStake> = s
            .providers
            .iter()
            .filter_map(|(kp, _)| {
                anchor_account(&self.chain, &stake_pda(&s.pool.pool, &kp.pubkey()))
            })
            .collect();
        let sum = |f: fn(&ProviderStake) -> u64| stakes.iter().map(f).sum::<u64>();
        let vault = token_balance(&self.chain, &s.pool.stake_vault);
        assert_eq!(
            vault,
            pool.total_active + pool.total_unbonding,
            "{context}: stake vault vs pool totals"
        );
        assert_eq!(pool.total_active, sum(|s| s.active), "{context}: Σ active");
        assert_eq!(pool.total_unbonding, sum(|s| s.unbonding), "{context}: Σ unbonding");
        assert_eq!(pool.total_warming, sum(|s| s.warming), "{context}: Σ warming");
        for stake in &stakes {
            assert!(stake.locked <= stake.active, "{context}: locked > active");
            assert!(stake.warming <= stake.active, "{context}: warming > active");
        }
        // Σ claimable (after the sync any claim would do) never exceeds the reward vault.
        let reward_vault = token_balance(&self.chain, &s.pool.reward_vault);
        let synced = math::sync(
            math::Accumulator {
                acc_reward_per_share: pool.acc_reward_per_share,
                remainder: pool.acc_remainder,
                remainder_base: pool.acc_remainder_base,
            },
            pool.reward_accounted,
            reward_vault,
            pool.total_active - pool.total_warming,
        )
        .expect("the vault never holds less than accounted");
        let claimable: u64 = stakes
            .iter()
            .map(|st| {
                st.rewards_pending
                    + math::pending(
                        st.active - st.warming,
                        synced.acc_reward_per_share,
                        st.reward_debt,
                    )
                    .expect("pending")
            })
            .sum();
        let unallocated = pool.unallocated_rewards + synced.unallocated;
        assert!(
            claimable + unallocated <= reward_vault,
            "{context}: Σ claimable {claimable} + unallocated {unallocated} > vault {reward_vault}"
        );
    }
}

#[test]
fn randomized_staking_sequences_keep_the_invariants() {
    let seed =
        std::env::var("STAKING_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0xC0FFEE_u64);
    let sequences: usize =
        std::env::var("STAKING_SEQUENCES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    println!("staking invariants: seed {seed} ({sequences} sequences of {STEPS} steps; replay with STAKING_SEED={seed})");
    let mut often = World { chain: Localnet::new(), claim_often: true };
    let mut rarely = World { chain: Localnet::new(), claim_often: false };
    let mut rng = Rng(seed);
    let (mut steps, mut failed, mut checks) = (0usize, 0usize, 0usize);
    for n in 0..sequences {
        let ops: Vec<Op> = (0..STEPS).map(|_| random_op(&mut rng)).collect();
        let sa = often.setup(seed, n);
        let sb = rarely.setup(seed, n);
        for (i, op) in ops.iter().enumerate() {
            let context = format!("seed {seed} sequence {n} step {i} {op:?}");
            let ok_a = often.apply(&sa, op);
            let ok_b = rarely.apply(&sb, op);
            assert_eq!(ok_a, ok_b, "{context}: the two chains disagree");
            failed += usize::from(!ok_a);
            steps += 1;
            if often.claim_often {
                often.claim_all(&sa);
            }
            often.check_invariants(&sa, &context);
            rarely.check_invariants(&sb, &context);
            checks += 2;
        }
        often.claim_all(&sa);
        rarely.claim_all(&sb);
        for p in 0..PROVIDERS {
            let key = sa.providers[p].0.pubkey();
            let claimed = |w: &World, s: &Sequence| {
                anchor_account::<ProviderStake>(&w.chain, &stake_pda(&s.pool.pool, &key))
                    .map(|st| st.rewards_claimed)
            };
            assert_eq!(
                claimed(&often, &sa),
                claimed(&rarely, &sb),
                "seed {seed} sequence {n}: provider {p} claims differ"
            );
            assert_eq!(
                token_balance(&often.chain, &sa.providers[p].1),
                token_balance(&rarely.chain, &sb.providers[p].1),
                "seed {seed} sequence {n}: provider {p} balances differ"
            );
        }
    }
    println!(
        "staking invariants: {sequences} sequences, {steps} steps ({failed} rejected as expected), {checks} invariant checks, claims equal in both chains"
    );
}
