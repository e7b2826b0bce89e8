import { BorshCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import { Connection, Logs } from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_emissions.json";
import { big } from "../common/amount";
import { parseProgramEvents } from "../common/events";
import { EMISSIONS_PROGRAM_ID } from "../common/programs";

const coder = new BorshCoder(convertIdlToCamelCase(idl as Idl));
const programId = EMISSIONS_PROGRAM_ID.toBase58();

/** Why a vault emits nothing more (`EndReason`), as a string. */
export type EndReason = "capReached" | "rateDecayedToZero" | "revoked";

/**
 * An emissions event decoded from logs: `name` in camelCase as Anchor names it (`emitted`),
 * data with `bigint` amounts (also inside `payments` and recipient lists) and `reason` as an
 * `EndReason` string.
 */
export interface EmissionsEvent {
  name: string;
  data: Record<string, unknown>;
}

function normalize(value: unknown, key?: string): unknown {
  if (BN.isBN(value)) return big(value as BN);
  if (Array.isArray(value)) return value.map((v) => normalize(v));
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    // Anchor decodes an enum as `{ variant: {} }`.
    if (key === "reason") return Object.keys(value)[0] as EndReason;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, k)]));
  }
  return value;
}

/** Emissions events in a transaction's logs, in order (CPI depth respected). */
export function parseEmissionsEvents(logs: string[]): EmissionsEvent[] {
  return [...parseProgramEvents(programId, coder, logs)].map((e) => ({
    name: e.name,
    data: normalize(e.data) as Record<string, unknown>,
  }));
}

/** Calls `callback` for every emissions event of every confirmed transaction; returns an unsubscribe. */
export function onEmissionsEvents(
  connection: Connection,
  callback: (event: EmissionsEvent, signature: string) => void,
): () => Promise<void> {
  const id = connection.onLogs(
    EMISSIONS_PROGRAM_ID,
    (logs: Logs) => {
      if (logs.err) return;
      for (const event of parseEmissionsEvents(logs.logs)) callback(event, logs.signature);
    },
    "confirmed",
  );
  return () => connection.removeOnLogsListener(id);
}
