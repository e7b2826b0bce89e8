import { Buffer } from "buffer";
import { PublicKey } from "@solana/web3.js";

/** A u64 as the 8 little-endian bytes a seed holds. */
export function u64Seed(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

/** The canonical PDA of `programId` for a UTF-8 `seed` followed by `rest` (keys or bytes). */
export function findPda(
  programId: PublicKey,
  seed: string,
  ...rest: Array<PublicKey | Buffer>
): PublicKey {
  const seeds = [
    Buffer.from(seed, "utf8"),
    ...rest.map((r) => (Buffer.isBuffer(r) ? r : r.toBuffer())),
  ];
  return PublicKey.findProgramAddressSync(seeds, programId)[0];
}
