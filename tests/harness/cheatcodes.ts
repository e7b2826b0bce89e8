// Surfpool's cheatcodes, which crucible-localnet serves with the same names, parameters and
// results: the clock moved by time travel, accounts set directly. Time in tests moves through
// them, never by waiting. solana-test-validator has none: the suites that move the clock call
// `requiresTimeTravel(this)` first and skip there, after one line saying why.
import { Connection, PublicKey, SYSVAR_CLOCK_PUBKEY } from "@solana/web3.js";

import { METHOD_NOT_FOUND, RpcError, getProvider, rpcCall, rpcRequest } from "./env";

/** Where `surfnet_timeTravel` goes: one absolute target (a timestamp in Unix milliseconds). */
export type TimeTravelConfig =
  { absoluteTimestamp: number } | { absoluteSlot: number } | { absoluteEpoch: number };

/** What `surfnet_timeTravel` answers: `getEpochInfo` after the travel. */
export interface EpochInfo {
  absoluteSlot: number;
  blockHeight: number;
  epoch: number;
  slotIndex: number;
  slotsInEpoch: number;
  transactionCount: number;
}

/** The fields `surfnet_setAccount` sets (the others stay); `data` is hex. */
export interface AccountUpdate {
  lamports?: number;
  data?: string;
  owner?: string;
  executable?: boolean;
  rentEpoch?: number;
}

/** The fields `surfnet_setTokenAccount` sets; `delegate` / `closeAuthority` "null" unsets. */
export interface TokenAccountUpdate {
  amount?: number;
  delegate?: string;
  state?: "uninitialized" | "initialized" | "frozen";
  delegatedAmount?: number;
  closeAuthority?: string;
}

/** Moves the clock to `config` (without: one hour ahead); the slot moves with it. */
export function timeTravel(url: string, config?: TimeTravelConfig): Promise<EpochInfo> {
  return rpcCall<EpochInfo>(url, "surfnet_timeTravel", config ? [config] : []);
}

/** Sets fields of the account `pubkey` (created if absent; 0 lamports removes it). */
export async function setAccount(
  url: string,
  pubkey: PublicKey,
  update: AccountUpdate,
): Promise<void> {
  await rpcCall(url, "surfnet_setAccount", [pubkey.toBase58(), update]);
}

/** Sets fields of the associated token account of `owner` for `mint` (created if absent). */
export async function setTokenAccount(
  url: string,
  owner: PublicKey,
  mint: PublicKey,
  update: TokenAccountUpdate,
  tokenProgram?: PublicKey,
): Promise<void> {
  const params: unknown[] = [owner.toBase58(), mint.toBase58(), update];
  if (tokenProgram) params.push(tokenProgram.toBase58());
  await rpcCall(url, "surfnet_setTokenAccount", params);
}

/** The clock: the `Clock` sysvar's slot, epoch and Unix time (seconds). */
export interface ClockState {
  slot: number;
  unixTimestamp: number;
  epoch: number;
}

/** Reads the `Clock` sysvar, on any validator. */
export async function readClock(connection: Connection): Promise<ClockState> {
  const info = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, "confirmed");
  if (!info || info.data.length < 40) throw new Error("the cluster has no Clock sysvar");
  return {
    slot: Number(info.data.readBigUInt64LE(0)),
    epoch: Number(info.data.readBigUInt64LE(16)),
    unixTimestamp: Number(info.data.readBigInt64LE(32)),
  };
}

/**
 * Moves the clock forward by `seconds` (the slot moves with it, 400 ms a slot) through
 * `surfnet_timeTravel`, and returns the clock after it. On crucible-localnet the clock moves
 * only when told, so it then reads exactly `seconds` later; on surfpool it also follows the
 * wall clock, so it reads at least that. Time in tests is travelled, never waited for.
 */
export async function warp(
  provider: { connection: Connection },
  seconds: number,
): Promise<ClockState> {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new Error(`warp: seconds must be a non-negative integer, got ${seconds}`);
  }
  const { connection } = provider;
  const url = connection.rpcEndpoint;
  // surfpool's clock runs on between the read and the travel: a target that has just become
  // the past is refused, and read again once.
  for (let attempt = 1; ; attempt++) {
    const before = await readClock(connection);
    try {
      await timeTravel(url, { absoluteTimestamp: (before.unixTimestamp + seconds) * 1000 });
      return await readClock(connection);
    } catch (e) {
      if (e instanceof RpcError && e.code === METHOD_NOT_FOUND) {
        throw new Error(
          `warp: ${notSupported(url)}; a suite that warps must call requiresTimeTravel(this) first`,
        );
      }
      const past = e instanceof RpcError && String(e.data).startsWith("Cannot travel to past");
      if (!past || attempt === 2) throw e;
    }
  }
}

function notSupported(url: string): string {
  return `${url} does not implement surfnet_timeTravel (JSON-RPC ${METHOD_NOT_FOUND} Method not found)`;
}

/** The line printed once when the validator cannot travel in time. */
export function skipLine(url: string): string {
  return (
    `time travel unavailable: ${url} answers surfnet_timeTravel with ${METHOD_NOT_FOUND} Method ` +
    "not found (solana-test-validator has no cheatcodes), so the tests that move the clock are " +
    "skipped; they run on crucible-localnet (`npm run test:mocha`) and on surfpool"
  );
}

const probes = new Map<string, Promise<boolean>>();

/**
 * Whether the validator at `url` serves `surfnet_timeTravel`, asked once per endpoint with a
 * config no validator accepts (so the probe never moves the clock): -32601 means it does not,
 * and then `log` gets {@link skipLine}, once. Any other answer means it does.
 */
export function canTimeTravel(
  url: string,
  log: (line: string) => void = console.log,
): Promise<boolean> {
  let probe = probes.get(url);
  if (!probe) {
    probe = rpcRequest(url, "surfnet_timeTravel", ["probe"]).then((response) => {
      const supported = response.error?.code !== METHOD_NOT_FOUND;
      if (!supported) log(skipLine(url));
      return supported;
    });
    probes.set(url, probe);
  }
  return probe;
}

/**
 * Skips the test or hook `ctx` belongs to (from a `before`: the whole `describe`) when the
 * validator cannot travel in time. Call it first in every suite that moves the clock; a `warp`
 * without it fails loudly rather than passing.
 */
export async function requiresTimeTravel(
  ctx: Mocha.Context,
  url: string = getProvider().connection.rpcEndpoint,
): Promise<void> {
  if (!(await canTimeTravel(url))) ctx.skip();
}

/**
 * {@link requiresTimeTravel} for the tests of the other cheatcodes (`surfnet_setAccount`,
 * `surfnet_setTokenAccount`): a validator has surfpool's cheatcodes together or none of them.
 */
export const requiresCheatcodes = requiresTimeTravel;
