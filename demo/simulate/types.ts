// The demo's vocabulary: its options and report, the parties and the jobs it tracks.
import { Keypair, PublicKey } from "@solana/web3.js";

import type { MarketClient, StakingClient } from "../../sdk/src";

export interface DemoOptions {
  hours: number;
  providers: number;
  clients: number;
  seed: number;
  /** Jobs posted per simulated hour, on average. */
  jobsPerHour: number;
  /** Transactions in flight at once. */
  concurrency: number;
  /** The demo's two markets are `marketIdBase` and `marketIdBase + 1`, its vault id `vaultId`. */
  marketIdBase?: number;
  vaultId?: number;
  progress?: (hour: number, hours: number, line: string) => void;
}

export const DEFAULTS: DemoOptions = {
  hours: 168,
  providers: 20,
  clients: 50,
  seed: 42,
  jobsPerHour: 10,
  concurrency: 8,
};

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

export interface HourRow {
  hour: number;
  supply: string;
  cumulativeBurned: string;
  cumulativeEmitted: string;
  jobsClosed: number;
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
  checks: Check[];
  seconds: number;
}
