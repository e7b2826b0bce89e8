import { BorshCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import { Connection, Logs, PublicKey } from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_market.json";
import { big } from "../common/amount";
import { parseProgramEvents } from "../common/events";
import { MARKET_PROGRAM_ID } from "../common/programs";

const coder = new BorshCoder(convertIdlToCamelCase(idl as Idl));
const programId = MARKET_PROGRAM_ID.toBase58();

/** A market event decoded from logs: `name` in camelCase (`jobCompleted`), data with `bigint`s. */
export interface MarketEvent {
  name: string;
  data: Record<string, unknown>;
}

/** `jobQuit`: a provider gave a running job back; the job is open again. */
export interface JobQuitEvent {
  job: PublicKey;
  market: PublicKey;
  client: PublicKey;
  provider: PublicKey;
  /** Collateral unlocked: the job's collateral less `slashed`. */
  collateral: bigint;
  /** The expiry slash paid to the client for a quit after the grace window; 0 within it. */
  slashed: bigint;
  /** Quits of this job so far, this one included (at most 4). */
  quitterCount: number;
}

/** `jobDisputed`: the client contested the result; `arbiter` alone may resolve it. */
export interface JobDisputedEvent {
  job: PublicKey;
  market: PublicKey;
  client: PublicKey;
  provider: PublicKey;
  disputedAt: bigint;
  arbiter: PublicKey;
}

/** `feesSwept`: the fee vault's balance moved to the treasury. */
export interface FeesSweptEvent {
  feeVault: PublicKey;
  treasury: PublicKey;
  amount: bigint;
}

/** The typed data of the market events named here, by event name. */
export interface MarketEventData {
  jobQuit: JobQuitEvent;
  jobDisputed: JobDisputedEvent;
  feesSwept: FeesSweptEvent;
}

/** The events called `name` among `events`, with their data typed. */
export function marketEventsNamed<K extends keyof MarketEventData>(
  events: MarketEvent[],
  name: K,
): MarketEventData[K][] {
  return events.filter((e) => e.name === name).map((e) => e.data as unknown as MarketEventData[K]);
}

function normalize(value: unknown): unknown {
  if (BN.isBN(value)) return big(value as BN);
  if (
    value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** Market events in a transaction's logs, in order. */
export function parseMarketEvents(logs: string[]): MarketEvent[] {
  return [...parseProgramEvents(programId, coder, logs)].map((e) => ({
    name: e.name,
    data: normalize(e.data) as Record<string, unknown>,
  }));
}

/** Calls `callback` for every market event of every confirmed transaction; returns an unsubscribe. */
export function onMarketEvents(
  connection: Connection,
  callback: (event: MarketEvent, signature: string) => void,
): () => Promise<void> {
  const id = connection.onLogs(
    MARKET_PROGRAM_ID,
    (logs: Logs) => {
      if (logs.err) return;
      for (const event of parseMarketEvents(logs.logs)) callback(event, logs.signature);
    },
    "confirmed",
  );
  return () => connection.removeOnLogsListener(id);
}
