// Input validation: every value a command takes is checked here before anything is sent.
// Failures are `UsageError`s (exit status 2) that name the flag. Token amounts are decimal
// strings converted to base units exactly (never through floats).
import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import { PublicKey } from "@solana/web3.js";

import { UsageError } from "./errors";

export const U64_MAX = (1n << 64n) - 1n;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

/** A base58 public key (32 bytes). */
export function parsePubkey(text: string | undefined, field: string): PublicKey {
  if (text === undefined || text === "")
    throw new UsageError(`${field} is required`, "MissingValue");
  if (!BASE58.test(text) || text.length < 32 || text.length > 44)
    throw new UsageError(`${field}: "${text}" is not a base58 public key`, "InvalidPubkey");
  try {
    // web3.js decodes base58 and insists on exactly 32 bytes.
    return new PublicKey(text);
  } catch (_e) {
    throw new UsageError(`${field}: "${text}" is not a base58 public key`, "InvalidPubkey");
  }
}

/** The public key of a keypair file (a JSON array of 64 bytes, as solana-keygen writes). */
export function readKeypairBytes(path: string, field: string): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${field}: no keypair file at ${path}`, "NoKeypair");
  let bytes: unknown;
  try {
    bytes = JSON.parse(readFileSync(path, "utf8"));
  } catch (_e) {
    throw new UsageError(`${field}: ${path} is not a JSON keypair file`, "InvalidKeypair");
  }
  if (
    !Array.isArray(bytes) ||
    bytes.length !== 64 ||
    !bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)
  )
    throw new UsageError(`${field}: ${path} is not a keypair (64 bytes)`, "InvalidKeypair");
  return Uint8Array.from(bytes as number[]);
}

/** A public key given as base58, or as the path of a keypair file (its public key). */
export function parsePubkeyOrKeypairFile(text: string | undefined, field: string): PublicKey {
  if (text !== undefined && !BASE58.test(text) && existsSync(text)) {
    return new PublicKey(readKeypairBytes(text, field).subarray(32));
  }
  if (text !== undefined && text.length > 44 && existsSync(text)) {
    return new PublicKey(readKeypairBytes(text, field).subarray(32));
  }
  return parsePubkey(text, field);
}

/** An unsigned integer in `0..max` (u64 by default), from decimal digits only. */
export function parseUint(
  text: string | undefined,
  field: string,
  max: bigint = U64_MAX,
  min = 0n,
): bigint {
  if (text === undefined || text === "")
    throw new UsageError(`${field} is required`, "MissingValue");
  if (text.startsWith("-"))
    throw new UsageError(`${field}: must not be negative, got ${text}`, "InvalidNumber");
  if (!/^\d+$/.test(text))
    throw new UsageError(`${field}: "${text}" is not a whole number`, "InvalidNumber");
  const v = BigInt(text);
  if (v < min || v > max)
    throw new UsageError(`${field}: must be between ${min} and ${max}, got ${text}`, "OutOfRange");
  return v;
}

/** Basis points, 0 to 10 000. */
export function parseBps(text: string | undefined, field: string): number {
  return Number(parseUint(text, field, 10_000n));
}

const DECIMAL = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

/**
 * Checks the shape of a token amount before the mint's decimals are known: a positive decimal
 * (`12.5`), or base units (`--raw`: digits only).
 */
export function checkAmountSyntax(text: string | undefined, field: string, raw = false): string {
  if (text === undefined || text === "")
    throw new UsageError(`${field} is required`, "MissingValue");
  const t = text.replace(/_/g, "");
  if (t.startsWith("-"))
    throw new UsageError(`${field}: must be positive, got ${text}`, "InvalidAmount");
  if (raw ? !/^\d+$/.test(t) : !DECIMAL.test(t))
    throw new UsageError(
      `${field}: "${text}" is not ${raw ? "a whole number of base units" : "a decimal amount"}`,
      "InvalidAmount",
    );
  return t;
}

/**
 * A token amount in base units: `text` in tokens with at most `decimals` decimals (exact: the
 * decimal string is split, never parsed as a float), or base units when `raw`. Must be > 0
 * (unless `allowZero`) and fit a u64.
 */
export function parseAmount(
  text: string | undefined,
  decimals: number,
  field: string,
  o: { raw?: boolean; allowZero?: boolean } = {},
): bigint {
  const t = checkAmountSyntax(text, field, o.raw);
  let value: bigint;
  if (o.raw) {
    value = BigInt(t);
  } else {
    const m = DECIMAL.exec(t)!;
    const whole = m[1] ?? "0";
    const frac = (m[2] ?? m[3] ?? "").replace(/0+$/, "");
    if (frac.length > decimals)
      throw new UsageError(
        `${field}: ${text} has more decimals than the token's ${decimals}`,
        "InvalidAmount",
      );
    value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
  }
  if (value === 0n && !o.allowZero)
    throw new UsageError(`${field}: must be greater than zero`, "InvalidAmount");
  if (value > U64_MAX)
    throw new UsageError(`${field}: ${text} does not fit in a u64 of base units`, "InvalidAmount");
  return value;
}

/** Base units as a decimal string of tokens (`12500000`, 6 → `12.5`). */
export function formatAmount(value: bigint, decimals: number): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = (abs / unit).toString();
  const frac =
    decimals > 0 ? (abs % unit).toString().padStart(decimals, "0").replace(/0+$/, "") : "";
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

const UNITS: Record<string, bigint> = { s: 1n, m: 60n, h: 3_600n, d: 86_400n, w: 604_800n };

/** A duration: seconds (`90`), or units `s m h d w` combined (`1h30m`, `7d`). Must be > 0. */
export function parseDuration(text: string | undefined, field: string): bigint {
  if (text === undefined || text === "")
    throw new UsageError(`${field} is required`, "MissingValue");
  if (/^\d+$/.test(text)) {
    const v = BigInt(text);
    if (v === 0n) throw new UsageError(`${field}: must be greater than zero`, "InvalidDuration");
    if (v > U64_MAX) throw new UsageError(`${field}: too long`, "InvalidDuration");
    return v;
  }
  if (!/^(\d+[smhdw])+$/.test(text))
    throw new UsageError(
      `${field}: "${text}" is not a duration (e.g. 90, 30m, 1h, 1h30m, 7d)`,
      "InvalidDuration",
    );
  let total = 0n;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) total += BigInt(n) * UNITS[unit];
  if (total === 0n) throw new UsageError(`${field}: must be greater than zero`, "InvalidDuration");
  if (total > U64_MAX) throw new UsageError(`${field}: too long`, "InvalidDuration");
  return total;
}

/** Shortest recipients delay of a non-revocable emission vault (48 h), longest of any (30 days):
 * the emissions program's bounds. */
export const MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS = 48n * 3_600n;
export const MAX_RECIPIENTS_DELAY_SECS = 30n * 86_400n;

/** What is wrong with `secs` as an emission vault's recipients delay, or undefined. */
export function recipientsDelayProblem(secs: bigint, revocable: boolean): string | undefined {
  if (!revocable && secs < MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS)
    return `must be at least 48h for a non-revocable vault, got ${formatDuration(secs)}`;
  if (secs > MAX_RECIPIENTS_DELAY_SECS) return `must be at most 30d, got ${formatDuration(secs)}`;
  return undefined;
}

/** A recipients delay: a duration as `parseDuration` reads it, or 0 (revocable vaults only). */
export function parseRecipientsDelay(
  text: string | undefined,
  field: string,
  revocable: boolean,
): number {
  const secs = text !== undefined && /^0+[smhdw]?$/.test(text) ? 0n : parseDuration(text, field);
  const problem = recipientsDelayProblem(secs, revocable);
  if (problem) throw new UsageError(`${field}: ${problem}`, "InvalidDuration");
  return Number(secs);
}

/** Seconds as `1h30m`, `7d`, `45s`. */
export function formatDuration(secs: bigint): string {
  if (secs <= 0n) return "0s";
  const parts: string[] = [];
  let left = secs;
  for (const [unit, size] of [
    ["d", 86_400n],
    ["h", 3_600n],
    ["m", 60n],
    ["s", 1n],
  ] as const) {
    if (left >= size) {
      parts.push(`${left / size}${unit}`);
      left %= size;
    }
  }
  return parts.join("");
}

/** A 32-byte hash: 64 hex digits (optionally `0x`-prefixed) or base58. */
export function parseHash32(text: string | undefined, field: string): Uint8Array {
  if (text === undefined || text === "")
    throw new UsageError(`${field} is required`, "MissingValue");
  const hex = text.replace(/^0x/i, "");
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return Uint8Array.from(Buffer.from(hex, "hex"));
  if (BASE58.test(text)) {
    try {
      return new PublicKey(text).toBytes();
    } catch (_e) {
      // fall through
    }
  }
  throw new UsageError(
    `${field}: "${text}" is not a 32-byte hash (64 hex digits or base58)`,
    "InvalidHash",
  );
}

/** The SHA-256 of a file's contents, for `--spec-file` / `--result-file`. */
export function hashFile(path: string, field: string): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${field}: no file at ${path}`, "NoFile");
  return Uint8Array.from(createHash("sha256").update(readFileSync(path)).digest());
}

/** A positive number of SOL as lamports (at most 9 decimals). */
export function parseSol(text: string | undefined, field: string): bigint {
  return parseAmount(text, 9, field);
}

/** `--market`: a market id (digits) or a market address (base58). */
export function parseMarketRef(
  text: string | undefined,
  field = "--market",
): { id: bigint } | { address: PublicKey } {
  if (text === undefined || text === "")
    throw new UsageError(`${field} is required`, "MissingValue");
  if (/^\d+$/.test(text)) return { id: parseUint(text, field) };
  return { address: parsePubkey(text, field) };
}
