//! The shared test vectors of USD pricing: `tests/vectors/pyth.json` at the workspace root,
//! which the SDK's mocha suite checks its TypeScript mirror against (`tests/market.pyth.test.ts`).
//!
//! Every vector is computed by `crucible_common::pyth`, the code `create_job_usd` runs: price
//! accounts decoded from their bytes, the checks in their order, and the conversion of micro-USD
//! into token base units. The test fails when the committed file differs from what it computes;
//! `UPDATE_VECTORS=1 cargo test --manifest-path localnet/Cargo.toml -p crucible-program-tests
//! --test pyth_vectors` rewrites it instead (then `npx prettier --write tests/vectors/pyth.json`).

use base64::Engine;
use crucible_common::pyth::{self, Price, PriceFeedMessage, PriceUpdateV2, VerificationLevel};
use crucible_common::rng::SplitMix64 as Rng;
use serde_json::{json, Value};
use solana_pubkey::Pubkey;

/// An error's name as the market program names it (the SDK names it the same).
fn name(e: pyth::PythError) -> String {
    format!("{:?}", crucible_market::error::MarketError::from(e))
}

fn conversion(micro_usd: u64, price: i64, conf: u64, exponent: i32, decimals: u8) -> Value {
    let p = Price { price, conf, exponent, publish_time: 0 };
    let result = match pyth::tokens_for_micro_usd(micro_usd, &p, decimals) {
        Ok(tokens) => json!({ "tokens": tokens.to_string() }),
        Err(e) => json!({ "error": name(e) }),
    };
    json!({
        "microUsd": micro_usd.to_string(),
        "price": price.to_string(),
        "conf": conf.to_string(),
        "exponent": exponent,
        "decimals": decimals,
        "result": result,
    })
}

fn conversions(rng: &mut Rng) -> Vec<Value> {
    let mut out = vec![
        // $12.50 at $0.50 ± $0.001 (exponent −8), 6 decimals: 25 050 100.2… rounded up.
        conversion(12_500_000, 50_000_000, 100_000, -8, 6),
        conversion(12_500_000, 5_000_000, 0, 0, 6),
        conversion(1, 1, 0, 0, 0),
        conversion(0, 1, 0, 0, 9),
        conversion(1_000_000, 345_526, 517, -10, 5),
        conversion(u64::MAX, 1, 0, -38, 9),
        conversion(u64::MAX, i64::MAX, 0, 38, 0),
        conversion(5, 10, 10, 0, 6),
        conversion(5, 0, 0, 0, 6),
        conversion(5, 10, 0, 39, 6),
    ];
    for _ in 0..60 {
        let exponent = rng.below(25) as i32 - 12;
        let bits = rng.below(62);
        let price = 1 + rng.below(1u64 << bits) as i64;
        let conf = rng.below(price as u64 / 50 + 1);
        let bits = rng.below(60);
        let micro_usd = rng.below(1u64 << bits);
        let decimals = rng.below(10) as u8;
        out.push(conversion(micro_usd, price, conf, exponent, decimals));
    }
    out
}

fn update(
    level: VerificationLevel,
    feed: u8,
    price: i64,
    conf: u64,
    publish_time: i64,
) -> PriceUpdateV2 {
    PriceUpdateV2 {
        write_authority: Pubkey::new_from_array([3; 32]),
        verification_level: level,
        price_message: PriceFeedMessage {
            feed_id: [feed; 32],
            price,
            conf,
            exponent: -8,
            publish_time,
            prev_publish_time: publish_time - 1,
            ema_price: price,
            ema_conf: conf,
        },
        posted_slot: 77,
    }
}

/// A price account checked against a market (feed `[9; 32]`, 60 s, 100 bps) at `now` 1 000 000.
fn check(label: &str, owner: Pubkey, data: &[u8]) -> Value {
    let now = 1_000_000;
    let result = match pyth::validated_price(&owner, data, &[9; 32], 60, 100, now) {
        Ok(p) => {
            json!({ "price": p.price.to_string(), "conf": p.conf.to_string(), "exponent": p.exponent, "publishTime": p.publish_time.to_string() })
        }
        Err(e) => json!({ "error": name(e) }),
    };
    json!({
        "label": label,
        "owner": owner.to_string(),
        "data": base64::engine::general_purpose::STANDARD.encode(data),
        "feedId": hex(&[9; 32]),
        "maxAgeSecs": 60,
        "maxConfBps": 100,
        "now": now.to_string(),
        "result": result,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn checks() -> Vec<Value> {
    let pyth = pyth::RECEIVER_PROGRAM_ID;
    let full = VerificationLevel::Full;
    let fresh = update(full, 9, 50_000_000, 100_000, 999_990);
    let mut garbage = fresh.to_account_data();
    garbage[0] ^= 1;
    vec![
        check("fresh", pyth, &fresh.to_account_data()),
        check(
            "at the maximum age",
            pyth,
            &update(full, 9, 50_000_000, 1, 999_940).to_account_data(),
        ),
        check("stale", pyth, &update(full, 9, 50_000_000, 1, 999_939).to_account_data()),
        check(
            "published ahead of the clock",
            pyth,
            &update(full, 9, 50_000_000, 1, 1_000_100).to_account_data(),
        ),
        check("wrong owner", Pubkey::new_from_array([1; 32]), &fresh.to_account_data()),
        check("not a price update", pyth, &garbage),
        check("too short", pyth, &fresh.to_account_data()[..100]),
        check(
            "partially verified",
            pyth,
            &update(VerificationLevel::Partial { num_signatures: 5 }, 9, 50_000_000, 1, 999_990)
                .to_account_data(),
        ),
        check("wrong feed", pyth, &update(full, 8, 50_000_000, 1, 999_990).to_account_data()),
        check("zero price", pyth, &update(full, 9, 0, 0, 999_990).to_account_data()),
        check("negative price", pyth, &update(full, 9, -5, 0, 999_990).to_account_data()),
        check(
            "confidence at 100 bps",
            pyth,
            &update(full, 9, 50_000_000, 500_000, 999_990).to_account_data(),
        ),
        check(
            "confidence above 100 bps",
            pyth,
            &update(full, 9, 50_000_000, 500_001, 999_990).to_account_data(),
        ),
    ]
}

#[test]
fn the_committed_vectors_are_what_the_program_math_computes() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/pyth.json");
    let mut rng = Rng(0x0015_D0C5);
    let fresh = json!({
        "comment": "Generated by programs/market/tests/pyth_vectors.rs from crucible_common::pyth, the code create_job_usd runs (UPDATE_VECTORS=1 cargo test --manifest-path localnet/Cargo.toml -p crucible-program-tests --test pyth_vectors, then npx prettier --write tests/vectors/pyth.json); do not edit. Integers are decimal strings, data base64.",
        "conversions": conversions(&mut rng),
        "checks": checks(),
    });
    if std::env::var("UPDATE_VECTORS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, serde_json::to_string_pretty(&fresh).unwrap() + "\n").unwrap();
        println!("wrote {}", path.display());
        return;
    }
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_VECTORS=1)", path.display())),
    )
    .expect("JSON");
    assert!(
        committed == fresh,
        "{} differs from what the program's math computes: run with UPDATE_VECTORS=1",
        path.display()
    );
}
