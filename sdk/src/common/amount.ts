import { Buffer } from "buffer";
import BN from "bn.js";

/** Amounts in the public API are `bigint`; Anchor's coder speaks `BN`. */
export type Amount = bigint;

const U64_MAX = (1n << 64n) - 1n;

/** A u64 amount as a `BN` for the coder; rejects negatives and values above u64::MAX. */
export function u64(value: bigint, field = "amount"): BN {
  if (typeof value !== "bigint") {
    throw new TypeError(`${field} must be a bigint, got ${typeof value}`);
  }
  if (value < 0n || value > U64_MAX) {
    throw new RangeError(`${field} must be between 0 and 2^64-1, got ${value}`);
  }
  return new BN(value.toString());
}

/** A decoded integer (`BN` or number) as a `bigint`. */
export function big(value: BN | number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(value);
  return BigInt(value.toString());
}

/** A random u64 (ids and nonces chosen by the caller). */
export function randomU64(): bigint {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).readBigUInt64LE();
}
