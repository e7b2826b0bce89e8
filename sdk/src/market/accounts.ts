import { BorshAccountsCoder, Idl, utils } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import { Connection, GetProgramAccountsFilter, PublicKey } from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_market.json";
import { big } from "../common/amount";
import { MARKET_PROGRAM_ID } from "../common/programs";

/** Decodes market accounts with camelCase field names, as Anchor's `Program` does. */
export const marketAccountsCoder = new BorshAccountsCoder(convertIdlToCamelCase(idl as Idl));

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
}

/** Byte offsets of `Job` fields for memcmp filters (after the 8-byte discriminator). */
export const JOB_OFFSETS = { market: 8, client: 40, provider: 72, state: 104 } as const;

type Raw = Record<string, unknown>;

function bigints(raw: Raw): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(raw)) out[k] = BN.isBN(v) ? big(v as BN) : v;
  return out;
}

const orNull = (k: PublicKey) => (k.equals(PublicKey.default) ? null : k);

export function decodeMarketConfig(data: Buffer): MarketConfig {
  return marketAccountsCoder.decode("marketConfig", data) as MarketConfig;
}

export function decodeMarket(data: Buffer): Market {
  const raw = marketAccountsCoder.decode("market", data) as Raw;
  const bytes = Buffer.from(raw.name as number[]);
  const end = bytes.indexOf(0);
  return {
    ...(bigints(raw) as unknown as Market),
    name: bytes.subarray(0, end < 0 ? bytes.length : end).toString("utf8"),
    params: bigints(raw.params as Raw) as unknown as MarketParams,
  };
}

export function decodeJob(data: Buffer): Job {
  const raw = bigints(marketAccountsCoder.decode("job", data) as Raw);
  const { quitterCount, ...rest } = raw;
  return {
    ...(rest as unknown as Job),
    quitters: (raw.quitters as PublicKey[]).slice(0, quitterCount as number),
    arbiter: orNull(raw.arbiter as PublicKey),
    provider: orNull(raw.provider as PublicKey),
    targetProvider: orNull(raw.targetProvider as PublicKey),
    state: Object.keys(raw.state as object)[0] as JobState,
    specHash: Uint8Array.from(raw.specHash as number[]),
    resultHash: Uint8Array.from(raw.resultHash as number[]),
  };
}

async function fetchDecoded<T>(
  connection: Connection,
  address: PublicKey,
  decode: (d: Buffer) => T,
): Promise<T | null> {
  const info = await connection.getAccountInfo(address, "confirmed");
  if (!info) return null;
  if (!info.owner.equals(MARKET_PROGRAM_ID))
    throw new Error(`${address.toBase58()} is not owned by the market program`);
  return decode(info.data);
}

export const fetchMarketConfig = (c: Connection, a: PublicKey) =>
  fetchDecoded(c, a, decodeMarketConfig);
export const fetchMarket = (c: Connection, a: PublicKey) => fetchDecoded(c, a, decodeMarket);
export const fetchJob = (c: Connection, a: PublicKey) => fetchDecoded(c, a, decodeJob);

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
  const parts: Array<[number, Buffer]> = [
    [0, Buffer.from(marketAccountsCoder.accountDiscriminator("job"))],
  ];
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
  return merged.map(([offset, bytes]) => ({
    memcmp: { offset, bytes: utils.bytes.bs58.encode(bytes) },
  }));
}

/** Jobs matching `filter`, filtered on the server, in address order. */
export async function listJobs(
  connection: Connection,
  filter: JobFilter = {},
): Promise<Array<{ address: PublicKey; account: Job }>> {
  const accounts = await connection.getProgramAccounts(MARKET_PROGRAM_ID, {
    commitment: "confirmed",
    filters: jobFilters(filter),
  });
  return accounts
    .map(({ pubkey, account }) => ({ address: pubkey, account: decodeJob(account.data) }))
    .sort((a, b) => a.address.toBase58().localeCompare(b.address.toBase58()));
}

/** Every market, in id order. */
export async function listMarkets(
  connection: Connection,
): Promise<Array<{ address: PublicKey; account: Market }>> {
  const accounts = await connection.getProgramAccounts(MARKET_PROGRAM_ID, {
    commitment: "confirmed",
    filters: [{ memcmp: marketAccountsCoder.memcmp("market") }],
  });
  return accounts
    .map(({ pubkey, account }) => ({ address: pubkey, account: decodeMarket(account.data) }))
    .sort((a, b) => (a.account.marketId < b.account.marketId ? -1 : 1));
}
