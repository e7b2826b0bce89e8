// Reading a parsed JSON config field by field: each read names the field's path in its error
// (`markets[0].params.burnBps: must be 0..10000, got 20000`).
import { readFileSync } from "fs";
import { Keypair, PublicKey } from "@solana/web3.js";

import { UsageError } from "../errors";
import { parseAmount, parseDuration, U64_MAX } from "../parse";

/** A config that does not validate: the message starts with the field's path. */
export class ConfigError extends UsageError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`, "InvalidConfig");
  }
}

export type Json = unknown;

/** One field of the config and its path. */
export class Reader {
  constructor(
    readonly value: Json,
    readonly path: string,
  ) {}

  fail(problem: string): never {
    throw new ConfigError(this.path, problem);
  }

  object(keys: string[]): Record<string, Json> {
    const v = this.value;
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail("must be an object");
    for (const k of Object.keys(v as object))
      if (!keys.includes(k))
        throw new ConfigError(
          this.at(k).path,
          `unknown field (expected one of: ${keys.join(", ")})`,
        );
    return v as Record<string, Json>;
  }

  at(key: string | number): Reader {
    const path =
      typeof key === "number" ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    const v = this.value as Record<string | number, Json>;
    return new Reader(v?.[key], path);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  array(): Reader[] {
    if (!Array.isArray(this.value)) this.fail("must be an array");
    return (this.value as Json[]).map((_v, i) => this.at(i));
  }

  string(): string {
    if (typeof this.value !== "string") this.fail("must be a string");
    return this.value as string;
  }

  bool(): boolean {
    if (typeof this.value !== "boolean") this.fail("must be true or false");
    return this.value as boolean;
  }

  /** An integer given as a JSON number or a string of digits. */
  uint(max: bigint = U64_MAX, min = 0n): bigint {
    const v = this.value;
    let n: bigint;
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) this.fail(`must be a whole number, got ${v}`);
      n = BigInt(v);
    } else if (typeof v === "string" && /^-?\d+$/.test(v)) {
      n = BigInt(v);
    } else this.fail("must be a whole number");
    if (n < min || n > max) this.fail(`must be ${min}..${max}, got ${n}`);
    return n;
  }

  bps(): number {
    return Number(this.uint(10_000n));
  }

  pubkey(): PublicKey {
    const s = this.string();
    try {
      if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(s)) throw new Error();
      return new PublicKey(s);
    } catch (_e) {
      this.fail(`"${s}" is not a base58 public key`);
    }
  }

  /** A token amount as a decimal string (or a whole JSON number), in base units. */
  amount(decimals: number, allowZero = false): bigint {
    const v = this.value;
    if (typeof v === "number" && !Number.isSafeInteger(v))
      this.fail(`write fractional amounts as strings ("12.5"), got ${v}`);
    if (typeof v !== "string" && typeof v !== "number")
      this.fail('must be a decimal string, e.g. "12.5"');
    try {
      return parseAmount(String(v), decimals, this.path, { allowZero });
    } catch (e) {
      this.fail((e as Error).message.replace(`${this.path}: `, ""));
    }
  }

  /** A duration: seconds as a number or a string like "15m", "7d"; `zero` allows 0. */
  seconds(zero = false): bigint {
    if (zero && (this.value === 0 || this.value === "0")) return 0n;
    if (
      typeof this.value === "number" ||
      (typeof this.value === "string" && /^\d+$/.test(this.value))
    )
      return this.uint();
    try {
      return parseDuration(this.string(), this.path);
    } catch (e) {
      this.fail((e as Error).message.replace(`${this.path}: `, ""));
    }
  }
}

export function readKeypairFile(r: Reader): Keypair {
  const path = r.string();
  let bytes: unknown;
  try {
    bytes = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    r.fail(`cannot read a keypair from ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(bytes) || bytes.length !== 64)
    r.fail(`${path} is not a keypair file (64 bytes)`);
  return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
}
