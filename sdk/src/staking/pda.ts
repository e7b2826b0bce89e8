import { PublicKey } from "@solana/web3.js";

import { findPda } from "../common/pda";
import { program } from "./program";

/** The constant seeds of the staking program's PDAs, by the account they derive (the IDL's
 * `pda.seeds`; checked against it by the tests). */
export const SEEDS = {
  pool: "pool",
  stakeVault: "stake_vault",
  rewardVault: "reward_vault",
  providerStake: "stake",
} as const;

const STAKING = program.programId;

/** `StakePool` PDA `["pool", mint]`. */
export function poolPda(mint: PublicKey, programId = STAKING): PublicKey {
  return findPda(programId, SEEDS.pool, mint);
}

/** The pool's stake vault, a token account PDA `["stake_vault", pool]`. */
export function stakeVaultPda(pool: PublicKey, programId = STAKING): PublicKey {
  return findPda(programId, SEEDS.stakeVault, pool);
}

/** The pool's reward vault, a token account PDA `["reward_vault", pool]`. */
export function rewardVaultPda(pool: PublicKey, programId = STAKING): PublicKey {
  return findPda(programId, SEEDS.rewardVault, pool);
}

/** `ProviderStake` PDA `["stake", pool, owner]`. */
export function providerStakePda(
  pool: PublicKey,
  owner: PublicKey,
  programId = STAKING,
): PublicKey {
  return findPda(programId, SEEDS.providerStake, pool, owner);
}
