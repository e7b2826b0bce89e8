// The work-rewards pool's share of an hour: the one place where the report's `emittedToWork`
// and `workCapBinding` are computed.
//
// The pool (DESIGN.md, emissions: "a recipient can be a work-rewards pool") lands on main in
// parallel with this demo. Until the demo's vault has it as a recipient, nothing is emitted to
// work and there is no cap to bind, so this returns 0 and null. To fill it in once it lands:
//   1. in network.ts, add the pool as a recipient of the demo's vault (and its destination for
//      what the cap withholds);
//   2. here, `emittedToWork` = the hour's `emitted` payments to the pool's token account
//      (`payments` is every payment of the hour's `emit`), and `workCapBinding` = whether the
//      pool's share of the hour exceeded `cap_bps` × `burned` (what the hour's settlements
//      burned), i.e. whether some of it went to the destination instead of to providers;
//   3. the report's emission check (report.ts) then also covers the pool's payments.
import type { PublicKey } from "@solana/web3.js";

/** One payment of an hour's `emit` (from the `emitted` event). */
export interface HourPayment {
  tokenAccount: PublicKey;
  amount: bigint;
}

export interface WorkShare {
  /** Token base units the hour's emission paid the work-rewards pool. */
  emittedToWork: bigint;
  /** Whether the pool's cap (`cap_bps` × the hour's burn) held back part of its share; null
   * while there is no pool. */
  workCapBinding: boolean | null;
}

export function workShare(payments: HourPayment[], burned: bigint): WorkShare {
  void payments;
  void burned;
  return { emittedToWork: 0n, workCapBinding: null };
}
