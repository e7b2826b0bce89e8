import { BorshCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import type { PublicKey } from "@solana/web3.js";
import { Connection, Logs } from "@solana/web3.js";
import BN from "bn.js";

import type { Recipient } from "./accounts";
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

// --- typed event data ---------------------------------------------------------------------

/** A token transfer from a vault to one recipient. */
export interface Payment {
  tokenAccount: PublicKey;
  amount: bigint;
}

/** Each emissions event's data by its camelCase name, as `parseEmissionsEvents` returns it. */
export interface EmissionsEventMap {
  vaultCreated: {
    vault: PublicKey;
    mint: PublicKey;
    authority: PublicKey;
    tokenVault: PublicKey;
    vaultId: bigint;
    startTs: bigint;
    initialPerHour: bigint;
    decayBps: number;
    periodHours: number;
    cap: bigint;
    revocable: boolean;
    recipients: Recipient[];
    funded: bigint;
    recipientsDelaySecs: number;
    recipientOwners: PublicKey[];
  };
  emitted: {
    vault: PublicKey;
    fromHour: bigint;
    toHour: bigint;
    amount: bigint;
    payments: Payment[];
    settledDust: bigint;
    undistributed: bigint;
    totalEmitted: bigint;
    emittedHours: bigint;
    period: bigint;
    rate: bigint;
    periodsCrossed: bigint;
    caughtUp: boolean;
  };
  emissionCapReached: { vault: PublicKey; cap: bigint; emittedHours: bigint };
  emissionEnded: {
    vault: PublicKey;
    reason: EndReason;
    totalEmitted: bigint;
    emittedHours: bigint;
  };
  vaultFunded: { vault: PublicKey; funder: PublicKey; amount: bigint; balance: bigint };
  recipientsUpdated: {
    vault: PublicKey;
    oldRecipients: Recipient[];
    newRecipients: Recipient[];
    baseEmitted: bigint;
    paidOld: boolean;
  };
  vaultPausedSet: { vault: PublicKey; oldPaused: boolean; newPaused: boolean };
  vaultRevoked: {
    vault: PublicKey;
    paid: bigint;
    returned: bigint;
    destination: PublicKey;
    totalEmitted: bigint;
    emittedHours: bigint;
  };
  vaultClosed: {
    vault: PublicKey;
    authority: PublicKey;
    reason: EndReason;
    totalEmitted: bigint;
    swept: bigint;
    destination: PublicKey;
  };
  authorityProposed: {
    vault: PublicKey;
    authority: PublicKey;
    oldPendingAuthority: PublicKey;
    newPendingAuthority: PublicKey;
  };
  authorityTransferred: { vault: PublicKey; oldAuthority: PublicKey; newAuthority: PublicKey };
  recipientsProposed: {
    vault: PublicKey;
    authority: PublicKey;
    oldProposal: Recipient[];
    recipients: Recipient[];
    owners: PublicKey[];
    executableAt: bigint;
  };
  recipientsProposalCancelled: {
    vault: PublicKey;
    authority: PublicKey;
    recipients: Recipient[];
    executableAt: bigint;
  };
  recipientsProposalExecuted: {
    vault: PublicKey;
    executor: PublicKey;
    oldRecipients: Recipient[];
    newRecipients: Recipient[];
    executableAt: bigint;
    baseEmitted: bigint;
  };
  recipientAccountReplaced: {
    vault: PublicKey;
    caller: PublicKey;
    index: number;
    oldTokenAccount: PublicKey;
    newTokenAccount: PublicKey;
    owner: PublicKey;
    shareBps: number;
    oldCouldReceive: boolean;
  };
}

/** An emissions event narrowed by its name: `{ name, data }` with `data` typed. */
export type TypedEmissionsEvent = {
  [N in keyof EmissionsEventMap]: { name: N; data: EmissionsEventMap[N] };
}[keyof EmissionsEventMap];

/** Whether `e` is the event `name` (narrows `e.data` to its type). */
export function isEmissionsEvent<N extends keyof EmissionsEventMap>(
  e: EmissionsEvent,
  name: N,
): e is EmissionsEvent & { name: N; data: EmissionsEventMap[N] } {
  return e.name === name;
}

/** The data of every event `name` among `events`, typed, in order. */
export function emissionsEventsNamed<N extends keyof EmissionsEventMap>(
  events: readonly EmissionsEvent[],
  name: N,
): Array<EmissionsEventMap[N]> {
  return events.filter((e) => isEmissionsEvent(e, name)).map((e) => e.data as EmissionsEventMap[N]);
}
