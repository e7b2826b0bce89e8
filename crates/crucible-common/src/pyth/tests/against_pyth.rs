//! Our decoder against Pyth's own crate (`pyth-solana-receiver-sdk` 1.2.0, a dev-dependency):
//! random updates both ways, Pyth's freshness rule, and a real mainnet account.

use super::*;
use anchor_lang::{AccountDeserialize, AccountSerialize, Discriminator};
use pyth_solana_receiver_sdk::price_update as pyth;

fn random_update(rng: &mut SplitMix64) -> PriceUpdateV2 {
    let mut key = [0u8; 32];
    let mut feed = [0u8; 32];
    for i in 0..4 {
        key[i * 8..i * 8 + 8].copy_from_slice(&rng.next_u64().to_le_bytes());
        feed[i * 8..i * 8 + 8].copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    let level = match rng.below(3) {
        0 => VerificationLevel::Full,
        _ => VerificationLevel::Partial { num_signatures: rng.below(256) as u8 },
    };
    PriceUpdateV2 {
        write_authority: Pubkey::new_from_array(key),
        verification_level: level,
        price_message: PriceFeedMessage {
            feed_id: feed,
            price: rng.next_u64() as i64,
            conf: rng.next_u64(),
            exponent: rng.next_u64() as i32,
            publish_time: rng.next_u64() as i64,
            prev_publish_time: rng.next_u64() as i64,
            ema_price: rng.next_u64() as i64,
            ema_conf: rng.next_u64(),
        },
        posted_slot: rng.next_u64(),
    }
}

fn to_pyth(u: &PriceUpdateV2) -> pyth::PriceUpdateV2 {
    let m = &u.price_message;
    pyth::PriceUpdateV2 {
        write_authority: u.write_authority,
        verification_level: match u.verification_level {
            VerificationLevel::Full => pyth::VerificationLevel::Full,
            VerificationLevel::Partial { num_signatures } => {
                pyth::VerificationLevel::Partial { num_signatures }
            }
        },
        price_message: pyth::PriceFeedMessage {
            feed_id: m.feed_id,
            price: m.price,
            conf: m.conf,
            exponent: m.exponent,
            publish_time: m.publish_time,
            prev_publish_time: m.prev_publish_time,
            ema_price: m.ema_price,
            ema_conf: m.ema_conf,
        },
        posted_slot: u.posted_slot,
    }
}

#[test]
fn constants_are_pyths() {
    assert_eq!(RECEIVER_PROGRAM_ID, pyth_solana_receiver_sdk::ID);
    assert_eq!(&PRICE_UPDATE_V2_DISCRIMINATOR[..], pyth::PriceUpdateV2::DISCRIMINATOR);
    assert_eq!(PRICE_UPDATE_V2_LEN, pyth::PriceUpdateV2::LEN);
}

#[test]
fn decoder_and_pyth_agree_on_every_field_and_byte() {
    let mut rng = SplitMix64(0xB0B5_1CE5);
    for _ in 0..2_000 {
        let ours = random_update(&mut rng);
        let theirs = to_pyth(&ours);
        // Pyth's bytes (discriminator + Borsh), in the receiver's 134-byte account.
        let mut bytes = Vec::new();
        theirs.try_serialize(&mut bytes).unwrap();
        let full = ours.verification_level == VerificationLevel::Full;
        assert_eq!(bytes.len(), if full { 133 } else { 134 });
        bytes.resize(PRICE_UPDATE_V2_LEN, 0);
        assert_eq!(bytes[..], ours.to_account_data()[..]);
        assert_eq!(PriceUpdateV2::decode(&bytes), Ok(ours));
        // And Pyth reads our bytes back to the same fields.
        let back = pyth::PriceUpdateV2::try_deserialize(&mut &ours.to_account_data()[..]).unwrap();
        assert_eq!(
            to_pyth(&PriceUpdateV2::decode(&bytes).unwrap()).price_message,
            back.price_message
        );
        assert_eq!(back.write_authority, theirs.write_authority);
        assert_eq!(back.verification_level, theirs.verification_level);
        assert_eq!(back.posted_slot, theirs.posted_slot);
    }
}

#[test]
fn refuses_what_pyth_refuses() {
    let good = update(5, 0, -8).to_account_data();
    let cases: [&[u8]; 3] = [&good[..132], &[0; 134], &{
        let mut b = good;
        b[40] = 2;
        b
    }];
    for bytes in cases {
        assert!(pyth::PriceUpdateV2::try_deserialize(&mut &bytes[..]).is_err());
        assert_eq!(PriceUpdateV2::decode(bytes), Err(PythError::NotAPriceUpdate));
    }
}

#[test]
fn freshness_verification_and_feed_are_pyths_get_price_no_older_than() {
    let mut rng = SplitMix64(0xF2E5_4000);
    let mut outcomes = [0u32; 4];
    for _ in 0..20_000 {
        let mut u = update(5, 0, -8);
        if rng.below(4) == 0 {
            u.verification_level =
                VerificationLevel::Partial { num_signatures: rng.below(20) as u8 };
        }
        if rng.below(8) == 0 {
            u.price_message.feed_id[rng.below(32) as usize] ^= 1;
        }
        let now = NOW + rng.below(1_000) as i64 - 500;
        u.price_message.publish_time = NOW + rng.below(1_000) as i64 - 500;
        let age = if rng.below(16) == 0 { i64::MAX as u64 } else { rng.below(400) };
        let clock = anchor_lang::prelude::Clock { unix_timestamp: now, ..Default::default() };
        let theirs = to_pyth(&u).get_price_no_older_than(&clock, age, &FEED);
        let ours =
            validated_price(&RECEIVER_PROGRAM_ID, &u.to_account_data(), &FEED, age, 100, now);
        let expected = match theirs {
            Ok(p) => Ok(Price {
                price: p.price,
                conf: p.conf,
                exponent: p.exponent,
                publish_time: p.publish_time,
            }),
            Err(pyth_solana_receiver_sdk::error::GetPriceError::InsufficientVerificationLevel) => {
                Err(PythError::NotFullyVerified)
            }
            Err(pyth_solana_receiver_sdk::error::GetPriceError::MismatchedFeedId) => {
                Err(PythError::WrongFeed)
            }
            Err(pyth_solana_receiver_sdk::error::GetPriceError::PriceTooOld) => {
                Err(PythError::StalePrice)
            }
            Err(e) => panic!("{e:?}"),
        };
        let got = ours;
        assert_eq!(got, expected, "{u:?} now {now} age {age}");
        outcomes[match got {
            Ok(_) => 0,
            Err(PythError::NotFullyVerified) => 1,
            Err(PythError::WrongFeed) => 2,
            _ => 3,
        }] += 1;
    }
    println!("fresh, partial, other feed, stale: {outcomes:?}");
    assert!(outcomes.iter().all(|n| *n > 500), "{outcomes:?}");
}

/// A real mainnet `PriceUpdateV2` (BONK/USD, account DBE3N8uNjhKPRHfANdwGvCZghWXyLPdqdSbEW2XFwBiX,
/// published 2024-05-30), as Drift's tests load it: drift-labs/protocol-v2,
/// `programs/drift/src/state/oracle/tests.rs` (`pyth_pull_1m`), commit 52edb23a.
mod mainnet_fixture {
    use super::*;

    const BONK_USD_BASE64: &str = "IvEjY51+9M206svkAq6RZcKrffzb5QRNJ/KEEG+IqQv93vpfv/YMoAFysCEhfKP+aJIqGar5kBCcudhOmtAEtNICWtb1KTFEGbZFBQAAAAAABQIAAAAAAAD2////xXhYZgAAAADFeFhmAAAAAJMfBQAAAAAAnwEAAAAAAAAFMwYQAAAAAAA=";
    /// Pyth's BONK/USD feed id.
    const BONK_USD: &str = "72b021217ca3fe68922a19aaf990109cb9d84e9ad004b4d2025ad6f529314419";
    const PUBLISHED: i64 = 1_717_074_117;

    /// Standard base64 (with padding) of a test constant.
    fn base64(s: &str) -> Vec<u8> {
        let value = |c: u8| match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        };
        let mut out = Vec::new();
        for chunk in s.trim_end_matches('=').as_bytes().chunks(4) {
            let mut n = 0u32;
            for (i, c) in chunk.iter().enumerate() {
                n |= u32::from(value(*c)) << (18 - 6 * i);
            }
            out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
        }
        out
    }

    fn feed() -> FeedId {
        let mut id = [0u8; 32];
        for (i, byte) in id.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&BONK_USD[2 * i..2 * i + 2], 16).unwrap();
        }
        id
    }

    #[test]
    fn decodes_as_pyth_does() {
        let data = base64(BONK_USD_BASE64);
        assert_eq!(data.len(), PRICE_UPDATE_V2_LEN);
        let ours = PriceUpdateV2::decode(&data).unwrap();
        assert_eq!(ours.verification_level, VerificationLevel::Full);
        let m = ours.price_message;
        assert_eq!(m.feed_id, feed());
        assert_eq!((m.price, m.conf, m.exponent), (345_526, 517, -10));
        assert_eq!((m.publish_time, m.prev_publish_time), (PUBLISHED, PUBLISHED));
        assert_eq!((m.ema_price, m.ema_conf), (335_763, 415));
        assert_eq!(ours.posted_slot, 268_841_733);
        assert_eq!(ours.to_account_data()[..], data[..]);
        let theirs = pyth::PriceUpdateV2::try_deserialize(&mut &data[..]).unwrap();
        assert_eq!(theirs.write_authority, ours.write_authority);
        assert_eq!(theirs.verification_level, pyth::VerificationLevel::Full);
        assert_eq!(theirs.posted_slot, ours.posted_slot);
        let p = theirs.price_message;
        assert_eq!(
            (p.feed_id, p.price, p.conf, p.exponent, p.publish_time),
            (m.feed_id, m.price, m.conf, m.exponent, m.publish_time)
        );
        assert_eq!(
            (p.prev_publish_time, p.ema_price, p.ema_conf),
            (m.prev_publish_time, m.ema_price, m.ema_conf)
        );
    }

    #[test]
    fn checks_and_converts_a_real_price() {
        let data = base64(BONK_USD_BASE64);
        let now = PUBLISHED + 30;
        let run = |bps| validated_price(&RECEIVER_PROGRAM_ID, &data, &feed(), 60, bps, now);
        // conf / price = 517 / 345 526 = 14.96 bps.
        assert_eq!(run(14), Err(PythError::ConfidenceTooWide));
        let p = run(15).unwrap();
        let stale = validated_price(&RECEIVER_PROGRAM_ID, &data, &feed(), 29, 15, now);
        assert_eq!(stale, Err(PythError::StalePrice));
        // $1 of BONK (5 decimals) at the lower end $0.0000345009:
        // ceil(10^6 · 10^9 / 345 009) = 2 898 475 113 base units, 28 984.75 BONK.
        assert_eq!(tokens_for_micro_usd(1_000_000, &p, 5), Ok(2_898_475_113));
    }
}
