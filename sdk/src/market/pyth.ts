// USD prices from Pyth, as the market program reads them (`crucible_common::pyth`): a
// `PriceUpdateV2` account decoded from its bytes, the checks `create_job_usd` makes in their
// order, and the conversion of micro-USD into token base units at the lower end of the
// confidence interval, rounded up, in exact integers. `tests/market.pyth.test.ts` checks this
// mirror against the program's own results (`tests/vectors/pyth.json`).
import { PublicKey } from "@solana/web3.js";

/** The Pyth Solana receiver program: the owner of every `PriceUpdateV2` account. */
export const PYTH_RECEIVER_PROGRAM_ID = new PublicKey(
  "rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ",
);

/** Anchor's discriminator of `PriceUpdateV2`: `sha256("account:PriceUpdateV2")[..8]`. */
const DISCRIMINATOR = [34, 241, 35, 99, 157, 126, 244, 205];
/** A `Full` update's length (a `Partial` one is a byte longer: its signature count). */
const FULL_LEN = 133;
const EXPONENT_MIN = -38;
const EXPONENT_MAX = 38;
const U64_MAX = (1n << 64n) - 1n;

/** Why a price, or a conversion with it, is refused: the market program's error names. */
export type PriceErrorName =
  | "PriceAccountNotPyth"
  | "NotAPriceUpdate"
  | "PriceNotFullyVerified"
  | "WrongPriceFeed"
  | "StalePrice"
  | "NonPositivePrice"
  | "PriceExponentOutOfRange"
  | "PriceConfidenceTooWide"
  | "PriceLowerBoundNotPositive"
  | "PriceAboveMaximum"
  | "MarketPricedInTokens";

/** A refused price, named as the program would refuse it. */
export class PriceError extends Error {
  constructor(readonly errorName: PriceErrorName) {
    super(errorName);
    this.name = "PriceError";
  }
}

export interface PriceUpdate {
  writeAuthority: PublicKey;
  verification: { level: "full" } | { level: "partial"; numSignatures: number };
  feedId: Uint8Array;
  price: bigint;
  conf: bigint;
  exponent: number;
  publishTime: bigint;
  prevPublishTime: bigint;
  emaPrice: bigint;
  emaConf: bigint;
  postedSlot: bigint;
}

/** A price that passed every check: positive, its exponent in range. */
export interface Price {
  price: bigint;
  conf: bigint;
  exponent: number;
  publishTime: bigint;
}

/** A `PriceUpdateV2` account's data, as Anchor deserializes it (bytes after it ignored). */
export function decodePriceUpdate(data: Uint8Array): PriceUpdate {
  if (data.length < FULL_LEN || DISCRIMINATOR.some((b, i) => data[i] !== b))
    throw new PriceError("NotAPriceUpdate");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 8;
  const writeAuthority = new PublicKey(data.subarray(at, at + 32));
  at += 32;
  let verification: PriceUpdate["verification"];
  if (data[at] === 1) {
    verification = { level: "full" };
    at += 1;
  } else if (data[at] === 0) {
    if (data.length < FULL_LEN + 1) throw new PriceError("NotAPriceUpdate");
    verification = { level: "partial", numSignatures: data[at + 1] };
    at += 2;
  } else throw new PriceError("NotAPriceUpdate");
  const feedId = data.slice(at, at + 32);
  at += 32;
  const i64 = () => ((at += 8), view.getBigInt64(at - 8, true));
  const u64 = () => ((at += 8), view.getBigUint64(at - 8, true));
  const price = i64();
  const conf = u64();
  const exponent = ((at += 4), view.getInt32(at - 4, true));
  return {
    writeAuthority,
    verification,
    feedId,
    price,
    conf,
    exponent,
    publishTime: i64(),
    prevPublishTime: i64(),
    emaPrice: i64(),
    emaConf: u64(),
    postedSlot: u64(),
  };
}

/**
 * A `PriceUpdateV2` account's data as the receiver program writes it (134 bytes; a `Full`
 * update ends with a zero byte): for local validators' price accounts and tests.
 */
export function encodePriceUpdate(u: PriceUpdate): Uint8Array {
  const out = new Uint8Array(FULL_LEN + 1);
  const view = new DataView(out.buffer);
  out.set(DISCRIMINATOR, 0);
  out.set(u.writeAuthority.toBytes(), 8);
  let at = 40;
  if (u.verification.level === "full") out[at++] = 1;
  else {
    out[at++] = 0;
    out[at++] = u.verification.numSignatures;
  }
  out.set(u.feedId, at);
  at += 32;
  const i64 = (v: bigint) => (view.setBigInt64(at, v, true), (at += 8));
  const u64 = (v: bigint) => (view.setBigUint64(at, v, true), (at += 8));
  i64(u.price);
  u64(u.conf);
  view.setInt32(at, u.exponent, true);
  at += 4;
  i64(u.publishTime);
  i64(u.prevPublishTime);
  i64(u.emaPrice);
  u64(u.emaConf);
  u64(u.postedSlot);
  return out;
}

/**
 * The price of a `PriceUpdateV2` account after every check the market makes, in its order:
 * owner, layout, full verification, feed, age (Pyth's rule: `publishTime + maxAge >= now`),
 * price > 0, exponent, confidence (`conf × 10 000 <= price × maxConfBps`).
 */
export function validatedPrice(
  owner: PublicKey,
  data: Uint8Array,
  feedId: Uint8Array,
  maxAgeSecs: number,
  maxConfBps: number,
  now: bigint,
): Price {
  if (!owner.equals(PYTH_RECEIVER_PROGRAM_ID)) throw new PriceError("PriceAccountNotPyth");
  const u = decodePriceUpdate(data);
  if (u.verification.level !== "full") throw new PriceError("PriceNotFullyVerified");
  if (u.feedId.length !== feedId.length || u.feedId.some((b, i) => b !== feedId[i]))
    throw new PriceError("WrongPriceFeed");
  if (u.publishTime + BigInt(maxAgeSecs) < now) throw new PriceError("StalePrice");
  if (u.price <= 0n) throw new PriceError("NonPositivePrice");
  if (u.exponent < EXPONENT_MIN || u.exponent > EXPONENT_MAX)
    throw new PriceError("PriceExponentOutOfRange");
  if (u.conf * 10_000n > u.price * BigInt(maxConfBps))
    throw new PriceError("PriceConfidenceTooWide");
  return { price: u.price, conf: u.conf, exponent: u.exponent, publishTime: u.publishTime };
}

/**
 * The token base units (of a mint with `decimals`) that pay `microUsd` at `price − conf`,
 * rounded up: `ceil(microUsd × 10^(decimals − 6 − exponent) / (price − conf))`, exactly as the
 * program computes it; above u64 it is `PriceAboveMaximum` (no client maximum can cover it).
 */
export function tokensForMicroUsd(microUsd: bigint, price: Price, decimals: number): bigint {
  if (price.exponent < EXPONENT_MIN || price.exponent > EXPONENT_MAX)
    throw new PriceError("PriceExponentOutOfRange");
  if (price.price <= 0n) throw new PriceError("NonPositivePrice");
  const lower = price.price - price.conf;
  if (lower <= 0n) throw new PriceError("PriceLowerBoundNotPositive");
  if (microUsd === 0n) return 0n;
  const k = decimals - 6 - price.exponent;
  const [num, den] =
    k >= 0 ? [microUsd * 10n ** BigInt(k), lower] : [microUsd, 10n ** BigInt(-k) * lower];
  const tokens = (num + den - 1n) / den;
  if (tokens > U64_MAX) throw new PriceError("PriceAboveMaximum");
  return tokens;
}

/** {@link tokensForMicroUsd}, refused with `PriceAboveMaximum` above `maxTokens`. */
export function tokensWithinMaximum(
  microUsd: bigint,
  price: Price,
  decimals: number,
  maxTokens: bigint,
): bigint {
  const tokens = tokensForMicroUsd(microUsd, price, decimals);
  if (tokens > maxTokens) throw new PriceError("PriceAboveMaximum");
  return tokens;
}
