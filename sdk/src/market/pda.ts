import { PublicKey } from "@solana/web3.js";

import { MARKET_PROGRAM_ID } from "../common/programs";

const enc = (s: string) => Buffer.from(s, "utf8");

function u64le(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

/** `MarketConfig` PDA `["config"]`. */
export function configPda(programId = MARKET_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("config")], programId)[0];
}

/** The collateral authority `["collateral"]`: the staking pool's locker. */
export function collateralPda(programId = MARKET_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("collateral")], programId)[0];
}

/** The fee vault `["fee_vault"]`: token account of the network token, authority the config. */
export function feeVaultPda(programId = MARKET_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("fee_vault")], programId)[0];
}

/** `Market` PDA `["market", market_id (u64 LE)]`. */
export function marketPda(marketId: bigint, programId = MARKET_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("market"), u64le(marketId)], programId)[0];
}

/** `Job` PDA `["job", market, client, nonce (u64 LE)]`. */
export function jobPda(
  market: PublicKey,
  client: PublicKey,
  nonce: bigint,
  programId = MARKET_PROGRAM_ID,
): PublicKey {
  return PublicKey.findProgramAddressSync(
    [enc("job"), market.toBuffer(), client.toBuffer(), u64le(nonce)],
    programId,
  )[0];
}

/** A job's escrow, the token account PDA `["escrow", job]`. */
export function escrowPda(job: PublicKey, programId = MARKET_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([enc("escrow"), job.toBuffer()], programId)[0];
}
