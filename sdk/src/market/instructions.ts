import { Idl } from "@coral-xyz/anchor";
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";

import idl from "./idl/crucible_market.json";
import { u64 } from "../common/amount";
import { IdlInstructionBuilder } from "../common/instruction";
import { STAKING_PROGRAM_ID } from "../common/programs";
import { providerStakePda, rewardVaultPda, stakeVaultPda } from "../staking/pda";
import type { MarketParams } from "./accounts";
import { collateralPda, configPda, escrowPda, feeVaultPda, jobPda, marketPda } from "./pda";

const builder = new IdlInstructionBuilder(idl as Idl & { address: string });

/**
 * What every job instruction needs to know about its market: its address and the accounts it
 * names (on the market, its staking pool and the config; `MarketClient.context` fetches them).
 */
export interface MarketContext {
  market: PublicKey;
  mint: PublicKey;
  tokenProgram: PublicKey;
  stakingPool: PublicKey;
  /** The config's fee vault (`feeVaultPda()`): settlements pay their fee there. */
  feeVault: PublicKey;
}

function params(p: MarketParams) {
  return {
    minProviderStake: u64(p.minProviderStake, "minProviderStake"),
    collateralBps: p.collateralBps,
    minCollateral: u64(p.minCollateral, "minCollateral"),
    burnBps: p.burnBps,
    feeBps: p.feeBps,
    maxDurationSecs: u64(p.maxDurationSecs, "maxDurationSecs"),
    disputeWindowSecs: u64(p.disputeWindowSecs, "disputeWindowSecs"),
    arbitrationWindowSecs: u64(p.arbitrationWindowSecs, "arbitrationWindowSecs"),
    defaultDisputeSplitBps: p.defaultDisputeSplitBps,
    expirySlashBps: p.expirySlashBps,
    jobLifetimeSecs: u64(p.jobLifetimeSecs, "jobLifetimeSecs"),
    quitGraceSecs: u64(p.quitGraceSecs, "quitGraceSecs"),
  };
}

function hash32(h: Uint8Array | number[] | undefined, field: string): number[] {
  const bytes = h === undefined ? new Uint8Array(32) : Uint8Array.from(h);
  if (bytes.length !== 32) throw new RangeError(`${field} must be 32 bytes, got ${bytes.length}`);
  return [...bytes];
}

function bps(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 10_000)
    throw new RangeError(`${field} must be 0..10 000 bps, got ${value}`);
  return value;
}

// --- admin ---

/**
 * `init_config`: the global config and its fee vault; `admin` must be the mint authority of
 * `mint`, `tokenProgram` the mint's owner (SPL Token or Token-2022).
 */
export function initConfig(p: {
  admin: PublicKey;
  mint: PublicKey;
  treasury: PublicKey;
  tokenProgram: PublicKey;
}): TransactionInstruction {
  return builder.build("initConfig", {
    admin: p.admin,
    config: configPda(),
    mint: p.mint,
    treasury: p.treasury,
    feeVault: feeVaultPda(),
    tokenProgram: p.tokenProgram,
    systemProgram: SystemProgram.programId,
  });
}

export function proposeAdmin(p: { admin: PublicKey; newAdmin: PublicKey }): TransactionInstruction {
  return builder.build(
    "proposeAdmin",
    { admin: p.admin, config: configPda() },
    { newAdmin: p.newAdmin },
  );
}

export function acceptAdmin(p: { newAdmin: PublicKey }): TransactionInstruction {
  return builder.build("acceptAdmin", { newAdmin: p.newAdmin, config: configPda() });
}

export function setTreasury(p: {
  admin: PublicKey;
  newTreasury: PublicKey;
}): TransactionInstruction {
  return builder.build("setTreasury", {
    admin: p.admin,
    config: configPda(),
    newTreasury: p.newTreasury,
  });
}

/**
 * `sweep_fees` (anyone): moves the fee vault's balance to `treasury`, which must be the
 * config's treasury.
 */
export function sweepFees(p: {
  cranker: PublicKey;
  treasury: PublicKey;
  mint: PublicKey;
  tokenProgram: PublicKey;
}): TransactionInstruction {
  return builder.build("sweepFees", {
    cranker: p.cranker,
    config: configPda(),
    feeVault: feeVaultPda(),
    treasury: p.treasury,
    mint: p.mint,
    tokenProgram: p.tokenProgram,
  });
}

export interface CreateMarketParams {
  admin: PublicKey;
  marketId: bigint;
  /** 1 to 32 bytes of UTF-8. */
  name: string;
  arbiter: PublicKey;
  stakingPool: PublicKey;
  params: MarketParams;
}

export function createMarket(p: CreateMarketParams): TransactionInstruction {
  return builder.build(
    "createMarket",
    {
      admin: p.admin,
      config: configPda(),
      market: marketPda(p.marketId),
      stakingPool: p.stakingPool,
      systemProgram: SystemProgram.programId,
    },
    {
      args: {
        marketId: u64(p.marketId, "marketId"),
        name: p.name,
        arbiter: p.arbiter,
        params: params(p.params),
      },
    },
  );
}

export function updateMarket(p: {
  admin: PublicKey;
  market: PublicKey;
  params: MarketParams;
  arbiter: PublicKey;
}): TransactionInstruction {
  return builder.build(
    "updateMarket",
    { admin: p.admin, config: configPda(), market: p.market },
    { params: params(p.params), arbiter: p.arbiter },
  );
}

export function setMarketPaused(p: {
  admin: PublicKey;
  market: PublicKey;
  paused: boolean;
}): TransactionInstruction {
  return builder.build(
    "setMarketPaused",
    { admin: p.admin, config: configPda(), market: p.market },
    { paused: p.paused },
  );
}

// --- clients ---

export interface CreateJobParams {
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

/** `create_job`: posts a job, the price into its own escrow. */
export function createJob(p: CreateJobParams): TransactionInstruction {
  const job = jobPda(p.ctx.market, p.client, p.nonce);
  return builder.build(
    "createJob",
    {
      client: p.client,
      market: p.ctx.market,
      mint: p.ctx.mint,
      clientToken: p.clientToken,
      job,
      escrow: escrowPda(job),
      tokenProgram: p.ctx.tokenProgram,
      systemProgram: SystemProgram.programId,
    },
    {
      args: {
        nonce: u64(p.nonce, "nonce"),
        price: u64(p.price, "price"),
        durationSecs: u64(p.durationSecs, "durationSecs"),
        specHash: hash32(p.specHash, "specHash"),
        targetProvider: p.targetProvider ?? null,
      },
    },
  );
}

export function cancelJob(p: {
  ctx: MarketContext;
  client: PublicKey;
  job: PublicKey;
  clientToken: PublicKey;
}): TransactionInstruction {
  return builder.build("cancelJob", {
    client: p.client,
    market: p.ctx.market,
    job: p.job,
    escrow: escrowPda(p.job),
    mint: p.ctx.mint,
    clientToken: p.clientToken,
    tokenProgram: p.ctx.tokenProgram,
  });
}

/** The accounts of a settlement (complete, finalize, dispute endings). */
export interface SettleParams {
  ctx: MarketContext;
  job: PublicKey;
  client: PublicKey;
  provider: PublicKey;
  /** The provider's token account of the mint (must be owned by the provider). */
  providerToken: PublicKey;
}

function settleAccounts(p: SettleParams) {
  return {
    config: configPda(),
    market: p.ctx.market,
    job: p.job,
    escrow: escrowPda(p.job),
    mint: p.ctx.mint,
    feeVault: p.ctx.feeVault,
    providerToken: p.providerToken,
    providerStake: providerStakePda(p.ctx.stakingPool, p.provider),
    stakingPool: p.ctx.stakingPool,
    collateralAuthority: collateralPda(),
    stakingProgram: STAKING_PROGRAM_ID,
    tokenProgram: p.ctx.tokenProgram,
  };
}

/** `complete_job`: the client approves; burn, fee, provider payment; the job closes. */
export function completeJob(p: SettleParams): TransactionInstruction {
  return builder.build("completeJob", { client: p.client, ...settleAccounts(p) });
}

/** `dispute_job`: the market's arbiter now is recorded on the job and decides it. */
export function disputeJob(p: {
  client: PublicKey;
  job: PublicKey;
  market: PublicKey;
}): TransactionInstruction {
  return builder.build("disputeJob", { client: p.client, market: p.market, job: p.job });
}

// --- providers ---

function collateralAccounts(ctx: MarketContext, provider: PublicKey) {
  return {
    market: ctx.market,
    providerStake: providerStakePda(ctx.stakingPool, provider),
    stakingPool: ctx.stakingPool,
    collateralAuthority: collateralPda(),
    stakingProgram: STAKING_PROGRAM_ID,
  };
}

/** `accept_job`: locks the job's collateral from the provider's free stake. */
export function acceptJob(p: {
  ctx: MarketContext;
  provider: PublicKey;
  job: PublicKey;
}): TransactionInstruction {
  return builder.build("acceptJob", {
    provider: p.provider,
    job: p.job,
    ...collateralAccounts(p.ctx, p.provider),
  });
}

/**
 * `quit_job`: free within the job's grace window after the acceptance; later the expiry slash
 * goes to `clientToken` (a token account of the mint owned by the job's client).
 */
export function quitJob(p: {
  ctx: MarketContext;
  provider: PublicKey;
  job: PublicKey;
  clientToken: PublicKey;
}): TransactionInstruction {
  return builder.build("quitJob", {
    provider: p.provider,
    job: p.job,
    mint: p.ctx.mint,
    clientToken: p.clientToken,
    stakeVault: stakeVaultPda(p.ctx.stakingPool),
    rewardVault: rewardVaultPda(p.ctx.stakingPool),
    tokenProgram: p.ctx.tokenProgram,
    ...collateralAccounts(p.ctx, p.provider),
  });
}

export function submitResult(p: {
  provider: PublicKey;
  job: PublicKey;
  resultHash: Uint8Array | number[];
}): TransactionInstruction {
  return builder.build(
    "submitResult",
    { provider: p.provider, job: p.job },
    { resultHash: hash32(p.resultHash, "resultHash") },
  );
}

// --- the arbiter and cranks ---

export interface DisputeEndParams extends SettleParams {
  /** The client's token account (must be owned by the client): its part and any slash. */
  clientToken: PublicKey;
}

/** `resolve_dispute` (arbiter): split, optional slash to the client (default) or burned. */
export function resolveDispute(
  p: DisputeEndParams & {
    arbiter: PublicKey;
    providerShareBps: number;
    slashAmount: bigint;
    slashToClient?: boolean;
  },
): TransactionInstruction {
  return builder.build(
    "resolveDispute",
    {
      arbiter: p.arbiter,
      client: p.client,
      clientToken: p.clientToken,
      stakeVault: stakeVaultPda(p.ctx.stakingPool),
      rewardVault: rewardVaultPda(p.ctx.stakingPool),
      ...settleAccounts(p),
    },
    {
      args: {
        providerShareBps: bps(p.providerShareBps, "providerShareBps"),
        slashAmount: u64(p.slashAmount, "slashAmount"),
        slashToClient: p.slashToClient ?? true,
      },
    },
  );
}

/** `finalize_job` (anyone, after the dispute window). */
export function finalizeJob(p: SettleParams & { cranker: PublicKey }): TransactionInstruction {
  return builder.build("finalizeJob", {
    cranker: p.cranker,
    client: p.client,
    ...settleAccounts(p),
  });
}

/** `finalize_dispute` (anyone, after the arbitration window): the default split. */
export function finalizeDispute(
  p: DisputeEndParams & { cranker: PublicKey },
): TransactionInstruction {
  return builder.build("finalizeDispute", {
    cranker: p.cranker,
    client: p.client,
    clientToken: p.clientToken,
    ...settleAccounts(p),
  });
}

/** `reclaim_expired` (anyone, after the deadline): refund and expiry slash to the client. */
export function reclaimExpired(p: {
  ctx: MarketContext;
  cranker: PublicKey;
  job: PublicKey;
  client: PublicKey;
  clientToken: PublicKey;
  provider: PublicKey;
}): TransactionInstruction {
  return builder.build("reclaimExpired", {
    cranker: p.cranker,
    client: p.client,
    market: p.ctx.market,
    job: p.job,
    escrow: escrowPda(p.job),
    mint: p.ctx.mint,
    clientToken: p.clientToken,
    providerStake: providerStakePda(p.ctx.stakingPool, p.provider),
    stakingPool: p.ctx.stakingPool,
    stakeVault: stakeVaultPda(p.ctx.stakingPool),
    rewardVault: rewardVaultPda(p.ctx.stakingPool),
    collateralAuthority: collateralPda(),
    stakingProgram: STAKING_PROGRAM_ID,
    tokenProgram: p.ctx.tokenProgram,
  });
}
