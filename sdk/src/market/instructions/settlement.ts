// The ends of a job decided by the arbiter or by time: anyone may crank those that are due.
import { PublicKey, TransactionInstruction } from "@solana/web3.js";

import { u64 } from "../../common/amount";
import type { ProgramIdOption } from "../../common/program";
import { escrowPda } from "../pda";
import { program } from "../program";
import {
  bps,
  collateralAccounts,
  DisputeEndParams,
  MarketContext,
  poolVaults,
  settleAccounts,
  SettleParams,
} from "./shared";

/** `resolve_dispute` (arbiter): split, optional slash to the client (default) or burned. */
export function resolveDispute(
  p: DisputeEndParams & {
    arbiter: PublicKey;
    providerShareBps: number;
    slashAmount: bigint;
    slashToClient?: boolean;
  },
): TransactionInstruction {
  return program.instruction("resolveDispute", {
    programId: p.programId,
    accounts: {
      arbiter: p.arbiter,
      client: p.client,
      clientToken: p.clientToken,
      ...poolVaults(p.ctx),
      ...settleAccounts(p),
    },
    args: {
      args: {
        providerShareBps: bps(p.providerShareBps, "providerShareBps"),
        slashAmount: u64(p.slashAmount, "slashAmount"),
        slashToClient: p.slashToClient ?? true,
      },
    },
  });
}

/** `finalize_job` (anyone, after the dispute window). */
export function finalizeJob(p: SettleParams & { cranker: PublicKey }): TransactionInstruction {
  return program.instruction("finalizeJob", {
    programId: p.programId,
    accounts: { cranker: p.cranker, client: p.client, ...settleAccounts(p) },
  });
}

/** `finalize_dispute` (anyone, after the arbitration window): the default split. */
export function finalizeDispute(
  p: DisputeEndParams & { cranker: PublicKey },
): TransactionInstruction {
  return program.instruction("finalizeDispute", {
    programId: p.programId,
    accounts: {
      cranker: p.cranker,
      client: p.client,
      clientToken: p.clientToken,
      ...settleAccounts(p),
    },
  });
}

/** `reclaim_expired` (anyone, after the deadline): refund and expiry slash to the client. */
export function reclaimExpired(
  p: ProgramIdOption & {
    ctx: MarketContext;
    cranker: PublicKey;
    job: PublicKey;
    client: PublicKey;
    clientToken: PublicKey;
    provider: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("reclaimExpired", {
    programId: p.programId,
    accounts: {
      cranker: p.cranker,
      client: p.client,
      job: p.job,
      escrow: escrowPda(p.job, p.programId),
      mint: p.ctx.mint,
      clientToken: p.clientToken,
      tokenProgram: p.ctx.tokenProgram,
      ...poolVaults(p.ctx),
      ...collateralAccounts(p.ctx, p.provider, p.programId),
    },
  });
}
