import { Buffer } from "buffer";
import { Connection, PublicKey } from "@solana/web3.js";

import { memcmp, ProgramIdOption } from "../common/program";
import { program } from "./program";

/** A decoded `StakePool`, amounts as `bigint`. */
export interface StakePool {
  admin: PublicKey;
  pendingAdmin: PublicKey;
  mint: PublicKey;
  tokenProgram: PublicKey;
  stakeVault: PublicKey;
  rewardVault: PublicKey;
  locker: PublicKey;
  minStake: bigint;
  unbondingSecs: bigint;
  totalActive: bigint;
  totalUnbonding: bigint;
  accRewardPerShare: bigint;
  accRemainder: bigint;
  accRemainderBase: bigint;
  rewardAccounted: bigint;
  unallocatedRewards: bigint;
  paused: boolean;
  bump: number;
  /** Part of `totalActive` still warming up (not earning yet). */
  totalWarming: bigint;
  rewardSourceCount: number;
  /** The registered reward sources (emission vaults); only the first `rewardSourceCount` count. */
  rewardSources: PublicKey[];
}

/** A decoded `ProviderStake`, amounts as `bigint`. */
export interface ProviderStake {
  pool: PublicKey;
  owner: PublicKey;
  active: bigint;
  locked: bigint;
  unbonding: bigint;
  unbondingReadyAt: bigint;
  rewardDebt: bigint;
  rewardsPending: bigint;
  rewardsClaimed: bigint;
  slashedTotal: bigint;
  jobsCompleted: bigint;
  jobsFailed: bigint;
  bump: number;
  /** Part of `active` still warming up: backs jobs, earns nothing until activated. */
  warming: bigint;
  /** When that stake started warming (unix seconds); activation is allowed an hour later. */
  warmingSince: bigint;
}

export function decodeStakePool(data: Buffer): StakePool {
  const pool = program.decodeAccount("stakePool", data);
  return { ...pool, rewardSources: pool.rewardSources.slice(0, pool.rewardSourceCount) };
}

export function decodeProviderStake(data: Buffer): ProviderStake {
  return program.decodeAccount("providerStake", data);
}

/** Byte offset of `ProviderStake.pool` (after the 8-byte discriminator), for memcmp filters. */
export const PROVIDER_STAKE_POOL_OFFSET = 8;
/** Byte offset of `ProviderStake.owner`. */
export const PROVIDER_STAKE_OWNER_OFFSET = 40;

/**
 * Every provider stake of `pool`, filtered on the server (discriminator and pool memcmp), in
 * address order.
 */
export function listProviderStakes(
  connection: Connection,
  pool: PublicKey,
  o: ProgramIdOption = {},
): Promise<Array<{ address: PublicKey; account: ProviderStake }>> {
  const filters = [
    program.discriminatorFilter("providerStake"),
    memcmp(PROVIDER_STAKE_POOL_OFFSET, pool.toBuffer()),
  ];
  return program.list(connection, filters, decodeProviderStake, o);
}

/** The pool at `address`, or `null` when there is no account. */
export function fetchStakePool(
  connection: Connection,
  address: PublicKey,
  o: ProgramIdOption = {},
): Promise<StakePool | null> {
  return program.fetch(connection, address, decodeStakePool, o);
}

/** The provider stake at `address`, or `null` when there is no account. */
export function fetchProviderStake(
  connection: Connection,
  address: PublicKey,
  o: ProgramIdOption = {},
): Promise<ProviderStake | null> {
  return program.fetch(connection, address, decodeProviderStake, o);
}
