import { BorshCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import { Connection, Logs } from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_staking.json";
import { big } from "../common/amount";
import { parseProgramEvents } from "../common/events";
import { STAKING_PROGRAM_ID } from "../common/programs";

const coder = new BorshCoder(convertIdlToCamelCase(idl as Idl));
const programId = STAKING_PROGRAM_ID.toBase58();

/** A staking event decoded from logs: `name` in camelCase as Anchor names it (`staked`), data with `bigint`s. */
export interface StakingEvent {
  name: string;
  data: Record<string, unknown>;
}

function normalize(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) out[k] = BN.isBN(v) ? big(v as BN) : v;
  return out;
}

/** Staking events in a transaction's logs, in order (CPI depth respected). */
export function parseStakingEvents(logs: string[]): StakingEvent[] {
  return [...parseProgramEvents(programId, coder, logs)].map((e) => ({
    name: e.name,
    data: normalize(e.data as Record<string, unknown>),
  }));
}

/** Calls `callback` for every staking event of every confirmed transaction; returns an unsubscribe. */
export function onStakingEvents(
  connection: Connection,
  callback: (event: StakingEvent, signature: string) => void,
): () => Promise<void> {
  const id = connection.onLogs(
    STAKING_PROGRAM_ID,
    (logs: Logs) => {
      if (logs.err) return;
      for (const event of parseStakingEvents(logs.logs)) callback(event, logs.signature);
    },
    "confirmed",
  );
  return () => connection.removeOnLogsListener(id);
}
