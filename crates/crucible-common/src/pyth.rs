//! Pyth pull-oracle prices: the `PriceUpdateV2` account, its checks, and micro-USD → tokens.
//!
//! **The account.** The Pyth Solana receiver program ([`RECEIVER_PROGRAM_ID`]) posts verified
//! price updates as Anchor accounts of type `PriceUpdateV2` (pyth-network/pyth-crosschain,
//! `target_chains/solana/pyth_solana_receiver_sdk/src/price_update.rs`, crate
//! `pyth-solana-receiver-sdk` 1.2.0; the message is `PriceFeedMessage`,
//! `pythnet/pythnet_sdk/src/messages.rs`, crate `pythnet-sdk` 2.3.1). Borsh, little-endian:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | discriminator `sha256("account:PriceUpdateV2")[..8]` |
//! | 8 | 32 | `write_authority` |
//! | 40 | 1 | `verification_level` tag: 0 `Partial`, 1 `Full` |
//! | 41 | 1 | `num_signatures`, only when `Partial` (everything after moves by one) |
//! | 41 / 42 | 32 | `feed_id` |
//! | +32 | 8 | `price` i64 |
//! | +40 | 8 | `conf` u64 |
//! | +48 | 4 | `exponent` i32 |
//! | +52 | 8 | `publish_time` i64 (unix seconds) |
//! | +60 | 8 | `prev_publish_time` i64 |
//! | +68 | 8 | `ema_price` i64 |
//! | +76 | 8 | `ema_conf` u64 |
//! | +84 | 8 | `posted_slot` u64 |
//!
//! The receiver allocates [`PRICE_UPDATE_V2_LEN`] = 134 bytes (Pyth's `PriceUpdateV2::LEN`), so
//! a `Full` update ends with one unused byte. [`PriceUpdateV2::decode`] reads the bytes as
//! Anchor's `try_deserialize` does (discriminator, then Borsh, trailing bytes ignored); the
//! tests check it against Pyth's crate field by field.
//!
//! **Why a decoder of our own.** Pyth's crate 1.2.0 fits anchor-lang 0.32.1 and the 1.84
//! platform-tools, but as a dependency of the programs it would compile `pythnet-sdk` (bincode,
//! serde, sha3, a float-math and a prime-number crate, Wormhole wire types) into all three of
//! them for a fixed 134-byte layout, and it has no `idl-build` feature of its own (foreign
//! Pyth types in Anchor's IDL build have broken before: pyth-crosschain issues 1759 and 2086).
//! The decoder below has no dependency; the crate is a dev-dependency, the reference the tests
//! compare against.
//!
//! **The checks** ([`validated_price`]), in this order, one [`PythError`] each: the owner is the
//! receiver program; the data is a `PriceUpdateV2` (discriminator, length, variant tag); the
//! update is `Full`y verified; its feed id is the market's; it is not older than the maximum
//! age; the price is positive; the exponent is in [`EXPONENT_MIN`]..=[`EXPONENT_MAX`]; the
//! confidence is at most `max_conf_bps` of the price. Freshness is Pyth's own rule
//! (`get_price_no_older_than`): stale when `publish_time + max_age < now`, saturating. Pyth does
//! not refuse a publish time ahead of the chain clock (the clock of a Solana cluster often runs
//! seconds behind wall time, and a fully verified update is signed by the guardians), and nor
//! does this module: such a price is fresh.
//!
//! **The conversion** ([`tokens_for_micro_usd`]). A price is `(price ± conf) · 10^exponent` USD
//! per whole token. The client pays at the lower end, `L = price − conf` (refused when not
//! positive): the fewest tokens whose value at `L` is at least the USD price, rounded up,
//!
//! `tokens = ceil(micro_usd · 10^(decimals − 6 − exponent) / L)`,
//!
//! so the provider is paid at least the USD price even if the token is worth only the lower
//! bound, and one base unit less would not pay it. The power of ten goes into the numerator or
//! the denominator by its sign; everything is exact in u128, a result above `u64::MAX` is
//! [`PythError::Overflow`] (and only then). [`tokens_within_maximum`] refuses an amount above the
//! client's maximum (`AboveClientMaximum`; an amount above `u64::MAX` is above any maximum).

use anchor_lang::prelude::{pubkey, Pubkey};

/// The Pyth Solana receiver program, owner of every `PriceUpdateV2` account (Pyth's
/// `pyth_solana_receiver_sdk::ID`).
pub const RECEIVER_PROGRAM_ID: Pubkey = pubkey!("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");

/// `sha256("account:PriceUpdateV2")[..8]`, Anchor's discriminator of the account.
pub const PRICE_UPDATE_V2_DISCRIMINATOR: [u8; 8] = [34, 241, 35, 99, 157, 126, 244, 205];

/// The size the receiver allocates for a `PriceUpdateV2` (a `Partial` one fills it).
pub const PRICE_UPDATE_V2_LEN: usize = 134;

/// The shortest `PriceUpdateV2`: a `Full` one without the trailing byte.
const MIN_LEN: usize = PRICE_UPDATE_V2_LEN - 1;

/// The smallest exponent accepted (`10^38` is the largest power of ten in a u128).
pub const EXPONENT_MIN: i32 = -38;
/// The largest exponent accepted.
pub const EXPONENT_MAX: i32 = 38;

/// A Pyth price feed id (32 bytes; the hex string Pyth publishes for each feed).
pub type FeedId = [u8; 32];

/// Why a price update, or a conversion with it, is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PythError {
    /// The account is not owned by the Pyth receiver program.
    WrongOwner,
    /// The data is not a `PriceUpdateV2`: too short, another discriminator, or an unknown
    /// verification level.
    NotAPriceUpdate,
    /// The update was only partially verified (fewer guardian signatures than a quorum).
    NotFullyVerified,
    /// The update is for another feed than the market's.
    WrongFeed,
    /// The update was published more than the maximum age before the clock.
    StalePrice,
    /// The price is zero or negative.
    NonPositivePrice,
    /// The exponent is outside `EXPONENT_MIN..=EXPONENT_MAX`.
    ExponentOutOfRange,
    /// The confidence interval is wider than the market's maximum (bps of the price).
    ConfidenceTooWide,
    /// The lower end of the confidence interval (`price − conf`) is not positive.
    LowerBoundNotPositive,
    /// The token amount does not fit in a u64.
    Overflow,
    /// The token amount is above the most the client agreed to pay.
    AboveClientMaximum,
}

impl core::fmt::Display for PythError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::WrongOwner => "The price account is not owned by the Pyth receiver program.",
            Self::NotAPriceUpdate => "The price account is not a Pyth PriceUpdateV2.",
            Self::NotFullyVerified => "The price update is not fully verified.",
            Self::WrongFeed => "The price update is for another feed than the market's.",
            Self::StalePrice => "The price update is older than the market's maximum age.",
            Self::NonPositivePrice => "The price is zero or negative.",
            Self::ExponentOutOfRange => "The price's exponent is outside the accepted range.",
            Self::ConfidenceTooWide => "The price's confidence interval is wider than allowed.",
            Self::LowerBoundNotPositive => "The lower end of the price's interval is not positive.",
            Self::Overflow => "The token amount for this price does not fit in a u64.",
            Self::AboveClientMaximum => "The token amount is above the client's maximum.",
        })
    }
}

/// How many Wormhole guardian signatures were checked for the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationLevel {
    /// Only `num_signatures` signatures were checked.
    Partial { num_signatures: u8 },
    /// A quorum (two thirds of the current guardians) was checked.
    Full,
}

/// Pyth's `PriceFeedMessage`: `(price ± conf) · 10^exponent`, published at `publish_time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceFeedMessage {
    pub feed_id: FeedId,
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
    pub prev_publish_time: i64,
    pub ema_price: i64,
    pub ema_conf: u64,
}

/// A `PriceUpdateV2` account as the receiver program stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceUpdateV2 {
    pub write_authority: Pubkey,
    pub verification_level: VerificationLevel,
    pub price_message: PriceFeedMessage,
    pub posted_slot: u64,
}

/// A price that passed [`validated_price`]: `price > 0`, `exponent` in range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    pub price: i64,
    pub conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
}

/// Reads little-endian fields off a byte slice; the caller checked the length.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.data[self.at..self.at + N]);
        self.at += N;
        out
    }
}

impl PriceUpdateV2 {
    /// Decodes account data as Anchor's `try_deserialize` does: the discriminator, then the
    /// Borsh fields; bytes after `posted_slot` are ignored.
    pub fn decode(data: &[u8]) -> Result<Self, PythError> {
        if data.len() < MIN_LEN || data[..8] != PRICE_UPDATE_V2_DISCRIMINATOR {
            return Err(PythError::NotAPriceUpdate);
        }
        let mut r = Reader { data, at: 8 };
        let write_authority = Pubkey::new_from_array(r.take::<32>());
        let verification_level = match r.take::<1>()[0] {
            0 => {
                if data.len() < PRICE_UPDATE_V2_LEN {
                    return Err(PythError::NotAPriceUpdate);
                }
                VerificationLevel::Partial { num_signatures: r.take::<1>()[0] }
            }
            1 => VerificationLevel::Full,
            _ => return Err(PythError::NotAPriceUpdate),
        };
        let price_message = PriceFeedMessage {
            feed_id: r.take::<32>(),
            price: i64::from_le_bytes(r.take()),
            conf: u64::from_le_bytes(r.take()),
            exponent: i32::from_le_bytes(r.take()),
            publish_time: i64::from_le_bytes(r.take()),
            prev_publish_time: i64::from_le_bytes(r.take()),
            ema_price: i64::from_le_bytes(r.take()),
            ema_conf: u64::from_le_bytes(r.take()),
        };
        let posted_slot = u64::from_le_bytes(r.take());
        Ok(Self { write_authority, verification_level, price_message, posted_slot })
    }

    /// The account's bytes as the receiver writes them into its 134-byte account (a `Full`
    /// update ends with a zero byte): for tests and the local validator's fixtures.
    pub fn to_account_data(&self) -> [u8; PRICE_UPDATE_V2_LEN] {
        let mut out = [0u8; PRICE_UPDATE_V2_LEN];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(&PRICE_UPDATE_V2_DISCRIMINATOR);
        put(self.write_authority.as_ref());
        match self.verification_level {
            VerificationLevel::Partial { num_signatures } => put(&[0, num_signatures]),
            VerificationLevel::Full => put(&[1]),
        }
        let m = &self.price_message;
        put(&m.feed_id);
        put(&m.price.to_le_bytes());
        put(&m.conf.to_le_bytes());
        put(&m.exponent.to_le_bytes());
        put(&m.publish_time.to_le_bytes());
        put(&m.prev_publish_time.to_le_bytes());
        put(&m.ema_price.to_le_bytes());
        put(&m.ema_conf.to_le_bytes());
        put(&self.posted_slot.to_le_bytes());
        out
    }
}

/// The price of a `PriceUpdateV2` account after every check a market makes (see the module
/// documentation for the order): `owner` and `data` are the account's, `now` the `Clock`'s
/// `unix_timestamp`.
pub fn validated_price(
    owner: &Pubkey,
    data: &[u8],
    feed_id: &FeedId,
    max_age_secs: u64,
    max_conf_bps: u16,
    now: i64,
) -> Result<Price, PythError> {
    if *owner != RECEIVER_PROGRAM_ID {
        return Err(PythError::WrongOwner);
    }
    let update = PriceUpdateV2::decode(data)?;
    if update.verification_level != VerificationLevel::Full {
        return Err(PythError::NotFullyVerified);
    }
    let m = update.price_message;
    if m.feed_id != *feed_id {
        return Err(PythError::WrongFeed);
    }
    // Pyth's rule: `publish_time.saturating_add(maximum_age) >= unix_timestamp` is fresh (an
    // age above i64::MAX, which Pyth's `try_into().unwrap()` would panic on, never expires).
    let max_age = i64::try_from(max_age_secs).unwrap_or(i64::MAX);
    if m.publish_time.saturating_add(max_age) < now {
        return Err(PythError::StalePrice);
    }
    if m.price <= 0 {
        return Err(PythError::NonPositivePrice);
    }
    if !(EXPONENT_MIN..=EXPONENT_MAX).contains(&m.exponent) {
        return Err(PythError::ExponentOutOfRange);
    }
    // conf / price ≤ bps / 10 000, without division: both sides below 2^64 · 2^14.
    let price = m.price.unsigned_abs();
    if u128::from(m.conf) * u128::from(crate::math::BPS_DENOMINATOR)
        > u128::from(price) * u128::from(max_conf_bps)
    {
        return Err(PythError::ConfidenceTooWide);
    }
    Ok(Price { price: m.price, conf: m.conf, exponent: m.exponent, publish_time: m.publish_time })
}

/// `10^n` in a u128, `None` above `10^38`.
fn pow10(n: u32) -> Option<u128> {
    10u128.checked_pow(n)
}

/// The token base units (of a mint with `decimals`) that pay `micro_usd` at the lower end of
/// the price's confidence interval, rounded up: `ceil(micro_usd · 10^(decimals − 6 − exponent)
/// / (price − conf))`. Exact; `Overflow` exactly when the result exceeds `u64::MAX`.
pub fn tokens_for_micro_usd(micro_usd: u64, price: &Price, decimals: u8) -> Result<u64, PythError> {
    if !(EXPONENT_MIN..=EXPONENT_MAX).contains(&price.exponent) {
        return Err(PythError::ExponentOutOfRange);
    }
    if price.price <= 0 {
        return Err(PythError::NonPositivePrice);
    }
    // L = price − conf, in u64 (price > 0 and conf ≥ 0, so L < 2^63).
    let lower = price
        .price
        .unsigned_abs()
        .checked_sub(price.conf)
        .filter(|l| *l > 0)
        .ok_or(PythError::LowerBoundNotPositive)?;
    if micro_usd == 0 {
        return Ok(0);
    }
    // k = decimals − 6 − exponent, in −44..=287.
    let k = i32::from(decimals) - 6 - price.exponent;
    let (num, den) = if k >= 0 {
        // 10^k above u128 (k ≥ 39), or micro_usd · 10^k above it: the quotient is at least
        // 10^39 / 2^63 > u64::MAX, so this is the overflow it looks like.
        let scale = pow10(k.unsigned_abs()).ok_or(PythError::Overflow)?;
        let num = u128::from(micro_usd).checked_mul(scale).ok_or(PythError::Overflow)?;
        (num, u128::from(lower))
    } else {
        // A denominator above u128 is above micro_usd: the rounded-up quotient is 1.
        match pow10(k.unsigned_abs()).and_then(|s| s.checked_mul(u128::from(lower))) {
            Some(den) => (u128::from(micro_usd), den),
            None => return Ok(1),
        }
    };
    let tokens = num.div_ceil(den);
    u64::try_from(tokens).map_err(|_| PythError::Overflow)
}

/// [`tokens_for_micro_usd`], refused with `AboveClientMaximum` when it is above `max_tokens`
/// (the client's bound on what a USD price may cost it in tokens).
pub fn tokens_within_maximum(
    micro_usd: u64,
    price: &Price,
    decimals: u8,
    max_tokens: u64,
) -> Result<u64, PythError> {
    match tokens_for_micro_usd(micro_usd, price, decimals) {
        Ok(tokens) if tokens <= max_tokens => Ok(tokens),
        Ok(_) | Err(PythError::Overflow) => Err(PythError::AboveClientMaximum),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests;
