// Work-rewards pools: their addresses, accounts, builders and the arithmetic of the program's
// `work` module, which the tests check against the Rust to the unit (tests/vectors/work.json).
//
// A pool is a recipient of an emission vault. What it receives for an emission hour goes to
// the providers whose settlements burned tokens in that hour, pro rata to their burn and never
// more than `capBps` of it; the rest goes to the pool's destination.
import { Buffer } from "buffer";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import {
  AccountMeta,
  Connection,
  PublicKey,
  SystemProgram,
  TransactionInstruction,
} from "@solana/web3.js";

import { u64 } from "../common/amount";
import { findPda, u64Seed } from "../common/pda";
import { memcmp, ProgramIdOption } from "../common/program";
import {
  EmissionVault,
  fetchEmissionVault,
  fetchUnixTimestamp,
  progressOf,
  scheduleOf,
} from "./accounts";
import { hoursDue, scheduleEnded } from "./math";
import { SEEDS, vaultPda } from "./pda";
import { program } from "./program";

const EMISSIONS = program.programId;

/** The constant seeds of the work pool's PDAs. */
export const WORK_SEEDS = {
  pool: SEEDS.pool,
  tokenVault: SEEDS.poolTokens,
  hour: SEEDS.workHour,
  providerWork: SEEDS.providerWork,
} as const;

/** Most hours one `crank_work_pool` finalizes. */
export const MAX_HOURS_PER_CRANK = 24;

/** `WorkPool` PDA `["work_pool", mint, pool_id (u64 LE)]`. */
export function workPoolPda(mint: PublicKey, poolId: bigint, programId = EMISSIONS): PublicKey {
  return findPda(programId, WORK_SEEDS.pool, mint, u64Seed(poolId));
}

/** The pool's token account, PDA `["work_tokens", pool]`: the recipient an emission vault pays. */
export function workTokensPda(pool: PublicKey, programId = EMISSIONS): PublicKey {
  return findPda(programId, WORK_SEEDS.tokenVault, pool);
}

/** The pool's record of an hour, PDA `["work_hour", pool, hour (u64 LE)]`. */
export function workHourPda(pool: PublicKey, hour: bigint, programId = EMISSIONS): PublicKey {
  return findPda(programId, WORK_SEEDS.hour, pool, u64Seed(hour));
}

/** A provider's record of an hour, PDA `["work", pool, provider, hour (u64 LE)]`. */
export function providerWorkPda(
  pool: PublicKey,
  provider: PublicKey,
  hour: bigint,
  programId = EMISSIONS,
): PublicKey {
  return findPda(programId, WORK_SEEDS.providerWork, pool, provider, u64Seed(hour));
}

// --- accounts ---

/** A decoded `WorkPool`, amounts as `bigint`. */
export interface WorkPool {
  poolId: bigint;
  creator: PublicKey;
  mint: PublicKey;
  tokenProgram: PublicKey;
  tokenVault: PublicKey;
  emissionVault: PublicKey;
  destination: PublicKey;
  recorder: PublicKey;
  capBps: number;
  started: boolean;
  vaultStartTs: bigint;
  cursorHours: bigint;
  cursorTotal: bigint;
  cursorPeriod: bigint;
  cursorRate: bigint;
  rangeEnd: bigint;
  rangeStartTotal: bigint;
  rangeWeight: bigint;
  rangeAmount: bigint;
  reserved: bigint;
  owedToDestination: bigint;
  totalReceived: bigint;
  totalClaimed: bigint;
  totalToDestination: bigint;
  bump: number;
  tokenVaultBump: number;
}

/** A decoded `WorkHour`: an hour's burn and, once finalized, what it received and shares. */
export interface WorkHour {
  pool: PublicKey;
  hour: bigint;
  burned: bigint;
  finalized: boolean;
  emission: bigint;
  distributable: bigint;
  claimedBurn: bigint;
  claimedAmount: bigint;
  rentPayer: PublicKey;
  bump: number;
}

/** A decoded `ProviderWork`: one provider's burn in one hour of a pool. */
export interface ProviderWork {
  pool: PublicKey;
  provider: PublicKey;
  hour: bigint;
  burned: bigint;
  rentPayer: PublicKey;
  bump: number;
}

export const decodeWorkPool = (data: Buffer): WorkPool => program.decodeAccount("workPool", data);
export const decodeWorkHour = (data: Buffer): WorkHour => program.decodeAccount("workHour", data);
export const decodeProviderWork = (data: Buffer): ProviderWork =>
  program.decodeAccount("providerWork", data);

export function fetchWorkPool(
  connection: Connection,
  address: PublicKey,
  o: ProgramIdOption = {},
): Promise<WorkPool | null> {
  return program.fetch(connection, address, decodeWorkPool, { ...o, commitment: "confirmed" });
}

export function fetchWorkHour(
  connection: Connection,
  address: PublicKey,
  o: ProgramIdOption = {},
): Promise<WorkHour | null> {
  return program.fetch(connection, address, decodeWorkHour, { ...o, commitment: "confirmed" });
}

export function fetchProviderWork(
  connection: Connection,
  address: PublicKey,
  o: ProgramIdOption = {},
): Promise<ProviderWork | null> {
  return program.fetch(connection, address, decodeProviderWork, { ...o, commitment: "confirmed" });
}

/** Byte offsets (after the discriminator) for memcmp filters. */
export const WORK_OFFSETS = { pool: 8, provider: 40, hour: 40 } as const;

/** A provider's unclaimed records in a pool, filtered on the server, by address. */
export function listProviderWork(
  connection: Connection,
  pool: PublicKey,
  provider: PublicKey,
  o: ProgramIdOption = {},
): Promise<Array<{ address: PublicKey; account: ProviderWork }>> {
  const filters = [
    program.discriminatorFilter("providerWork"),
    memcmp(WORK_OFFSETS.pool, pool.toBuffer()),
    memcmp(WORK_OFFSETS.provider, provider.toBuffer()),
  ];
  return program.list(connection, filters, decodeProviderWork, o);
}

/** A pool's hour records (optionally only those not yet finalized), by address. */
export function listWorkHours(
  connection: Connection,
  pool: PublicKey,
  o: ProgramIdOption = {},
): Promise<Array<{ address: PublicKey; account: WorkHour }>> {
  const filters = [
    program.discriminatorFilter("workHour"),
    memcmp(WORK_OFFSETS.pool, pool.toBuffer()),
  ];
  return program.list(connection, filters, decodeWorkHour, o);
}

// --- arithmetic (the program's `work` module) ---

const BPS = 10_000n;

/** What one hour of a range is allotted: `floor(amount·after/weight) − floor(amount·before/weight)`. */
export function hourEmission(
  amount: bigint,
  before: bigint,
  after: bigint,
  weight: bigint,
): bigint {
  if (weight === 0n) return 0n;
  if (before > after || after > weight) throw new RangeError("before ≤ after ≤ weight");
  return (amount * after) / weight - (amount * before) / weight;
}

/** `min(emission, floor(burned · capBps / 10 000))`: what an hour's providers share. */
export function workDistributable(emission: bigint, burned: bigint, capBps: number): bigint {
  if (!Number.isInteger(capBps) || capBps < 0 || capBps > 10_000)
    throw new RangeError(`capBps must be 0..10 000, got ${capBps}`);
  const cap = (burned * BigInt(capBps)) / BPS;
  return cap < emission ? cap : emission;
}

/** `floor(distributable · ownBurn / burned)`: one provider's claim on an hour. */
export function workClaim(distributable: bigint, ownBurn: bigint, burned: bigint): bigint {
  if (burned === 0n || ownBurn > burned) throw new RangeError("0 < ownBurn ≤ burned");
  return (distributable * ownBurn) / burned;
}

/**
 * The hour below which `pool`'s hours can be finalized at `now`, as `crank_work_pool` computes
 * it: the hours its vault has paid, or, once the vault has ended (or is gone), every hour that
 * is over.
 */
export function finalizableThrough(
  pool: WorkPool,
  vault: EmissionVault | null,
  now: bigint,
): bigint {
  if (!vault) return pool.started ? hoursDue(pool.vaultStartTs, now) : 0n;
  const ended = vault.revoked || scheduleEnded(scheduleOf(vault), progressOf(vault));
  if (!ended) return vault.emittedHours;
  const due = hoursDue(vault.startTs, now);
  return due > vault.emittedHours ? due : vault.emittedHours;
}

/** What a finalized hour pays a provider whose record holds `ownBurn`. */
export function claimableFor(hour: WorkHour, ownBurn: bigint): bigint {
  return hour.finalized ? workClaim(hour.distributable, ownBurn, hour.burned) : 0n;
}

// --- the accounts a settlement records work with ---

/** What a market settlement names to record its burn (the market's `RecordWork` group). */
export interface WorkAccounts {
  workPool: PublicKey;
  workEmissionVault: PublicKey;
  workHour: PublicKey;
  providerWork: PublicKey;
  workRecorder: PublicKey;
  workRentPayer: PublicKey;
  emissionsProgram: PublicKey;
  systemProgram: PublicKey;
}

/** The emission hour of `vault` at unix time `now` (what `record_burn` records in). */
export function currentHour(vault: Pick<EmissionVault, "startTs">, now: bigint): bigint {
  return hoursDue(vault.startTs, now);
}

/**
 * The `RecordWork` accounts of a settlement in `hour` for `provider`, the records' rent paid
 * by `payer` (the settlement's signer). `recorder` is the market program's `["work_recorder"]`
 * PDA (`workRecorderPda()` in the market module).
 */
export function workAccounts(p: {
  pool: PublicKey;
  emissionVault: PublicKey;
  provider: PublicKey;
  hour: bigint;
  payer: PublicKey;
  recorder: PublicKey;
  programId?: PublicKey;
}): WorkAccounts {
  const programId = p.programId ?? EMISSIONS;
  return {
    workPool: p.pool,
    workEmissionVault: p.emissionVault,
    workHour: workHourPda(p.pool, p.hour, programId),
    providerWork: providerWorkPda(p.pool, p.provider, p.hour, programId),
    workRecorder: p.recorder,
    workRentPayer: p.payer,
    emissionsProgram: programId,
    systemProgram: SystemProgram.programId,
  };
}

/** `workAccounts` for the chain's current hour: fetches the pool, its vault and the clock. */
export async function fetchWorkAccounts(
  connection: Connection,
  p: {
    pool: PublicKey;
    provider: PublicKey;
    payer: PublicKey;
    recorder: PublicKey;
  } & ProgramIdOption,
): Promise<WorkAccounts> {
  const pool = await fetchWorkPool(connection, p.pool, p);
  if (!pool) throw new Error(`no work pool at ${p.pool.toBase58()}`);
  const [vault, now] = await Promise.all([
    fetchEmissionVault(connection, pool.emissionVault, p),
    fetchUnixTimestamp(connection),
  ]);
  // Before the vault exists (or once it is gone) nothing is recorded: any hour's accounts do.
  const startTs = vault?.startTs ?? (pool.started ? pool.vaultStartTs : now);
  return workAccounts({
    pool: p.pool,
    emissionVault: pool.emissionVault,
    provider: p.provider,
    hour: currentHour({ startTs }, now),
    payer: p.payer,
    recorder: p.recorder,
    programId: p.programId,
  });
}

// --- builders ---

/** A pool by its mint and id. */
export interface WorkPoolKey extends ProgramIdOption {
  mint: PublicKey;
  poolId: bigint;
  /** SPL Token (default) or Token-2022: the owner of `mint`. */
  tokenProgram?: PublicKey;
}

function poolAccounts(p: WorkPoolKey) {
  const pool = workPoolPda(p.mint, p.poolId, p.programId);
  return {
    pool,
    mint: p.mint,
    tokenVault: workTokensPda(pool, p.programId),
    tokenProgram: p.tokenProgram ?? TOKEN_PROGRAM_ID,
  };
}

/** `create_work_pool` (anyone): a pool following vault `vaultId` of the mint (which may not
 * exist yet), capped at `capBps` of each hour's burn, its undistributed tokens to
 * `destination` (by default the staking pool's reward vault), its burns recorded only by
 * `recorder` (the market program's `workRecorderPda()`). */
export function createWorkPool(
  p: WorkPoolKey & {
    creator: PublicKey;
    vaultId: bigint;
    capBps: number;
    destination: PublicKey;
    recorder: PublicKey;
  },
): TransactionInstruction {
  if (!Number.isInteger(p.capBps) || p.capBps < 1 || p.capBps > 10_000)
    throw new RangeError(`capBps must be 1..10 000, got ${p.capBps}`);
  const { tokenVault, ...accounts } = poolAccounts(p);
  return program.instruction("createWorkPool", {
    programId: p.programId,
    accounts: {
      ...accounts,
      poolTokens: tokenVault,
      creator: p.creator,
      emissionVault: vaultPda(p.mint, p.vaultId, p.programId),
      destination: p.destination,
      systemProgram: SystemProgram.programId,
    },
    args: {
      args: {
        poolId: u64(p.poolId, "poolId"),
        vaultId: u64(p.vaultId, "vaultId"),
        capBps: p.capBps,
        recorder: p.recorder,
      },
    },
  });
}

/** `record_burn`: only the pool's recorder (the market program, through CPI) may sign it. */
export function recordBurn(
  p: ProgramIdOption & {
    recorder: PublicKey;
    payer: PublicKey;
    pool: PublicKey;
    emissionVault: PublicKey;
    provider: PublicKey;
    hour: bigint;
    burned: bigint;
  },
): TransactionInstruction {
  return program.instruction("recordBurn", {
    programId: p.programId,
    accounts: {
      recorder: p.recorder,
      payer: p.payer,
      pool: p.pool,
      emissionVault: p.emissionVault,
      workHour: workHourPda(p.pool, p.hour, p.programId),
      providerWork: providerWorkPda(p.pool, p.provider, p.hour, p.programId),
      systemProgram: SystemProgram.programId,
    },
    args: { provider: p.provider, burned: u64(p.burned, "burned") },
  });
}

/** `crank_work_pool` (anyone): finalizes hours `fromHour .. fromHour + hours` (at most 24). */
export function crankWorkPool(
  p: WorkPoolKey & {
    emissionVault: PublicKey;
    destination: PublicKey;
    fromHour: bigint;
    hours: number;
  },
): TransactionInstruction {
  if (!Number.isInteger(p.hours) || p.hours < 0 || p.hours > MAX_HOURS_PER_CRANK)
    throw new RangeError(`hours must be 0..${MAX_HOURS_PER_CRANK}, got ${p.hours}`);
  const a = poolAccounts(p);
  const remaining: AccountMeta[] = Array.from({ length: p.hours }, (_, i) => ({
    pubkey: workHourPda(a.pool, p.fromHour + BigInt(i), p.programId),
    isSigner: false,
    isWritable: true,
  }));
  return program.instruction("crankWorkPool", {
    programId: p.programId,
    accounts: { ...a, emissionVault: p.emissionVault, destination: p.destination },
    remaining,
  });
}

/** `claim_work_reward` (anyone): pays `provider` its reward for `hour` into `providerToken` and
 * returns its record's rent to `rentPayer` (the payer the record names). */
export function claimWorkReward(
  p: WorkPoolKey & {
    claimer: PublicKey;
    provider: PublicKey;
    providerToken: PublicKey;
    rentPayer: PublicKey;
    hour: bigint;
  },
): TransactionInstruction {
  const a = poolAccounts(p);
  return program.instruction("claimWorkReward", {
    programId: p.programId,
    accounts: {
      ...a,
      claimer: p.claimer,
      workHour: workHourPda(a.pool, p.hour, p.programId),
      providerWork: providerWorkPda(a.pool, p.provider, p.hour, p.programId),
      providerToken: p.providerToken,
      rentPayer: p.rentPayer,
    },
  });
}

/** `close_work_hour` (anyone, once every provider of the hour has claimed). */
export function closeWorkHour(
  p: ProgramIdOption & { pool: PublicKey; hour: bigint; rentPayer: PublicKey },
): TransactionInstruction {
  return program.instruction("closeWorkHour", {
    programId: p.programId,
    accounts: {
      pool: p.pool,
      workHour: workHourPda(p.pool, p.hour, p.programId),
      rentPayer: p.rentPayer,
    },
  });
}
