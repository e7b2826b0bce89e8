// The state of a demo run: the seeded random source, the jobs it tracks, the transactions it
// sent and those the programs rejected (by instruction and error name).
import { CrucibleError } from "../../sdk/src";
import type { DemoOptions, HourRow, TrackedJob } from "./types";
import type { World } from "./network";

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

  constructor(
    readonly o: DemoOptions,
    readonly world: World,
    readonly random: () => number,
  ) {}

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
