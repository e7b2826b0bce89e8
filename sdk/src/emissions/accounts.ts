import { Buffer } from "buffer";
import {
  Connection,
  GetProgramAccountsFilter,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
} from "@solana/web3.js";

import { memcmp, ProgramIdOption } from "../common/program";
import type { Progress, Schedule } from "./math";
import { program } from "./program";

/** A recipient of a vault: a token account of its mint and its share in basis points. */
export interface Recipient {
  tokenAccount: PublicKey;
  shareBps: number;
}

/** A decoded `EmissionVault`, amounts as `bigint`. `recipients` and `recipientOwners` hold the
 * `recipientCount` current recipients, `proposedRecipients` and `proposedRecipientOwners` the
 * `proposedRecipientCount` of the pending proposal (empty when none); the account's unused
 * slots are left out. */
export interface EmissionVault {
  authority: PublicKey;
  pendingAuthority: PublicKey;
  mint: PublicKey;
  tokenProgram: PublicKey;
  tokenVault: PublicKey;
  vaultId: bigint;
  startTs: bigint;
  initialPerHour: bigint;
  decayBps: number;
  periodHours: number;
  cap: bigint;
  emittedHours: bigint;
  totalEmitted: bigint;
  cursorPeriod: bigint;
  cursorRate: bigint;
  recipientsBaseEmitted: bigint;
  recipientCount: number;
  recipients: Recipient[];
  revocable: boolean;
  revoked: boolean;
  paused: boolean;
  bump: number;
  tokenVaultBump: number;
  /** Seconds between a recipients proposal and its earliest execution (fixed at creation). */
  recipientsDelaySecs: number;
  /** The owner of each current recipient's token account, recorded when it was installed or
   * last paid. */
  recipientOwners: PublicKey[];
  /** 0 when no recipients proposal is pending. */
  proposedRecipientCount: number;
  proposedRecipients: Recipient[];
  proposedRecipientOwners: PublicKey[];
  /** Earliest unix time at which the pending proposal can be executed (0 when none). */
  proposalExecutableAt: bigint;
}

/** Whether `v` has a recipients proposal that `execute_recipients_proposal` accepts at `now`. */
export function proposalReady(v: EmissionVault, now: bigint): boolean {
  return v.proposedRecipientCount > 0 && now >= v.proposalExecutableAt;
}

export function decodeEmissionVault(data: Buffer): EmissionVault {
  const raw = program.decodeAccount("emissionVault", data);
  const count = raw.recipientCount;
  const proposed = raw.proposedRecipientCount;
  return {
    ...raw,
    recipients: raw.recipients.slice(0, count),
    recipientOwners: raw.recipientOwners.slice(0, count),
    proposedRecipients: raw.proposedRecipients.slice(0, proposed),
    proposedRecipientOwners: raw.proposedRecipientOwners.slice(0, proposed),
  };
}

/** The vault's schedule parameters. */
export function scheduleOf(v: EmissionVault): Schedule {
  return {
    initialPerHour: v.initialPerHour,
    decayBps: v.decayBps,
    periodHours: v.periodHours,
    cap: v.cap,
  };
}

/** The vault's progress (hours paid, total, cursor). */
export function progressOf(v: EmissionVault): Progress {
  return {
    hours: v.emittedHours,
    total: v.totalEmitted,
    period: v.cursorPeriod,
    rate: v.cursorRate,
  };
}

/** The vault at `address`, or `null` when there is no account. */
export function fetchEmissionVault(
  connection: Connection,
  address: PublicKey,
  o: ProgramIdOption = {},
): Promise<EmissionVault | null> {
  return program.fetch(connection, address, decodeEmissionVault, { ...o, commitment: "confirmed" });
}

/** Byte offsets of `EmissionVault` fields (after the 8-byte discriminator), for memcmp filters. */
export const EMISSION_VAULT_OFFSETS = { authority: 8, pendingAuthority: 40, mint: 72 } as const;

/** Which vaults `listEmissionVaults` returns. */
export interface VaultFilter {
  mint?: PublicKey;
  authority?: PublicKey;
}

/** Server-side filters for emission vaults: the discriminator, then each field given. */
export function vaultFilters(f: VaultFilter = {}): GetProgramAccountsFilter[] {
  const filters = [program.discriminatorFilter("emissionVault")];
  if (f.mint) filters.push(memcmp(EMISSION_VAULT_OFFSETS.mint, f.mint.toBuffer()));
  if (f.authority) filters.push(memcmp(EMISSION_VAULT_OFFSETS.authority, f.authority.toBuffer()));
  return filters;
}

/** Emission vaults, filtered on the server (`getProgramAccounts` with memcmp), by address. */
export function listEmissionVaults(
  connection: Connection,
  filter: VaultFilter = {},
  o: ProgramIdOption = {},
): Promise<Array<{ address: PublicKey; account: EmissionVault }>> {
  return program.list(connection, vaultFilters(filter), decodeEmissionVault, o);
}

/** The cluster's `Clock::unix_timestamp` (what the program calls "now"). */
export async function fetchUnixTimestamp(connection: Connection): Promise<bigint> {
  const info = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, "confirmed");
  if (!info) throw new Error("no Clock sysvar");
  // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
  return info.data.readBigInt64LE(32);
}
