import { Buffer } from "buffer";
import { Connection, GetProgramAccountsFilter, PublicKey } from "@solana/web3.js";

import { memcmp, ProgramIdOption } from "../common/program";
import { program } from "./program";

export type JobState = "open" | "running" | "submitted" | "disputed";
export const JOB_STATES: readonly JobState[] = ["open", "running", "submitted", "disputed"];

export interface MarketConfig {
  admin: PublicKey;
  pendingAdmin: PublicKey;
  mint: PublicKey;
  /** Where `sweepFees` sends what the fee vault collected. */
  treasury: PublicKey;
  bump: number;
  collateralBump: number;
  /** Every settlement's fee lands here (`feeVaultPda()`), a token account owned by the config. */
  feeVault: PublicKey;
  feeVaultBump: number;
}

export interface MarketParams {
  minProviderStake: bigint;
  collateralBps: number;
  minCollateral: bigint;
  burnBps: number;
  feeBps: number;
  maxDurationSecs: bigint;
  disputeWindowSecs: bigint;
  arbitrationWindowSecs: bigint;
  defaultDisputeSplitBps: number;
  expirySlashBps: number;
  /** A job's lifetime: no deadline falls after `createdAt + jobLifetimeSecs`. */
  jobLifetimeSecs: bigint;
  /** Free quit window after an acceptance (capped per job at half its duration). */
  quitGraceSecs: bigint;
}

export interface Market {
  marketId: bigint;
  mint: PublicKey;
  tokenProgram: PublicKey;
  stakingPool: PublicKey;
  arbiter: PublicKey;
  /** Decoded from the zero-padded bytes. */
  name: string;
  params: MarketParams;
  paused: boolean;
  bump: number;
  collateralBump: number;
  /** `null`: jobs are priced in tokens; otherwise in micro-USD against this Pyth feed. */
  usdPricing: UsdPricing | null;
  /** The work-rewards pool every settlement's burn is recorded in, or `null`. */
  workPool: PublicKey | null;
  workRecorderBump: number;
}

/** How a USD-priced market reads its Pyth price. */
export interface UsdPricing {
  /** The Pyth price feed id, 32 bytes. */
  feedId: Uint8Array;
  /** A price update older than this (seconds, 1 to 3 600) is refused. */
  maxAgeSecs: number;
  /** A confidence interval wider than this share of the price (1 to 9 999 bps) is refused. */
  maxConfBps: number;
}

/** A USD-priced job's price and the Pyth rate its token amount was fixed at. */
export interface UsdQuote {
  microUsd: bigint;
  /** value = price × 10^exponent USD per token; the amount is at `price − conf`, rounded up. */
  price: bigint;
  conf: bigint;
  exponent: number;
  publishTime: bigint;
}

export interface Job {
  market: PublicKey;
  client: PublicKey;
  /** `null` while open. */
  provider: PublicKey | null;
  state: JobState;
  /** `null` when anyone may accept. */
  targetProvider: PublicKey | null;
  nonce: bigint;
  price: bigint;
  collateral: bigint;
  burnBps: number;
  feeBps: number;
  disputeWindowSecs: bigint;
  arbitrationWindowSecs: bigint;
  defaultDisputeSplitBps: number;
  expirySlashBps: number;
  durationSecs: bigint;
  specHash: Uint8Array;
  resultHash: Uint8Array;
  createdAt: bigint;
  acceptedAt: bigint;
  deadline: bigint;
  submittedAt: bigint;
  disputeDeadline: bigint;
  disputedAt: bigint;
  bump: number;
  escrowBump: number;
  /** No deadline falls after it; from then on the client can always take the payment back. */
  lifetimeEndsAt: bigint;
  /** This job's free quit window after an acceptance. */
  quitGraceSecs: bigint;
  /** The providers that quit this job (none may accept it again), in order. */
  quitters: PublicKey[];
  /** The arbiter recorded when the dispute opened; `null` before. */
  arbiter: PublicKey | null;
  /** A USD-priced job's quote; `null` for a token-priced job. */
  usdQuote: UsdQuote | null;
}

/** Byte offsets of `Job` fields for memcmp filters (after the 8-byte discriminator). */
export const JOB_OFFSETS = { market: 8, client: 40, provider: 72, state: 104 } as const;

const orNull = (k: PublicKey) => (k.equals(PublicKey.default) ? null : k);

/** A zero-padded UTF-8 name. */
function nameOf(bytes: number[]): string {
  const b = Buffer.from(bytes);
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString("utf8");
}

export function decodeMarketConfig(data: Buffer): MarketConfig {
  return program.decodeAccount("marketConfig", data);
}

export function decodeMarket(data: Buffer): Market {
  const raw = program.decodeAccount("market", data);
  const usd = raw.usdPricing;
  return {
    ...raw,
    name: nameOf(raw.name),
    usdPricing: usd ? { ...usd, feedId: Uint8Array.from(usd.feedId) } : null,
  };
}

export function decodeJob(data: Buffer): Job {
  const { quitterCount, ...raw } = program.decodeAccount("job", data);
  return {
    ...raw,
    quitters: raw.quitters.slice(0, quitterCount),
    arbiter: orNull(raw.arbiter),
    provider: orNull(raw.provider),
    targetProvider: orNull(raw.targetProvider),
    specHash: Uint8Array.from(raw.specHash),
    resultHash: Uint8Array.from(raw.resultHash),
  };
}

const confirmed = (o: ProgramIdOption) => ({ ...o, commitment: "confirmed" as const });

export const fetchMarketConfig = (c: Connection, a: PublicKey, o: ProgramIdOption = {}) =>
  program.fetch(c, a, decodeMarketConfig, confirmed(o));
export const fetchMarket = (c: Connection, a: PublicKey, o: ProgramIdOption = {}) =>
  program.fetch(c, a, decodeMarket, confirmed(o));
export const fetchJob = (c: Connection, a: PublicKey, o: ProgramIdOption = {}) =>
  program.fetch(c, a, decodeJob, confirmed(o));

/** Filters for `listJobs`: every given field must match (server-side memcmp). */
export interface JobFilter {
  market?: PublicKey;
  client?: PublicKey;
  provider?: PublicKey;
  state?: JobState;
}

/**
 * The memcmp filters `listJobs` sends, exposed for callers that build their own queries.
 * Adjacent fields are merged into one memcmp (the discriminator, market and client are bytes
 * 0..72; provider and state 72..105), because RPC nodes accept at most four filters.
 */
export function jobFilters(f: JobFilter): GetProgramAccountsFilter[] {
  const parts: Array<[number, Buffer]> = [[0, program.accountDiscriminator("job")]];
  if (f.market) parts.push([JOB_OFFSETS.market, f.market.toBuffer()]);
  if (f.client) parts.push([JOB_OFFSETS.client, f.client.toBuffer()]);
  if (f.provider) parts.push([JOB_OFFSETS.provider, f.provider.toBuffer()]);
  if (f.state) parts.push([JOB_OFFSETS.state, Buffer.from([JOB_STATES.indexOf(f.state)])]);
  const merged: Array<[number, Buffer]> = [];
  for (const [offset, bytes] of parts) {
    const last = merged[merged.length - 1];
    if (last && last[0] + last[1].length === offset) last[1] = Buffer.concat([last[1], bytes]);
    else merged.push([offset, bytes]);
  }
  return merged.map(([offset, bytes]) => memcmp(offset, bytes));
}

/** Jobs matching `filter`, filtered on the server, in address order. */
export function listJobs(
  connection: Connection,
  filter: JobFilter = {},
  o: ProgramIdOption = {},
): Promise<Array<{ address: PublicKey; account: Job }>> {
  return program.list(connection, jobFilters(filter), decodeJob, o);
}

/** Every market, in id order. */
export async function listMarkets(
  connection: Connection,
  o: ProgramIdOption = {},
): Promise<Array<{ address: PublicKey; account: Market }>> {
  const filters = [program.discriminatorFilter("market")];
  const markets = await program.list(connection, filters, decodeMarket, o);
  return markets.sort((a, b) => (a.account.marketId < b.account.marketId ? -1 : 1));
}
