// The demo's vocabulary: its options and report, the parties and the jobs it tracks.
import { Keypair, PublicKey } from "@solana/web3.js";

import type { MarketClient, StakingClient } from "../../sdk/src";

export interface DemoOptions {
  hours: number;
  providers: number;
  clients: number;
  seed: number;
  /** Jobs posted per simulated hour on the token-priced market, on average. */
  jobsPerHour: number;
  /** USD demand: the USD market gets `demand × USD_JOBS_PER_HOUR` jobs an hour, on average
   * (`DEMAND.low` leaves the burn under the emission, `DEMAND.high` above it). */
  demand: number;
  /** The margin over the SDK's expected tokens a USD job allows (`maxTokens`), in bps. */
  slippageBps?: number;
  /** Transactions in flight at once. */
  concurrency: number;
  /** The demo's two markets are `marketIdBase` (tokens) and `marketIdBase + 1` (USD), its vault
   * id `vaultId`. */
  marketIdBase?: number;
  vaultId?: number;
  /** The work pool's id (default: the vault's) and where what providers do not earn goes
   * (default the staking pool's reward vault; the treasury keeps the pool from being a reward
   * source of a staking pool other runs share). */
  workPoolId?: number;
  workDestination?: "stakingRewardVault" | "treasury";
  progress?: (hour: number, hours: number, line: string) => void;
}

export const DEFAULTS: DemoOptions = {
  hours: 168,
  providers: 20,
  clients: 50,
  seed: 42,
  jobsPerHour: 4,
  demand: 0.3,
  concurrency: 8,
};

/** USD jobs an hour at demand 1. */
export const USD_JOBS_PER_HOUR = 10;

/** The two regimes of `--demand`: net inflation (burn < emission) and net deflation. */
export const DEMAND: Record<"low" | "high", number> = { low: 0.3, high: 3 };

/** Tokens the demo's vault emits an hour (before its monthly decay): sized so that the low
 * demand burns less than this and the high demand more, at about $0.50 a token. */
export const EMISSION_PER_HOUR = 1_000n;

export const DECIMALS = 6;
export const TOKEN = 10n ** BigInt(DECIMALS);
export const HOUR = 3_600;

export interface Actor {
  key: Keypair;
  token: PublicKey;
  markets: MarketClient;
  staking: StakingClient;
}

export type Plan = "submit" | "quit" | "expire";
export type Verdict = "complete" | "leave" | "dispute";
export interface TrackedJob {
  address: PublicKey;
  market: PublicKey;
  client: Actor;
  provider?: Actor;
  plan?: Plan;
  verdict?: Verdict;
  arbitrate?: boolean;
  state: "open" | "running" | "submitted" | "disputed" | "closed";
  outcome?: string;
}

/** One simulated hour. Amounts are token base units (6 decimals) or micro-USD, as strings. */
export interface HourRow {
  hour: number;
  /** The price written at the start of the hour, as read back from the chain's account. */
  price: { price: string; conf: string; exponent: number; publishTime: string };
  /** The same in dollars (mid price). */
  priceUsd: number;
  jobsPosted: { tokens: number; usd: number };
  /** The mint's supply at the end of the hour (the vault's unemitted tokens included). */
  supply: string;
  /** Supply outside the emission vault: what emission adds to and burns take from. */
  circulatingSupply: string;
  /** Tokens burned in the hour (settlements and burned slashes) and their worth at its price. */
  burned: string;
  burnedMicroUsd: string;
  /** The hour's emission and its split: to the staking pool, the treasury, and the
   * work-rewards pool (work.ts). */
  emitted: string;
  emittedToStake: string;
  emittedToTreasury: string;
  emittedToWork: string;
  /** What of `emittedToWork` the hour's providers share (the rest goes to the work pool's
   * destination, the staking pool's reward vault). */
  workToProviders: string;
  /** Whether the work cap (a share of the hour's burn) held back part of the pool's share. */
  workCapBinding: boolean | null;
  /** emitted − burned: positive is net inflation, negative net deflation. */
  netSupplyChange: string;
  cumulativeBurned: string;
  cumulativeEmitted: string;
  jobsClosed: number;
}

/** The run's burn-and-mint balance, summed over its hours. */
export interface Regime {
  demand: number;
  hours: number;
  burned: string;
  burnedMicroUsd: string;
  emitted: string;
  emittedToStake: string;
  emittedToWork: string;
  /** emitted − burned over the run: positive is net inflation, negative net deflation. */
  netSupplyChange: string;
  verdict: "net inflation" | "net deflation" | "balanced";
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DemoReport {
  options: DemoOptions;
  addresses: Record<string, string>;
  jobs: { posted: number; byOutcome: Record<string, number>; stillOpen: number };
  tokens: Record<string, string>;
  supply: { start: string; end: string };
  transactions: number;
  rejected: Record<string, number>;
  hours: HourRow[];
  regime: Regime;
  checks: Check[];
  seconds: number;
}
