import { PublicKey } from "@solana/web3.js";

import { findPda, u64Seed } from "../common/pda";
import { program } from "./program";

/** The constant seeds of the market program's PDAs, by the account they derive (the IDL's
 * `pda.seeds`; checked against it by the tests). */
export const SEEDS = {
  config: "config",
  collateralAuthority: "collateral",
  workRecorder: "work_recorder",
  feeVault: "fee_vault",
  market: "market",
  job: "job",
  escrow: "escrow",
} as const;

const MARKET = program.programId;

/** `MarketConfig` PDA `["config"]`. */
export function configPda(programId = MARKET): PublicKey {
  return findPda(programId, SEEDS.config);
}

/** The collateral authority `["collateral"]`: the staking pool's locker. */
export function collateralPda(programId = MARKET): PublicKey {
  return findPda(programId, SEEDS.collateralAuthority);
}

/** The fee vault `["fee_vault"]`: token account of the network token, authority the config. */
export function feeVaultPda(programId = MARKET): PublicKey {
  return findPda(programId, SEEDS.feeVault);
}

/** `Market` PDA `["market", market_id (u64 LE)]`. */
export function marketPda(marketId: bigint, programId = MARKET): PublicKey {
  return findPda(programId, SEEDS.market, u64Seed(marketId));
}

/** `Job` PDA `["job", market, client, nonce (u64 LE)]`. */
export function jobPda(
  market: PublicKey,
  client: PublicKey,
  nonce: bigint,
  programId = MARKET,
): PublicKey {
  return findPda(programId, SEEDS.job, market, client, u64Seed(nonce));
}

/** A job's escrow, the token account PDA `["escrow", job]`. */
export function escrowPda(job: PublicKey, programId = MARKET): PublicKey {
  return findPda(programId, SEEDS.escrow, job);
}

/** The work recorder `["work_recorder"]`: the only signer of its markets' work-pool records. */
export function workRecorderPda(programId = MARKET): PublicKey {
  return findPda(programId, SEEDS.workRecorder);
}
