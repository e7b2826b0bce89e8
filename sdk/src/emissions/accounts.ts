import { BorshAccountsCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import {
  Connection,
  GetProgramAccountsFilter,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
} from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_emissions.json";
import { big } from "../common/amount";
import { EMISSIONS_PROGRAM_ID } from "../common/programs";
import type { Progress, Schedule } from "./math";

/** Decodes emissions accounts with camelCase field names, as Anchor's `Program` does. */
export const emissionsAccountsCoder = new BorshAccountsCoder(convertIdlToCamelCase(idl as Idl));

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

type Raw = Record<string, unknown>;

export function decodeEmissionVault(data: Buffer): EmissionVault {
  const raw = emissionsAccountsCoder.decode("emissionVault", data) as Raw;
  const out: Raw = {};
  for (const [k, v] of Object.entries(raw)) out[k] = BN.isBN(v) ? big(v as BN) : v;
  const count = raw.recipientCount as number;
  out.recipients = (raw.recipients as Recipient[]).slice(0, count);
  out.recipientOwners = (raw.recipientOwners as PublicKey[]).slice(0, count);
  const proposed = raw.proposedRecipientCount as number;
  out.proposedRecipients = (raw.proposedRecipients as Recipient[]).slice(0, proposed);
  out.proposedRecipientOwners = (raw.proposedRecipientOwners as PublicKey[]).slice(0, proposed);
  return out as unknown as EmissionVault;
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
export async function fetchEmissionVault(
  connection: Connection,
  address: PublicKey,
): Promise<EmissionVault | null> {
  const info = await connection.getAccountInfo(address, "confirmed");
  if (!info) return null;
  if (!info.owner.equals(EMISSIONS_PROGRAM_ID)) {
    throw new Error(`${address.toBase58()} is not owned by the emissions program`);
  }
  return decodeEmissionVault(info.data);
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
  const filters: GetProgramAccountsFilter[] = [
    { memcmp: emissionsAccountsCoder.memcmp("emissionVault") },
  ];
  if (f.mint) {
    filters.push({ memcmp: { offset: EMISSION_VAULT_OFFSETS.mint, bytes: f.mint.toBase58() } });
  }
  if (f.authority) {
    filters.push({
      memcmp: { offset: EMISSION_VAULT_OFFSETS.authority, bytes: f.authority.toBase58() },
    });
  }
  return filters;
}

/** Emission vaults, filtered on the server (`getProgramAccounts` with memcmp), by address. */
export async function listEmissionVaults(
  connection: Connection,
  filter: VaultFilter = {},
): Promise<Array<{ address: PublicKey; account: EmissionVault }>> {
  const accounts = await connection.getProgramAccounts(EMISSIONS_PROGRAM_ID, {
    commitment: "confirmed",
    filters: vaultFilters(filter),
  });
  return accounts
    .map(({ pubkey, account }) => ({ address: pubkey, account: decodeEmissionVault(account.data) }))
    .sort((a, b) => a.address.toBase58().localeCompare(b.address.toBase58()));
}

/** The cluster's `Clock::unix_timestamp` (what the program calls "now"). */
export async function fetchUnixTimestamp(connection: Connection): Promise<bigint> {
  const info = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, "confirmed");
  if (!info) throw new Error("no Clock sysvar");
  // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
  return info.data.readBigInt64LE(32);
}
