import { PublicKey } from "@solana/web3.js";

import { EMISSIONS_PROGRAM_ID } from "../common/programs";

const enc = (s: string) => Buffer.from(s, "utf8");

/** The little-endian u64 bytes of a vault id. */
export function vaultIdBytes(vaultId: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(vaultId);
  return bytes;
}

/** `EmissionVault` PDA `["vault", mint, vault_id (u64 LE)]`. */
export function vaultPda(
  mint: PublicKey,
  vaultId: bigint,
  programId = EMISSIONS_PROGRAM_ID,
): PublicKey {
  return PublicKey.findProgramAddressSync(
    [enc("vault"), mint.toBuffer(), vaultIdBytes(vaultId)],
    programId,
  )[0];
}

/** The vault's token account, a PDA `["vault_tokens", vault]` owned by the vault. */
export function tokenVaultPda(vault: PublicKey, programId = EMISSIONS_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("vault_tokens"), vault.toBuffer()], programId)[0];
}
