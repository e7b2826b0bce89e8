// What the market's builders share: the market context, the account sets of a settlement and
// of a collateral change, and the argument checks.
import { PublicKey } from "@solana/web3.js";

import { u64 } from "../../common/amount";
import type { ProgramIdOption } from "../../common/program";
import type { WorkAccounts } from "../../emissions/work";
import { providerStakePda, rewardVaultPda, stakeVaultPda } from "../../staking/pda";
import { program as staking } from "../../staking/program";
import type { MarketParams } from "../accounts";
import { collateralPda, configPda, escrowPda } from "../pda";

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
  /** The staking program the market calls, for a deployment elsewhere (default: its IDL's). */
  stakingProgram?: PublicKey;
  /** The market's work-rewards pool (`Market.workPool`), when it records work. */
  workPool?: PublicKey;
}

/** The accounts of a settlement (complete, finalize, dispute endings). */
export interface SettleParams extends ProgramIdOption {
  ctx: MarketContext;
  job: PublicKey;
  client: PublicKey;
  provider: PublicKey;
  /** The provider's token account of the mint (must be owned by the provider). */
  providerToken: PublicKey;
  /** The market's work-pool accounts (`fetchWorkAccounts` in the emissions module), required
   * when the market records work (`Market.workPool`), omitted otherwise. */
  work?: WorkAccounts;
}

/** The client's token account at the end of a dispute: its part and any slash. */
export interface DisputeEndParams extends SettleParams {
  /** The client's token account (must be owned by the client): its part and any slash. */
  clientToken: PublicKey;
}

/** The staking program's accounts a job instruction names: the provider's stake, the pool, the
 * market's collateral authority and the staking program. */
export function collateralAccounts(
  ctx: MarketContext,
  provider: PublicKey,
  programId: PublicKey | undefined,
) {
  const stakingProgram = ctx.stakingProgram ?? staking.programId;
  return {
    market: ctx.market,
    providerStake: providerStakePda(ctx.stakingPool, provider, stakingProgram),
    stakingPool: ctx.stakingPool,
    collateralAuthority: collateralPda(programId),
    stakingProgram,
  };
}

/** The pool's two vaults, where a slash takes stake and pays rewards from. */
export function poolVaults(ctx: MarketContext) {
  const stakingProgram = ctx.stakingProgram ?? staking.programId;
  return {
    stakeVault: stakeVaultPda(ctx.stakingPool, stakingProgram),
    rewardVault: rewardVaultPda(ctx.stakingPool, stakingProgram),
  };
}

/** The accounts every settlement names. */
export function settleAccounts(p: SettleParams) {
  return {
    config: configPda(p.programId),
    job: p.job,
    escrow: escrowPda(p.job, p.programId),
    mint: p.ctx.mint,
    feeVault: p.ctx.feeVault,
    providerToken: p.providerToken,
    tokenProgram: p.ctx.tokenProgram,
    ...collateralAccounts(p.ctx, p.provider, p.programId),
    ...(p.work ?? {}),
  };
}

/** `MarketParams` as the coder takes them. */
export function params(p: MarketParams) {
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

/** A 32-byte hash (zeros when omitted) as the coder takes it. */
export function hash32(h: Uint8Array | number[] | undefined, field: string): number[] {
  const bytes = h === undefined ? new Uint8Array(32) : Uint8Array.from(h);
  if (bytes.length !== 32) throw new RangeError(`${field} must be 32 bytes, got ${bytes.length}`);
  return [...bytes];
}

/** Basis points, 0 to 10 000. */
export function bps(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 10_000)
    throw new RangeError(`${field} must be 0..10 000 bps, got ${value}`);
  return value;
}
