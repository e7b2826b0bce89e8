// The client's and the provider's job instructions.
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";

import { u64 } from "../../common/amount";
import type { ProgramIdOption } from "../../common/program";
import { escrowPda, jobPda } from "../pda";
import { program } from "../program";
import {
  collateralAccounts,
  hash32,
  MarketContext,
  poolVaults,
  settleAccounts,
  SettleParams,
} from "./shared";

export interface CreateJobParams extends ProgramIdOption {
  ctx: MarketContext;
  client: PublicKey;
  /** Token account of the mint the price comes from. */
  clientToken: PublicKey;
  /** Chosen by the client; part of the job's address. */
  nonce: bigint;
  price: bigint;
  durationSecs: bigint;
  /** 32-byte content hash of the job spec (zeros if omitted). */
  specHash?: Uint8Array | number[];
  /** Only this provider may accept. */
  targetProvider?: PublicKey;
}

/** The accounts both ways of posting a job name (a USD job adds its price account). */
function newJobAccounts(p: Omit<CreateJobParams, "price">) {
  const job = jobPda(p.ctx.market, p.client, p.nonce, p.programId);
  return {
    client: p.client,
    market: p.ctx.market,
    mint: p.ctx.mint,
    clientToken: p.clientToken,
    job,
    escrow: escrowPda(job, p.programId),
    tokenProgram: p.ctx.tokenProgram,
    systemProgram: SystemProgram.programId,
  };
}

/** The terms both ways of posting a job share, checked and converted. */
function newJobTerms(p: Omit<CreateJobParams, "price">) {
  return {
    nonce: u64(p.nonce, "nonce"),
    durationSecs: u64(p.durationSecs, "durationSecs"),
    specHash: hash32(p.specHash, "specHash"),
    targetProvider: p.targetProvider ?? null,
  };
}

/** `create_job`: posts a job, the price into its own escrow. */
export function createJob(p: CreateJobParams): TransactionInstruction {
  return program.instruction("createJob", {
    programId: p.programId,
    accounts: newJobAccounts(p),
    args: { args: { ...newJobTerms(p), price: u64(p.price, "price") } },
  });
}

export interface CreateJobUsdParams extends Omit<CreateJobParams, "price"> {
  /** The job's price in millionths of a US dollar. */
  priceMicroUsd: bigint;
  /** The most token base units the client will deposit (`PriceAboveMaximum` above it). */
  maxTokens: bigint;
  /** The market's Pyth `PriceUpdateV2` account (of its feed, fresh enough). */
  priceUpdate: PublicKey;
}

/**
 * `create_job_usd`: posts a job on a USD-priced market; the program converts its micro-USD price
 * at the Pyth price (see `tokensForMicroUsd` for the same integer math) and escrows that.
 */
export function createJobUsd(p: CreateJobUsdParams): TransactionInstruction {
  return program.instruction("createJobUsd", {
    programId: p.programId,
    accounts: { ...newJobAccounts(p), priceUpdate: p.priceUpdate },
    args: {
      args: {
        ...newJobTerms(p),
        priceMicroUsd: u64(p.priceMicroUsd, "priceMicroUsd"),
        maxTokens: u64(p.maxTokens, "maxTokens"),
      },
    },
  });
}

export function cancelJob(
  p: ProgramIdOption & {
    ctx: MarketContext;
    client: PublicKey;
    job: PublicKey;
    clientToken: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("cancelJob", {
    programId: p.programId,
    accounts: {
      client: p.client,
      market: p.ctx.market,
      job: p.job,
      escrow: escrowPda(p.job, p.programId),
      mint: p.ctx.mint,
      clientToken: p.clientToken,
      tokenProgram: p.ctx.tokenProgram,
    },
  });
}

/** `complete_job`: the client approves; burn, fee, provider payment; the job closes. */
export function completeJob(p: SettleParams): TransactionInstruction {
  return program.instruction("completeJob", {
    programId: p.programId,
    accounts: { client: p.client, ...settleAccounts(p) },
  });
}

/** `dispute_job`: the market's arbiter now is recorded on the job and decides it. */
export function disputeJob(
  p: ProgramIdOption & { client: PublicKey; job: PublicKey; market: PublicKey },
): TransactionInstruction {
  return program.instruction("disputeJob", {
    programId: p.programId,
    accounts: { client: p.client, market: p.market, job: p.job },
  });
}

/** `accept_job`: locks the job's collateral from the provider's free stake. */
export function acceptJob(
  p: ProgramIdOption & { ctx: MarketContext; provider: PublicKey; job: PublicKey },
): TransactionInstruction {
  return program.instruction("acceptJob", {
    programId: p.programId,
    accounts: {
      provider: p.provider,
      job: p.job,
      ...collateralAccounts(p.ctx, p.provider, p.programId),
    },
  });
}

/**
 * `quit_job`: free within the job's grace window after the acceptance; later the expiry slash
 * goes to `clientToken` (a token account of the mint owned by the job's client).
 */
export function quitJob(
  p: ProgramIdOption & {
    ctx: MarketContext;
    provider: PublicKey;
    job: PublicKey;
    clientToken: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("quitJob", {
    programId: p.programId,
    accounts: {
      provider: p.provider,
      job: p.job,
      mint: p.ctx.mint,
      clientToken: p.clientToken,
      tokenProgram: p.ctx.tokenProgram,
      ...poolVaults(p.ctx),
      ...collateralAccounts(p.ctx, p.provider, p.programId),
    },
  });
}

export function submitResult(
  p: ProgramIdOption & {
    provider: PublicKey;
    job: PublicKey;
    resultHash: Uint8Array | number[];
  },
): TransactionInstruction {
  return program.instruction("submitResult", {
    programId: p.programId,
    accounts: { provider: p.provider, job: p.job },
    args: { resultHash: hash32(p.resultHash, "resultHash") },
  });
}
