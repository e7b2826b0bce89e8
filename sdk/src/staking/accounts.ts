import { BorshAccountsCoder, Idl } from "@coral-xyz/anchor";
import { Connection, PublicKey } from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_staking.json";
import { big } from "../common/amount";
import { STAKING_PROGRAM_ID } from "../common/programs";

export const stakingAccountsCoder = new BorshAccountsCoder(idl as Idl);

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
  totalLocked: bigint;
  totalUnbonding: bigint;
  accRewardPerShare: bigint;
  rewardAccounted: bigint;
  unallocatedRewards: bigint;
  paused: boolean;
  bump: number;
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
}

type Raw = Record<string, unknown>;

function bigints<T>(raw: Raw): T {
  const out: Raw = {};
  for (const [k, v] of Object.entries(raw)) out[k] = BN.isBN(v) ? big(v as BN) : v;
  return out as T;
}

export function decodeStakePool(data: Buffer): StakePool {
  return bigints<StakePool>(stakingAccountsCoder.decode("StakePool", data));
}

export function decodeProviderStake(data: Buffer): ProviderStake {
  return bigints<ProviderStake>(stakingAccountsCoder.decode("ProviderStake", data));
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

/** The pool at `address`, or `null` when there is no account. */
export function fetchStakePool(connection: Connection, address: PublicKey): Promise<StakePool | null> {
  return fetchDecoded(connection, address, decodeStakePool);
}

/** The provider stake at `address`, or `null` when there is no account. */
export function fetchProviderStake(connection: Connection, address: PublicKey): Promise<ProviderStake | null> {
  return fetchDecoded(connection, address, decodeProviderStake);
}
