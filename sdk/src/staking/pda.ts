import { PublicKey } from "@solana/web3.js";

import { STAKING_PROGRAM_ID } from "../common/programs";

const enc = (s: string) => Buffer.from(s, "utf8");

/** `StakePool` PDA `["pool", mint]`. */
export function poolPda(mint: PublicKey, programId = STAKING_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("pool"), mint.toBuffer()], programId)[0];
}

/** The pool's stake vault, a token account PDA `["stake_vault", pool]`. */
export function stakeVaultPda(pool: PublicKey, programId = STAKING_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("stake_vault"), pool.toBuffer()], programId)[0];
}

/** The pool's reward vault, a token account PDA `["reward_vault", pool]`. */
export function rewardVaultPda(pool: PublicKey, programId = STAKING_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("reward_vault"), pool.toBuffer()], programId)[0];
}

/** `ProviderStake` PDA `["stake", pool, owner]`. */
export function providerStakePda(
  pool: PublicKey,
  owner: PublicKey,
  programId = STAKING_PROGRAM_ID,
): PublicKey {
  return PublicKey.findProgramAddressSync(
    [enc("stake"), pool.toBuffer(), owner.toBuffer()],
    programId,
  )[0];
}
