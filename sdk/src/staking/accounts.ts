import { BorshAccountsCoder, Idl } from "@coral-xyz/anchor";
import { convertIdlToCamelCase } from "@coral-xyz/anchor/dist/cjs/idl.js";
import { Connection, PublicKey } from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_staking.json";
import { big } from "../common/amount";
import { STAKING_PROGRAM_ID } from "../common/programs";

/** Decodes staking accounts with camelCase field names, as Anchor's `Program` does. */
export const stakingAccountsCoder = new BorshAccountsCoder(convertIdlToCamelCase(idl as Idl));

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

type Raw = Record<string, unknown>;

function bigints<T>(raw: Raw): T {
  const out: Raw = {};
  for (const [k, v] of Object.entries(raw)) out[k] = BN.isBN(v) ? big(v as BN) : v;
  return out as T;
}

export function decodeStakePool(data: Buffer): StakePool {
  const pool = bigints<StakePool>(stakingAccountsCoder.decode("stakePool", data));
  return { ...pool, rewardSources: pool.rewardSources.slice(0, pool.rewardSourceCount) };
}

export function decodeProviderStake(data: Buffer): ProviderStake {
  return bigints<ProviderStake>(stakingAccountsCoder.decode("providerStake", data));
}

async function fetchDecoded<T>(
  connection: Connection,
  address: PublicKey,
  decode: (data: Buffer) => T,
): Promise<T | null> {
  const info = await connection.getAccountInfo(address);
  if (!info) return null;
  if (!info.owner.equals(STAKING_PROGRAM_ID)) {
    throw new Error(`${address.toBase58()} is not owned by the staking program`);
  }
  return decode(info.data);
}

/** Byte offset of `ProviderStake.pool` (after the 8-byte discriminator), for memcmp filters. */
export const PROVIDER_STAKE_POOL_OFFSET = 8;
/** Byte offset of `ProviderStake.owner`. */
export const PROVIDER_STAKE_OWNER_OFFSET = 40;

/**
 * Every provider stake of `pool`, filtered on the server (discriminator and pool memcmp), in
 * address order.
 */
export async function listProviderStakes(
  connection: Connection,
  pool: PublicKey,
): Promise<Array<{ address: PublicKey; account: ProviderStake }>> {
  const accounts = await connection.getProgramAccounts(STAKING_PROGRAM_ID, {
    commitment: "confirmed",
    filters: [
      { memcmp: stakingAccountsCoder.memcmp("providerStake") },
      { memcmp: { offset: PROVIDER_STAKE_POOL_OFFSET, bytes: pool.toBase58() } },
    ],
  });
  return accounts
    .map(({ pubkey, account }) => ({ address: pubkey, account: decodeProviderStake(account.data) }))
    .sort((a, b) => a.address.toBase58().localeCompare(b.address.toBase58()));
}

/** The pool at `address`, or `null` when there is no account. */
export function fetchStakePool(
  connection: Connection,
  address: PublicKey,
): Promise<StakePool | null> {
  return fetchDecoded(connection, address, decodeStakePool);
}

/** The provider stake at `address`, or `null` when there is no account. */
export function fetchProviderStake(
  connection: Connection,
  address: PublicKey,
): Promise<ProviderStake | null> {
  return fetchDecoded(connection, address, decodeProviderStake);
}
