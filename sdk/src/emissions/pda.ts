import { Buffer } from "buffer";
import { PublicKey } from "@solana/web3.js";

import { findPda, u64Seed } from "../common/pda";
import { program } from "./program";

/** The constant seeds of the emissions program's PDAs, by the account they derive (the IDL's
 * `pda.seeds`; checked against it by the tests). */
export const SEEDS = {
  vault: "vault",
  tokenVault: "vault_tokens",
  /** A work pool follows the vault it names (`emissionVault`, seeds of `vault`). */
  emissionVault: "vault",
  pool: "work_pool",
  poolTokens: "work_tokens",
  workHour: "work_hour",
  providerWork: "work",
} as const;

const EMISSIONS = program.programId;

/** The little-endian u64 bytes of a vault id. */
export function vaultIdBytes(vaultId: bigint): Buffer {
  return u64Seed(vaultId);
}

/** `EmissionVault` PDA `["vault", mint, vault_id (u64 LE)]`. */
export function vaultPda(mint: PublicKey, vaultId: bigint, programId = EMISSIONS): PublicKey {
  return findPda(programId, SEEDS.vault, mint, u64Seed(vaultId));
}

/** The vault's token account, a PDA `["vault_tokens", vault]` owned by the vault. */
export function tokenVaultPda(vault: PublicKey, programId = EMISSIONS): PublicKey {
  return findPda(programId, SEEDS.tokenVault, vault);
}
