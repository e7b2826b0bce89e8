//! USD-priced markets: a job's micro-USD price is converted into tokens at the market's Pyth
//! price (`PriceUpdateV2` accounts written in their exact on-chain layout), at the lower end of
//! the confidence interval, rounded up; every bad price is refused by name with nothing moved;
//! the job then settles in tokens and conserves them like any other.

use crucible_program_tests as support;

use crucible_common::pyth::{
    PriceFeedMessage, PriceUpdateV2, VerificationLevel, RECEIVER_PROGRAM_ID,
};
use crucible_localnet::{
    testing::{anchor_account, custom_error, mint_supply, send, token_balance},
    Localnet,
};
use crucible_market::{
    error::MarketError,
    events::JobPricedInUsd,
    state::{Job, UsdPricing, UsdQuote},
};
use solana_account::Account;
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use support::{
    emissions::event,
    market::{default_params, escrow_pda, job_pda, market_pda, Network, Party},
};

const FEED: [u8; 32] = [9; 32];
const MAX_AGE: u32 = 60;
const MAX_CONF_BPS: u16 = 100;
/// $12.50.
const MICRO_USD: u64 = 12_500_000;
/// $0.50 a token (exponent −8), confidence $0.001 (20 bps): the lower bound is $0.499.
const PRICE: i64 = 50_000_000;
const CONF: u64 = 100_000;
/// ceil(12 500 000 × 10^(6 − 6 + 8) / 49 900 000): $12.50 at $0.499, in base units of a
/// 6-decimal mint (25 050 100.2…, rounded up).
const TOKENS: u64 = 25_050_101;

/// A price account as written: the update and its owner.
type PriceAccount = (PriceUpdateV2, Pubkey);
/// A change to a fresh price account.
type Change = Box<dyn FnOnce(&mut PriceAccount)>;

struct World {
    chain: Localnet,
    net: Network,
    market: Pubkey,
    token_market: Pubkey,
    client: Party,
    provider: Party,
    price: Pubkey,
}

fn pricing() -> UsdPricing {
    UsdPricing { feed_id: FEED, max_age_secs: MAX_AGE, max_conf_bps: MAX_CONF_BPS }
}

fn world() -> World {
    let mut chain = Localnet::new();
    let net = Network::create(&mut chain);
    let admin = net.admin().insecure_clone();
    let ix = net.create_market_priced(
        &admin.pubkey(),
        7,
        "gpu-usd",
        net.arbiter.pubkey(),
        default_params(),
        Some(pricing()),
    );
    send(&mut chain, &admin, &[ix], &[]).unwrap();
    let token_market = net.create_market(&mut chain, 1, default_params()).unwrap();
    let client = net.party(&mut chain, 100_000_000);
    let provider = net.provider(&mut chain, 50_000_000, 0);
    let mut w = World {
        chain,
        net,
        market: market_pda(7),
        token_market,
        client,
        provider,
        price: Pubkey::new_unique(),
    };
    w.set_price(|_| {});
    w
}

impl World {
    fn now(&self) -> i64 {
        self.chain.clock().unix_timestamp
    }

    /// Writes the price account: a fresh, fully verified update of the market's feed at
    /// $0.50 ± $0.001, changed by `change` (its owner too, through the account).
    fn set_price(&mut self, change: impl FnOnce(&mut PriceAccount)) {
        let mut update = (
            PriceUpdateV2 {
                write_authority: Pubkey::new_unique(),
                verification_level: VerificationLevel::Full,
                price_message: PriceFeedMessage {
                    feed_id: FEED,
                    price: PRICE,
                    conf: CONF,
                    exponent: -8,
                    publish_time: self.now() - 5,
                    prev_publish_time: self.now() - 6,
                    ema_price: PRICE,
                    ema_conf: CONF,
                },
                posted_slot: self.chain.slot(),
            },
            RECEIVER_PROGRAM_ID,
        );
        change(&mut update);
        let data = update.0.to_account_data().to_vec();
        let lamports = self.chain.minimum_balance_for_rent_exemption(data.len());
        self.chain.set_account(
            self.price,
            Account { lamports, data, owner: update.1, executable: false, rent_epoch: 0 },
        );
    }

    fn post_usd(&self, nonce: u64, micro_usd: u64, max_tokens: u64) -> Instruction {
        self.net.create_job_usd(
            &self.client.key.pubkey(),
            &self.client.token,
            &self.market,
            &self.price,
            nonce,
            micro_usd,
            max_tokens,
            3_600,
        )
    }

    fn balances(&self) -> [u64; 4] {
        [
            token_balance(&self.chain, &self.client.token),
            self.chain.get_balance(&self.client.key.pubkey()),
            token_balance(&self.chain, &self.provider.token),
            mint_supply(&self.chain, &self.net.pool.mint),
        ]
    }

    /// `ix` fails with `e` (its code and its name in the logs) and moves nothing.
    fn rejects(&mut self, ix: Instruction, e: MarketError) {
        let before = self.balances();
        let client = self.client.key.insecure_clone();
        let failure = send(&mut self.chain, &client, &[ix], &[]).expect_err("must fail");
        assert_eq!(custom_error(&failure), Some(u32::from(e)), "{e:?}: {:#?}", failure.logs);
        let name = format!("Error Code: {e:?}");
        assert!(failure.logs.iter().any(|l| l.contains(&name)), "{name}: {:#?}", failure.logs);
        // The fee of the failed transaction is the only lamport that moved.
        let after = self.balances();
        assert_eq!([before[0], before[2], before[3]], [after[0], after[2], after[3]], "{e:?}");
        assert_eq!(before[1] - after[1], 5_000, "{e:?}: only the fee");
    }
}

#[test]
fn a_usd_job_deposits_the_price_at_the_lower_bound_rounded_up() {
    let mut w = world();
    let before = w.balances();
    let client = w.client.key.insecure_clone();
    // Exactly the tokens it costs is within the client's maximum.
    let ix = w.post_usd(1, MICRO_USD, TOKENS);
    let logs = send(&mut w.chain, &client, &[ix], &[]).unwrap();
    let job_key = job_pda(&w.market, &client.pubkey(), 1);
    assert_eq!(token_balance(&w.chain, &escrow_pda(&job_key)), TOKENS);
    assert_eq!(before[0] - w.balances()[0], TOKENS, "the client paid exactly that");
    let job: Job = anchor_account(&w.chain, &job_key).unwrap();
    assert_eq!(job.price, TOKENS);
    let quote = UsdQuote {
        micro_usd: MICRO_USD,
        price: PRICE,
        conf: CONF,
        exponent: -8,
        publish_time: w.now() - 5,
    };
    assert_eq!(job.usd_quote, Some(quote));
    let priced: JobPricedInUsd = event(&logs);
    assert_eq!(priced.job, job_key);
    assert_eq!(
        (priced.micro_usd, priced.tokens, priced.price, priced.conf, priced.exponent),
        (MICRO_USD, TOKENS, PRICE, CONF, -8)
    );
    // At the lower bound the deposit is worth at least $12.50 and one unit less is not: in
    // micro-USD, base units / 10^6 × (price − conf) × 10^-8 × 10^6 = units × (price − conf) / 10^8.
    let lower = (PRICE as u64 - CONF) as u128;
    assert!(u128::from(TOKENS) * lower >= u128::from(MICRO_USD) * 100_000_000);
    assert!(u128::from(TOKENS - 1) * lower < u128::from(MICRO_USD) * 100_000_000);

    // It settles in tokens like any job: paid + burned + fee = the deposit.
    let provider = w.provider.key.insecure_clone();
    send(
        &mut w.chain,
        &provider,
        &[w.net.accept_job(&provider.pubkey(), &job_key, &w.market)],
        &[],
    )
    .unwrap();
    send(&mut w.chain, &provider, &[w.net.submit_result(&provider.pubkey(), &job_key)], &[])
        .unwrap();
    let (paid_before, supply_before) = (w.balances()[2], w.balances()[3]);
    let fees_before = token_balance(&w.chain, &w.net.fee_vault);
    let settle = w.net.settle(
        &client.pubkey(),
        None,
        &job_key,
        &w.market,
        &provider.pubkey(),
        &w.provider.token,
    );
    send(&mut w.chain, &client, &[settle], &[]).unwrap();
    let paid = w.balances()[2] - paid_before;
    let burned = supply_before - w.balances()[3];
    let fee = token_balance(&w.chain, &w.net.fee_vault) - fees_before;
    assert_eq!(paid + burned + fee, TOKENS);
    assert_eq!(burned, TOKENS * 2_000 / 10_000, "the market's burn");
    assert!(w.chain.get_account(&job_key).is_none(), "closed");
}

#[test]
fn every_bad_price_is_refused_by_name_and_nothing_moves() {
    let mut w = world();
    let now = w.now();
    let cases: Vec<(&str, Change, MarketError)> = vec![
        (
            "stale",
            Box::new(move |u| u.0.price_message.publish_time = now - 61),
            MarketError::StalePrice,
        ),
        (
            "wide confidence",
            Box::new(|u| u.0.price_message.conf = 500_001),
            MarketError::PriceConfidenceTooWide,
        ),
        (
            "wrong feed",
            Box::new(|u| u.0.price_message.feed_id = [8; 32]),
            MarketError::WrongPriceFeed,
        ),
        ("wrong owner", Box::new(|u| u.1 = Pubkey::new_unique()), MarketError::PriceAccountNotPyth),
        (
            "partially verified",
            Box::new(|u| {
                u.0.verification_level = VerificationLevel::Partial { num_signatures: 12 }
            }),
            MarketError::PriceNotFullyVerified,
        ),
        ("zero price", Box::new(|u| u.0.price_message.price = 0), MarketError::NonPositivePrice),
        (
            "negative price",
            Box::new(|u| u.0.price_message.price = -PRICE),
            MarketError::NonPositivePrice,
        ),
        (
            "exponent 39",
            Box::new(|u| u.0.price_message.exponent = 39),
            MarketError::PriceExponentOutOfRange,
        ),
        (
            "exponent -39",
            Box::new(|u| u.0.price_message.exponent = -39),
            MarketError::PriceExponentOutOfRange,
        ),
        // $0.50 × 10^-30: far more tokens than any maximum.
        (
            "a tiny price",
            Box::new(|u| u.0.price_message.exponent = -38),
            MarketError::PriceAboveMaximum,
        ),
    ];
    for (what, change, e) in cases {
        w.set_price(change);
        let ix = w.post_usd(1, MICRO_USD, u64::MAX);
        w.rejects(ix, e);
        assert!(
            w.chain.get_account(&job_pda(&w.market, &w.client.key.pubkey(), 1)).is_none(),
            "{what}"
        );
    }
    // Not a price update at all: a system account's bytes, or Pyth's owner over other bytes.
    w.set_price(|_| {});
    let mut garbage = w.chain.get_account(&w.price).unwrap();
    garbage.data[0] ^= 1;
    w.chain.set_account(w.price, garbage);
    let ix = w.post_usd(1, MICRO_USD, u64::MAX);
    w.rejects(ix, MarketError::NotAPriceUpdate);

    // Slippage: one token above the client's maximum.
    w.set_price(|_| {});
    let ix = w.post_usd(1, MICRO_USD, TOKENS - 1);
    w.rejects(ix, MarketError::PriceAboveMaximum);
    // A large price: $5 000 000 a token (exponent 0), $12.50 is 2.5 base units, rounded up to 3.
    w.set_price(|u| {
        u.0.price_message.price = 5_000_000;
        u.0.price_message.conf = 0;
        u.0.price_message.exponent = 0;
    });
    let client = w.client.key.insecure_clone();
    let ix = w.post_usd(2, MICRO_USD, 3);
    send(&mut w.chain, &client, &[ix], &[]).unwrap();
    let job = job_pda(&w.market, &client.pubkey(), 2);
    assert_eq!(token_balance(&w.chain, &escrow_pda(&job)), 3);
    // A zero USD price is refused as a zero price.
    let ix = w.post_usd(3, 0, u64::MAX);
    w.rejects(ix, MarketError::ZeroPrice);
}

#[test]
fn a_job_is_created_the_way_its_market_prices() {
    let mut w = world();
    let client = w.client.key.insecure_clone();
    let token_job =
        w.net.create_job(&client.pubkey(), &w.client.token, &w.market, 1, 10_000, 3_600, None);
    w.rejects(token_job, MarketError::MarketPricedInUsd);
    let mut usd_on_token_market = w.post_usd(1, MICRO_USD, u64::MAX);
    usd_on_token_market.accounts[1].pubkey = w.token_market;
    let job = job_pda(&w.token_market, &client.pubkey(), 1);
    usd_on_token_market.accounts[4].pubkey = job;
    usd_on_token_market.accounts[5].pubkey = escrow_pda(&job);
    w.rejects(usd_on_token_market, MarketError::MarketPricedInTokens);
}

#[test]
fn usd_pricing_is_bounded_at_creation() {
    let mut w = world();
    let admin = w.net.admin().insecure_clone();
    let bad = [
        UsdPricing { feed_id: [0; 32], ..pricing() },
        UsdPricing { max_age_secs: 0, ..pricing() },
        UsdPricing { max_age_secs: 3_601, ..pricing() },
        UsdPricing { max_conf_bps: 0, ..pricing() },
        UsdPricing { max_conf_bps: 10_000, ..pricing() },
    ];
    for (i, usd) in bad.into_iter().enumerate() {
        let ix = w.net.create_market_priced(
            &admin.pubkey(),
            100 + i as u64,
            "bad",
            w.net.arbiter.pubkey(),
            default_params(),
            Some(usd),
        );
        let failure = send(&mut w.chain, &admin, &[ix], &[]).expect_err("must fail");
        assert_eq!(
            custom_error(&failure),
            Some(u32::from(MarketError::InvalidUsdPricing)),
            "{usd:?}"
        );
        assert!(w.chain.get_account(&market_pda(100 + i as u64)).is_none());
    }
    let bounds = UsdPricing { max_age_secs: 3_600, max_conf_bps: 9_999, ..pricing() };
    let ix = w.net.create_market_priced(
        &admin.pubkey(),
        200,
        "edge",
        w.net.arbiter.pubkey(),
        default_params(),
        Some(bounds),
    );
    send(&mut w.chain, &admin, &[ix], &[]).unwrap();
}

#[test]
fn the_admin_cannot_swap_the_feed_of_a_usd_market() {
    let mut w = world();
    let admin = w.net.admin().insecure_clone();
    // Every admin power over a market: new terms, a new arbiter, a pause and a resume.
    let mut params = default_params();
    params.fee_bps = 100;
    let update = w.net.update_market(&admin.pubkey(), &w.market, params, Pubkey::new_unique());
    send(&mut w.chain, &admin, &[update], &[]).unwrap();
    for paused in [true, false] {
        let ix = w.net.set_market_paused(&admin.pubkey(), &w.market, paused);
        send(&mut w.chain, &admin, &[ix], &[]).unwrap();
    }
    let market = w.net.market(&w.chain, &w.market);
    assert_eq!(market.usd_pricing, Some(pricing()), "the pinned feed and bounds stay");
    assert_eq!(market.params.fee_bps, 100);
    // And a job still prices against that feed only.
    w.set_price(|u| u.0.price_message.feed_id = [1; 32]);
    let ix = w.post_usd(1, MICRO_USD, u64::MAX);
    w.rejects(ix, MarketError::WrongPriceFeed);
}
