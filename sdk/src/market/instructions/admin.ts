// The admin's instructions: the config, its admin and treasury, markets.
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";

import { u64 } from "../../common/amount";
import type { ProgramIdOption } from "../../common/program";
import type { MarketParams, UsdPricing } from "../accounts";
import { configPda, feeVaultPda, marketPda } from "../pda";
import { program } from "../program";
import { params } from "./shared";

/**
 * `init_config`: the global config and its fee vault; `admin` must be the mint authority of
 * `mint`, `tokenProgram` the mint's owner (SPL Token or Token-2022).
 */
export function initConfig(
  p: ProgramIdOption & {
    admin: PublicKey;
    mint: PublicKey;
    treasury: PublicKey;
    tokenProgram: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("initConfig", {
    programId: p.programId,
    accounts: {
      admin: p.admin,
      config: configPda(p.programId),
      mint: p.mint,
      treasury: p.treasury,
      feeVault: feeVaultPda(p.programId),
      tokenProgram: p.tokenProgram,
      systemProgram: SystemProgram.programId,
    },
  });
}

export function proposeAdmin(
  p: ProgramIdOption & { admin: PublicKey; newAdmin: PublicKey },
): TransactionInstruction {
  return program.instruction("proposeAdmin", {
    programId: p.programId,
    accounts: { admin: p.admin, config: configPda(p.programId) },
    args: { newAdmin: p.newAdmin },
  });
}

export function acceptAdmin(p: ProgramIdOption & { newAdmin: PublicKey }): TransactionInstruction {
  return program.instruction("acceptAdmin", {
    programId: p.programId,
    accounts: { newAdmin: p.newAdmin, config: configPda(p.programId) },
  });
}

export function setTreasury(
  p: ProgramIdOption & { admin: PublicKey; newTreasury: PublicKey },
): TransactionInstruction {
  return program.instruction("setTreasury", {
    programId: p.programId,
    accounts: { admin: p.admin, config: configPda(p.programId), newTreasury: p.newTreasury },
  });
}

/**
 * `sweep_fees` (anyone): moves the fee vault's balance to `treasury`, which must be the
 * config's treasury.
 */
export function sweepFees(
  p: ProgramIdOption & {
    cranker: PublicKey;
    treasury: PublicKey;
    mint: PublicKey;
    tokenProgram: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("sweepFees", {
    programId: p.programId,
    accounts: {
      cranker: p.cranker,
      config: configPda(p.programId),
      feeVault: feeVaultPda(p.programId),
      treasury: p.treasury,
      mint: p.mint,
      tokenProgram: p.tokenProgram,
    },
  });
}

export interface CreateMarketParams extends ProgramIdOption {
  admin: PublicKey;
  marketId: bigint;
  /** 1 to 32 bytes of UTF-8. */
  name: string;
  arbiter: PublicKey;
  stakingPool: PublicKey;
  params: MarketParams;
  /**
   * Omitted or null: jobs are priced in tokens. Set: in micro-USD against this Pyth feed
   * (token/USD), for good; jobs are then posted with the program's `create_job_usd`.
   */
  usdPricing?: UsdPricing | null;
  /** The emissions program's work pool (of the mint, recorder `workRecorderPda()`) that the
   * market's settlements record their burns in, for good; omitted: none. */
  workPool?: PublicKey | null;
}

export function createMarket(p: CreateMarketParams): TransactionInstruction {
  return program.instruction("createMarket", {
    programId: p.programId,
    accounts: {
      admin: p.admin,
      config: configPda(p.programId),
      market: marketPda(p.marketId, p.programId),
      stakingPool: p.stakingPool,
      ...(p.workPool ? { workPool: p.workPool } : {}),
      systemProgram: SystemProgram.programId,
    },
    args: {
      args: {
        marketId: u64(p.marketId, "marketId"),
        name: p.name,
        arbiter: p.arbiter,
        params: params(p.params),
        usdPricing: p.usdPricing
          ? {
              feedId: Array.from(p.usdPricing.feedId),
              maxAgeSecs: p.usdPricing.maxAgeSecs,
              maxConfBps: p.usdPricing.maxConfBps,
            }
          : null,
      },
    },
  });
}

/** The accounts of a market's admin change. */
function marketAdmin(p: ProgramIdOption & { admin: PublicKey; market: PublicKey }) {
  return { admin: p.admin, config: configPda(p.programId), market: p.market };
}

export function updateMarket(
  p: ProgramIdOption & {
    admin: PublicKey;
    market: PublicKey;
    params: MarketParams;
    arbiter: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("updateMarket", {
    programId: p.programId,
    accounts: marketAdmin(p),
    args: { params: params(p.params), arbiter: p.arbiter },
  });
}

export function setMarketPaused(
  p: ProgramIdOption & { admin: PublicKey; market: PublicKey; paused: boolean },
): TransactionInstruction {
  return program.instruction("setMarketPaused", {
    programId: p.programId,
    accounts: marketAdmin(p),
    args: { paused: p.paused },
  });
}
