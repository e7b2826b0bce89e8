// Helpers the command handlers share: flag access, amounts with the mint's decimals, and the
// shape of a transaction's output.
import { PublicKey } from "@solana/web3.js";

import type { Network } from "../env";
import { UsageError } from "../errors";
import type { Output } from "../output";
import { keyValues } from "../output";
import { checkAmountSyntax, formatAmount, parseAmount } from "../parse";
import type { Invocation } from "./types";

/** A string flag, or undefined. */
export function opt(inv: Invocation, name: string): string | undefined {
  const v = inv.values[name];
  return typeof v === "string" ? v : undefined;
}

/** A boolean flag. */
export function flag(inv: Invocation, name: string): boolean {
  return inv.values[name] === true;
}

/** A required string flag. */
export function required(inv: Invocation, name: string): string {
  const v = opt(inv, name);
  if (v === undefined) throw new UsageError(`--${name} is required`, "MissingValue");
  return v;
}

/** At most one of `names` may be given. */
export function exclusive(inv: Invocation, ...names: string[]): void {
  const given = names.filter((n) => inv.values[n] !== undefined);
  if (given.length > 1)
    throw new UsageError(
      `--${given[0]} and --${given[1]} cannot be used together`,
      "ConflictingFlags",
    );
}

/**
 * A token amount flag: its syntax is checked now (before any network access); the returned
 * function converts it with the mint's decimals (or as base units with --raw).
 */
export function amountFlag(
  inv: Invocation,
  name: string,
  o: { optional?: boolean; allowZero?: boolean } = {},
): ((decimals: number) => bigint) | undefined {
  const text = opt(inv, name);
  if (text === undefined && o.optional) return undefined;
  checkAmountSyntax(text, `--${name}`, flag(inv, "raw"));
  return (decimals) =>
    parseAmount(text, decimals, `--${name}`, { raw: flag(inv, "raw"), allowZero: o.allowZero });
}

/** Formats base units as tokens of the network's mint. */
export function tokens(net: Pick<Network, "decimals">, value: bigint): string {
  return formatAmount(value, net.decimals);
}

/** A value out of an event's data as a bigint (0 when absent). */
export function ev(data: Record<string, unknown> | undefined, key: string): bigint {
  const v = data?.[key];
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  return 0n;
}

/** A key out of an event's data. */
export function evKey(data: Record<string, unknown> | undefined, key: string): PublicKey | null {
  const v = data?.[key];
  return v instanceof PublicKey ? v : null;
}

/** The output of a command that sent one transaction: a title line, then key/value pairs. */
export function txOutput(
  title: string,
  signature: string,
  json: Record<string, unknown>,
  pairs: Array<[string, string]>,
): Output {
  return {
    json: { signature, ...json },
    human: `${title}\n${keyValues([...pairs, ["signature", signature]])}`,
  };
}
