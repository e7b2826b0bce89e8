// The state of a demo run: the seeded random source, the jobs it tracks, the transactions it
// sent and those the programs rejected (by instruction and error name).
import { CrucibleError, market } from "../../sdk/src";
import type { DemoOptions, HourRow, TrackedJob } from "./types";
import type { World } from "./network";
import { pricePath, PricePoint } from "./price";
import type { HourFinalized, HourPayment } from "./work";

export class Run {
  readonly pick = <T>(xs: T[]): T => xs[Math.floor(this.random() * xs.length)];
  readonly jobs: TrackedJob[] = [];
  readonly rejected: Record<string, number> = {};
  readonly hours: HourRow[] = [];
  transactions = 0;
  /** Rewards the demo's providers claimed. */
  claimed = 0n;
  /** Whether the providers' first stake was activated (after its hour of warm-up). */
  activated = false;
  /** The token/USD path, a point an hour (price.ts). */
  readonly path: PricePoint[];
  /** This hour's price as the market checks it, read back from the chain after writing. */
  price?: market.Price;
  /** Jobs posted this hour, on each market. */
  posted = { tokens: 0, usd: 0 };
  /** This hour's emission payments (from its `emit` transaction's event). */
  payments: HourPayment[] = [];
  /** What the work pool's crank said of this hour (its `workHourFinalized` events). */
  workFinalized: HourFinalized[] = [];
  /** Work rewards the demo's providers claimed. */
  workClaimed = 0n;

  constructor(
    readonly o: DemoOptions,
    readonly world: World,
    readonly random: () => number,
  ) {
    this.path = pricePath(o.seed, o.hours);
  }

  /** Sends one transaction; counts it, or counts its rejection. */
  readonly attempt = async (what: string, f: () => Promise<unknown>): Promise<boolean> => {
    try {
      await f();
      this.transactions++;
      return true;
    } catch (e) {
      const name = e instanceof CrucibleError ? e.name : String(e);
      this.rejected[`${what}: ${name}`] = (this.rejected[`${what}: ${name}`] ?? 0) + 1;
      return false;
    }
  };

  readonly close = (j: TrackedJob, outcome: string): void => {
    j.state = "closed";
    j.outcome = outcome;
  };
}
