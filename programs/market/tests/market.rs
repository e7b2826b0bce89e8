//! The market program in the in-process chain: every transition with exact balances, the
//! collateral through the staking program, and the main rejections (error code, nothing moved).

use crucible_program_tests as support;

use crucible_localnet::{
    testing::{custom_error, mint_supply, send, token_balance},
    Localnet,
};
use crucible_market::{error::MarketError, state::JobState, ResolveDisputeArgs};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::{
    market::{default_params, escrow_pda, job_pda, Network, Party},
    staking::stake_pda,
};

const PRICE: u64 = 10_000;
const HOUR: u64 = 3_600;

struct World {
    chain: Localnet,
    net: Network,
    market: Pubkey,
    client: Party,
    provider: Party,
}

fn world() -> World {
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let market = net.create_market(&mut chain, 1, default_params()).unwrap();
    let client = net.party(&mut chain, 100_000);
    let provider = net.provider(&mut chain, 50_000, 0);
    World { chain, net, market, client, provider }
}

impl World {
    fn post(&mut self, nonce: u64) -> Pubkey {
        let ix = self.net.create_job(
            &self.client.key.pubkey(),
            &self.client.token,
            &self.market,
            nonce,
            PRICE,
            HOUR,
            None,
        );
        send(&mut self.chain, &self.client.key, &[ix], &[]).unwrap();
        job_pda(&self.market, &self.client.key.pubkey(), nonce)
    }

    fn accept(&mut self, job: &Pubkey) {
        let ix = self.net.accept_job(&self.provider.key.pubkey(), job, &self.market);
        send(&mut self.chain, &self.provider.key, &[ix], &[]).unwrap();
    }

    fn submit(&mut self, job: &Pubkey) {
        let ix = self.net.submit_result(&self.provider.key.pubkey(), job);
        send(&mut self.chain, &self.provider.key, &[ix], &[]).unwrap();
    }

    fn locked(&self) -> u64 {
        self.net.pool.stake_of(&self.chain, &self.provider.key.pubkey()).unwrap().locked
    }

    fn balances(&self) -> [u64; 6] {
        [
            token_balance(&self.chain, &self.client.token),
            token_balance(&self.chain, &self.provider.token),
            token_balance(&self.chain, &self.net.fee_vault),
            token_balance(&self.chain, &self.net.treasury),
            token_balance(&self.chain, &self.net.pool.stake_vault),
            mint_supply(&self.chain, &self.net.pool.mint),
        ]
    }

    fn rejects(&mut self, payer: &Keypair, ix: solana_instruction::Instruction, e: MarketError) {
        let before = self.balances();
        let failure = send(&mut self.chain, payer, &[ix], &[]).expect_err("must fail");
        assert_eq!(custom_error(&failure), Some(u32::from(e)), "{e:?}: {:#?}", failure.logs);
        assert_eq!(before, self.balances(), "tokens moved on a rejected {e:?}");
    }
}

#[test]
fn complete_settles_burn_fee_and_pay_and_returns_all_rent() {
    let mut w = world();
    let client_lamports = w.chain.get_balance(&w.client.key.pubkey());
    let supply = mint_supply(&w.chain, &w.net.pool.mint);
    let job = w.post(1);
    assert_eq!(token_balance(&w.chain, &escrow_pda(&job)), PRICE);
    w.accept(&job);
    assert_eq!(w.locked(), 5_000, "collateral = 50 % of the price");
    w.submit(&job);
    let ix = w.net.settle(
        &w.client.key.pubkey(),
        None,
        &job,
        &w.market,
        &w.provider.key.pubkey(),
        &w.provider.token,
    );
    send(&mut w.chain, &w.client.key, &[ix], &[]).unwrap();
    // burn 20 %, fee 5 %, provider 75 %.
    assert_eq!(token_balance(&w.chain, &w.client.token), 100_000 - PRICE);
    assert_eq!(token_balance(&w.chain, &w.provider.token), 7_500);
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 500);
    assert_eq!(mint_supply(&w.chain, &w.net.pool.mint), supply - 2_000);
    assert_eq!(w.locked(), 0);
    assert!(
        w.chain.get_account(&job).is_none() && w.chain.get_account(&escrow_pda(&job)).is_none()
    );
    // All rent came back: the client paid only its two fees.
    assert_eq!(w.chain.get_balance(&w.client.key.pubkey()), client_lamports - 2 * 5_000);
    let stake = w.net.pool.stake_of(&w.chain, &w.provider.key.pubkey()).unwrap();
    assert_eq!((stake.jobs_completed, stake.jobs_failed), (1, 0));
}

#[test]
fn finalize_after_the_dispute_window_by_anyone() {
    let mut w = world();
    let job = w.post(1);
    w.accept(&job);
    w.submit(&job);
    let cranker = Keypair::new();
    w.chain.airdrop(&cranker.pubkey(), 1_000_000_000).unwrap();
    let ix = w.net.settle(
        &w.client.key.pubkey(),
        Some(&cranker.pubkey()),
        &job,
        &w.market,
        &w.provider.key.pubkey(),
        &w.provider.token,
    );
    w.rejects(&cranker, ix.clone(), MarketError::DisputeWindowOpen);
    w.chain.warp(72 * HOUR + 1);
    send(&mut w.chain, &cranker, &[ix], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.provider.token), 7_500);
    // A settlement can only be paid to the provider's own account.
    let job2 = w.post(2);
    w.accept(&job2);
    w.submit(&job2);
    let ix = w.net.settle(
        &w.client.key.pubkey(),
        None,
        &job2,
        &w.market,
        &w.provider.key.pubkey(),
        &w.client.token,
    );
    let payer = w.client.key.insecure_clone();
    w.rejects(&payer, ix, MarketError::WrongProviderAccount);
}

#[test]
fn cancel_quit_and_the_states_they_need() {
    let mut w = world();
    let job = w.post(1);
    let client = w.client.key.insecure_clone();
    let provider = w.provider.key.insecure_clone();
    w.rejects(
        &provider,
        w.net.submit_result(&provider.pubkey(), &job),
        MarketError::NotJobProvider,
    );
    w.accept(&job);
    w.rejects(
        &client,
        w.net.cancel_job(&client.pubkey(), &w.client.token, &job, &w.market),
        MarketError::JobNotOpen,
    );
    send(
        &mut w.chain,
        &provider,
        &[w.net.quit_job(&provider.pubkey(), &job, &w.market, &w.client.token)],
        &[],
    )
    .unwrap();
    assert_eq!(w.locked(), 0);
    assert_eq!(w.net.job(&w.chain, &job).unwrap().state, JobState::Open);
    send(
        &mut w.chain,
        &client,
        &[w.net.cancel_job(&client.pubkey(), &w.client.token, &job, &w.market)],
        &[],
    )
    .unwrap();
    assert_eq!(token_balance(&w.chain, &w.client.token), 100_000);
    assert!(w.chain.get_account(&job).is_none());
}

#[test]
fn dispute_resolution_splits_refunds_first_and_slashes() {
    let mut w = world();
    let job = w.post(1);
    w.accept(&job);
    w.submit(&job);
    let client = w.client.key.insecure_clone();
    send(&mut w.chain, &client, &[w.net.dispute_job(&client.pubkey(), &job, &w.market)], &[])
        .unwrap();
    let args = ResolveDisputeArgs {
        provider_share_bps: 3_000,
        slash_amount: 1_000,
        slash_to_client: true,
    };
    let resolve = |w: &World, arbiter: &Pubkey, args: ResolveDisputeArgs| {
        w.net.resolve_dispute(
            arbiter,
            &w.client.key.pubkey(),
            &w.client.token,
            &job,
            &w.market,
            &w.provider.key.pubkey(),
            &w.provider.token,
            args,
        )
    };
    let intruder = Keypair::new();
    w.chain.airdrop(&intruder.pubkey(), 1_000_000_000).unwrap();
    w.rejects(&intruder, resolve(&w, &intruder.pubkey(), args.clone()), MarketError::NotArbiter);
    let arbiter = w.net.arbiter.insecure_clone();
    w.rejects(
        &arbiter,
        resolve(&w, &arbiter.pubkey(), ResolveDisputeArgs { slash_amount: 5_001, ..args.clone() }),
        MarketError::SlashExceedsCollateral,
    );
    let supply = mint_supply(&w.chain, &w.net.pool.mint);
    let ix = resolve(&w, &arbiter.pubkey(), args);
    send(&mut w.chain, &arbiter, &[ix], &[]).unwrap();
    // Provider part 3 000: burn 600, fee 150, paid 2 250. Client: 7 000 back + 1 000 slashed.
    assert_eq!(token_balance(&w.chain, &w.client.token), 100_000 - PRICE + 7_000 + 1_000);
    assert_eq!(token_balance(&w.chain, &w.provider.token), 2_250);
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 150);
    assert_eq!(mint_supply(&w.chain, &w.net.pool.mint), supply - 600);
    let stake = w.net.pool.stake_of(&w.chain, &w.provider.key.pubkey()).unwrap();
    assert_eq!(
        (stake.active, stake.locked, stake.slashed_total, stake.jobs_failed),
        (49_000, 0, 1_000, 1)
    );
}

#[test]
fn unanswered_disputes_take_the_default_split_and_expired_jobs_refund_and_slash() {
    let mut w = world();
    let job = w.post(1);
    w.accept(&job);
    w.submit(&job);
    let client = w.client.key.insecure_clone();
    w.chain.warp(72 * HOUR + 1);
    w.rejects(
        &client,
        w.net.dispute_job(&client.pubkey(), &job, &w.market),
        MarketError::DisputeWindowClosed,
    );
    let job = w.post(2);
    w.accept(&job);
    w.submit(&job);
    send(&mut w.chain, &client, &[w.net.dispute_job(&client.pubkey(), &job, &w.market)], &[])
        .unwrap();
    let cranker = Keypair::new();
    w.chain.airdrop(&cranker.pubkey(), 1_000_000_000).unwrap();
    let finalize = w.net.finalize_dispute(
        &cranker.pubkey(),
        &client.pubkey(),
        &w.client.token,
        &job,
        &w.market,
        &w.provider.key.pubkey(),
        &w.provider.token,
    );
    w.rejects(&cranker, finalize.clone(), MarketError::ArbitrationWindowOpen);
    w.chain.warp(7 * 86_400 + 1);
    let before = w.balances();
    send(&mut w.chain, &cranker, &[finalize], &[]).unwrap();
    // 50/50: client 5 000 back; provider part 5 000 → burn 1 000, fee 250, paid 3 750.
    assert_eq!(token_balance(&w.chain, &w.client.token), before[0] + 5_000);
    assert_eq!(token_balance(&w.chain, &w.provider.token), before[1] + 3_750);

    // Expiry: the whole price back and 10 % of the collateral slashed to the client.
    let job = w.post(3);
    w.accept(&job);
    let reclaim = w.net.reclaim_expired(
        &cranker.pubkey(),
        &client.pubkey(),
        &w.client.token,
        &job,
        &w.market,
        &w.provider.key.pubkey(),
    );
    w.rejects(&cranker, reclaim.clone(), MarketError::NotExpired);
    w.chain.warp(HOUR + 1);
    let provider = w.provider.key.insecure_clone();
    w.rejects(
        &provider,
        w.net.submit_result(&provider.pubkey(), &job),
        MarketError::DeadlinePassed,
    );
    w.rejects(
        &provider,
        w.net.quit_job(&provider.pubkey(), &job, &w.market, &w.client.token),
        MarketError::DeadlinePassed,
    );
    let before = w.balances();
    let locked = w.locked();
    send(&mut w.chain, &cranker, &[reclaim], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.client.token), before[0] + PRICE + 500);
    assert_eq!(token_balance(&w.chain, &w.net.pool.stake_vault), before[4] - 500);
    // 500 slashed from the job's 5 000 of collateral, 4 500 unlocked (job 1 still holds its own).
    assert_eq!(w.locked(), locked - 5_000);
}

#[test]
fn accept_checks_the_stake_the_target_and_the_pause() {
    let mut w = world();
    let client = w.client.key.insecure_clone();
    // A provider below the market's minimum active stake.
    let small = w.net.provider(&mut w.chain, 999, 0);
    let job = w.post(1);
    w.rejects(
        &small.key,
        w.net.accept_job(&small.key.pubkey(), &job, &w.market),
        MarketError::StakeBelowMarketMinimum,
    );
    // Free stake must cover the collateral (5 000 of 6 000 already locked elsewhere).
    let thin = w.net.provider(&mut w.chain, 6_000, 0);
    let other = w.post(2);
    send(&mut w.chain, &thin.key, &[w.net.accept_job(&thin.key.pubkey(), &other, &w.market)], &[])
        .unwrap();
    w.rejects(
        &thin.key,
        w.net.accept_job(&thin.key.pubkey(), &job, &w.market),
        MarketError::InsufficientFreeStake,
    );
    // A job reserved for someone else.
    let ix = w.net.create_job(
        &client.pubkey(),
        &w.client.token,
        &w.market,
        3,
        PRICE,
        HOUR,
        Some(small.key.pubkey()),
    );
    send(&mut w.chain, &client, &[ix], &[]).unwrap();
    let targeted = job_pda(&w.market, &client.pubkey(), 3);
    let provider = w.provider.key.insecure_clone();
    w.rejects(
        &provider,
        w.net.accept_job(&provider.pubkey(), &targeted, &w.market),
        MarketError::NotTargetProvider,
    );
    // A stake account of someone else: the seeds name the signer's own.
    let mut ix = w.net.accept_job(&provider.pubkey(), &job, &w.market);
    ix.accounts[3].pubkey = stake_pda(&w.net.pool.pool, &thin.key.pubkey());
    let failure = send(&mut w.chain, &provider, &[ix], &[]).unwrap_err();
    assert_eq!(custom_error(&failure), Some(2006), "ConstraintSeeds: {:#?}", failure.logs);
    // A paused market takes no acceptance, but the client can still leave.
    let admin = w.net.admin().insecure_clone();
    send(&mut w.chain, &admin, &[w.net.set_market_paused(&admin.pubkey(), &w.market, true)], &[])
        .unwrap();
    w.rejects(
        &provider,
        w.net.accept_job(&provider.pubkey(), &job, &w.market),
        MarketError::MarketPaused,
    );
    let ix = w.net.create_job(&client.pubkey(), &w.client.token, &w.market, 4, PRICE, HOUR, None);
    w.rejects(&client, ix, MarketError::MarketPaused);
    send(
        &mut w.chain,
        &client,
        &[w.net.cancel_job(&client.pubkey(), &w.client.token, &job, &w.market)],
        &[],
    )
    .unwrap();
}

#[test]
fn markets_are_bounded_and_jobs_keep_their_terms() {
    let mut w = world();
    let admin = w.net.admin().insecure_clone();
    let bad = |f: &dyn Fn(&mut crucible_market::MarketParams)| {
        let mut p = default_params();
        f(&mut p);
        p
    };
    for (params, e) in [
        (bad(&|p| p.burn_bps = 9_600), MarketError::InvalidFeeSplit),
        (bad(&|p| p.collateral_bps = 10_001), MarketError::InvalidBps),
        (bad(&|p| p.max_duration_secs = 10), MarketError::InvalidWindow),
        (bad(&|p| p.dispute_window_secs = 400 * 86_400), MarketError::InvalidWindow),
        (bad(&|p| p.min_provider_stake = 0), MarketError::InvalidMinProviderStake),
        (bad(&|p| p.expiry_slash_bps = 20_000), MarketError::InvalidBps),
        (bad(&|p| p.min_collateral = 0), MarketError::InvalidMinCollateral),
    ] {
        let ix = w.net.create_market_ix(&admin.pubkey(), 9, "bad", admin.pubkey(), params);
        w.rejects(&admin, ix, e);
    }
    let ix = w.net.create_market_ix(&admin.pubkey(), 9, "", admin.pubkey(), default_params());
    w.rejects(&admin, ix, MarketError::InvalidName);
    let ix = w.net.create_market_ix(
        &admin.pubkey(),
        9,
        &"x".repeat(33),
        admin.pubkey(),
        default_params(),
    );
    w.rejects(&admin, ix, MarketError::InvalidName);
    let client = w.client.key.insecure_clone();
    let ix = w.net.create_market_ix(&client.pubkey(), 9, "mine", client.pubkey(), default_params());
    w.rejects(&client, ix, MarketError::NotAdmin);

    // A job created before a change of terms settles with the old ones.
    let job = w.post(1);
    let mut changed = default_params();
    changed.burn_bps = 0;
    changed.fee_bps = 0;
    send(
        &mut w.chain,
        &admin,
        &[w.net.update_market(&admin.pubkey(), &w.market, changed, w.net.arbiter.pubkey())],
        &[],
    )
    .unwrap();
    w.accept(&job);
    w.submit(&job);
    let ix = w.net.settle(
        &w.client.key.pubkey(),
        None,
        &job,
        &w.market,
        &w.provider.key.pubkey(),
        &w.provider.token,
    );
    send(&mut w.chain, &client, &[ix], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.provider.token), 7_500);
}

#[test]
fn independent_jobs_in_two_markets_share_only_the_mint_and_the_fee_vault() {
    let mut w = world();
    let market2 = w.net.create_market(&mut w.chain, 2, default_params()).unwrap();
    let client2 = w.net.party(&mut w.chain, 100_000);
    let provider2 = w.net.provider(&mut w.chain, 50_000, 0);
    let job1 = w.post(1);
    let ix =
        w.net.create_job(&client2.key.pubkey(), &client2.token, &market2, 1, PRICE, HOUR, None);
    send(&mut w.chain, &client2.key, &[ix], &[]).unwrap();
    let job2 = job_pda(&market2, &client2.key.pubkey(), 1);

    // The writable accounts of every instruction of each lifecycle.
    let writable = |ixs: &[solana_instruction::Instruction]| -> std::collections::BTreeSet<Pubkey> {
        ixs.iter()
            .flat_map(|ix| ix.accounts.iter().filter(|m| m.is_writable).map(|m| m.pubkey))
            .collect()
    };
    let life1 = [
        w.net.create_job(&w.client.key.pubkey(), &w.client.token, &w.market, 1, PRICE, HOUR, None),
        w.net.accept_job(&w.provider.key.pubkey(), &job1, &w.market),
        w.net.submit_result(&w.provider.key.pubkey(), &job1),
        w.net.settle(
            &w.client.key.pubkey(),
            None,
            &job1,
            &w.market,
            &w.provider.key.pubkey(),
            &w.provider.token,
        ),
    ];
    let life2 = [
        w.net.create_job(&client2.key.pubkey(), &client2.token, &market2, 1, PRICE, HOUR, None),
        w.net.accept_job(&provider2.key.pubkey(), &job2, &market2),
        w.net.submit_result(&provider2.key.pubkey(), &job2),
        w.net.settle(
            &client2.key.pubkey(),
            None,
            &job2,
            &market2,
            &provider2.key.pubkey(),
            &provider2.token,
        ),
    ];
    let shared: Vec<Pubkey> = writable(&life1).intersection(&writable(&life2)).copied().collect();
    let mut expected = vec![w.net.pool.mint, w.net.fee_vault];
    expected.sort();
    assert_eq!(shared, expected);
    // And the lifecycles run.
    for ix in &life1[1..] {
        let signer = if ix.accounts[0].pubkey == w.client.key.pubkey() {
            w.client.key.insecure_clone()
        } else {
            w.provider.key.insecure_clone()
        };
        send(&mut w.chain, &signer, std::slice::from_ref(ix), &[]).unwrap();
    }
    for ix in &life2[1..] {
        let signer = if ix.accounts[0].pubkey == client2.key.pubkey() {
            client2.key.insecure_clone()
        } else {
            provider2.key.insecure_clone()
        };
        send(&mut w.chain, &signer, std::slice::from_ref(ix), &[]).unwrap();
    }
    assert_eq!(token_balance(&w.chain, &w.net.fee_vault), 1_000);
}

#[test]
fn tokens_sent_to_an_escrow_by_anyone_never_block_a_job() {
    let mut w = world();
    let stranger = w.net.party(&mut w.chain, 1_000);
    let donate = |w: &mut World, job: &Pubkey, amount: u64| {
        let ix = anchor_spl::token::spl_token::instruction::transfer(
            &anchor_spl::token::spl_token::ID,
            &stranger.token,
            &escrow_pda(job),
            &stranger.key.pubkey(),
            &[],
            amount,
        )
        .unwrap();
        send(&mut w.chain, &stranger.key, &[ix], &[]).unwrap();
    };
    // Completed: the whole escrow settles (10 100: burn 2 020, fee 505, paid 7 575).
    let job = w.post(1);
    w.accept(&job);
    w.submit(&job);
    donate(&mut w, &job, 100);
    let ix = w.net.settle(
        &w.client.key.pubkey(),
        None,
        &job,
        &w.market,
        &w.provider.key.pubkey(),
        &w.provider.token,
    );
    let client = w.client.key.insecure_clone();
    send(&mut w.chain, &client, &[ix], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.provider.token), 7_575);
    assert!(w.chain.get_account(&escrow_pda(&job)).is_none());
    // Disputed: the surplus goes back with the client's part.
    let job = w.post(2);
    w.accept(&job);
    w.submit(&job);
    send(&mut w.chain, &client, &[w.net.dispute_job(&client.pubkey(), &job, &w.market)], &[])
        .unwrap();
    donate(&mut w, &job, 50);
    let before = token_balance(&w.chain, &w.client.token);
    let arbiter = w.net.arbiter.insecure_clone();
    let args =
        ResolveDisputeArgs { provider_share_bps: 5_000, slash_amount: 0, slash_to_client: true };
    let ix = w.net.resolve_dispute(
        &arbiter.pubkey(),
        &client.pubkey(),
        &w.client.token,
        &job,
        &w.market,
        &w.provider.key.pubkey(),
        &w.provider.token,
        args,
    );
    send(&mut w.chain, &arbiter, &[ix], &[]).unwrap();
    assert_eq!(token_balance(&w.chain, &w.client.token), before + 5_050);
    // Cancelled: everything back to the client.
    let job = w.post(3);
    donate(&mut w, &job, 7);
    let before = token_balance(&w.chain, &w.client.token);
    send(
        &mut w.chain,
        &client,
        &[w.net.cancel_job(&client.pubkey(), &w.client.token, &job, &w.market)],
        &[],
    )
    .unwrap();
    assert_eq!(token_balance(&w.chain, &w.client.token), before + PRICE + 7);
}

#[test]
fn an_account_of_another_type_is_refused() {
    // Type cosplay: a `Market` passed where a `Job` is expected, a `ProviderStake` where the
    // `StakePool` is. Anchor's discriminators refuse both (AccountDiscriminatorMismatch, 3002).
    let mut w = world();
    let client = w.client.key.insecure_clone();
    let failure = send(
        &mut w.chain,
        &client,
        &[w.net.dispute_job(&client.pubkey(), &w.market, &w.market)],
        &[],
    )
    .unwrap_err();
    assert_eq!(custom_error(&failure), Some(3002), "{:#?}", failure.logs);
    let job = w.post(1);
    let provider = w.provider.key.insecure_clone();
    let mut ix = w.net.accept_job(&provider.pubkey(), &job, &w.market);
    ix.accounts[4].pubkey = stake_pda(&w.net.pool.pool, &provider.pubkey());
    let before = w.balances();
    let failure = send(&mut w.chain, &provider, &[ix], &[]).unwrap_err();
    assert_eq!(custom_error(&failure), Some(3002), "{:#?}", failure.logs);
    assert_eq!(before, w.balances());
}
