// The work-rewards pool's share of an hour: the one place where the report's `emittedToWork`,
// `workToProviders` and `workCapBinding` are computed.
//
// The demo's vault pays the pool a share of every hour; the pool hands what it received for the
// hour to the providers whose settlements burned tokens in it, never more than its cap of the
// hour's burn, and the rest to its destination (the staking pool's reward vault). The hour's
// crank finalizes it right after its `emit`, so its `workHourFinalized` event says what its
// providers share.
import type { PublicKey } from "@solana/web3.js";

/** One payment of an hour's `emit` (from the `emitted` event). */
export interface HourPayment {
  tokenAccount: PublicKey;
  amount: bigint;
}

/** What the hour's crank said of the hour (the `workHourFinalized` event's figures). */
export interface HourFinalized {
  emission: bigint;
  distributable: bigint;
}

export interface WorkShare {
  /** Token base units the hour's emission paid the work-rewards pool. */
  emittedToWork: bigint;
  /** What of it the hour's providers share (claimable), the rest going to the destination. */
  workToProviders: bigint;
  /** Whether the cap (`cap_bps` × the hour's burn; nothing without burn) held back part of the
   * pool's share; null when the pool received nothing. */
  workCapBinding: boolean | null;
}

export function workShare(
  payments: HourPayment[],
  workTokens: PublicKey,
  finalized: HourFinalized[],
): WorkShare {
  const emittedToWork = payments
    .filter((p) => p.tokenAccount.equals(workTokens))
    .reduce((s, p) => s + p.amount, 0n);
  const workToProviders = finalized.reduce((s, f) => s + f.distributable, 0n);
  return {
    emittedToWork,
    workToProviders,
    workCapBinding: emittedToWork === 0n ? null : workToProviders < emittedToWork,
  };
}
