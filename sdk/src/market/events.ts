import { BorshCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import { Connection, Logs } from "@solana/web3.js";
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
