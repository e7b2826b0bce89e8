// A living network on a validator, through the SDK and real transactions: providers stake,
// clients post jobs, providers accept and finish them, some fail, expire or get disputed and
// resolved, emissions are cranked every hour, stakers claim. Every event the programs emit is
// collected over PubSub, and at the end the conservation checks of DESIGN.md are evaluated.
//
// network.ts sets up the network and its parties, hour.ts runs one simulated hour step by step
// over the run's state (run.ts), report.ts sums the events, reads the chain and checks.
import { AnchorProvider } from "@coral-xyz/anchor";

import { simulateHour } from "./hour";
import { setUpWorld } from "./network";
import { readStart, report } from "./report";
import { Run } from "./run";
import type { DemoOptions, DemoReport } from "./types";
import { rng } from "./util";

export { DEFAULTS, DEMAND, EMISSION_PER_HOUR, USD_JOBS_PER_HOUR } from "./types";
export type { Check, DemoOptions, DemoReport, HourRow, Regime } from "./types";
export { DEMO_FEED_ID, DEMO_PRICE_ACCOUNT, pricePath, PRICE_WALK } from "./price";

export async function simulate(admin: AnchorProvider, o: DemoOptions): Promise<DemoReport> {
  const started = performance.now();
  const random = rng(o.seed);
  const log = (line: string) => o.progress?.(0, o.hours, line);
  const world = await setUpWorld(admin, o, random, log);
  const start = await readStart(world);
  const run = new Run(o, world, random);
  for (let hour = 0; hour < o.hours; hour++) await simulateHour(run, hour, start.supply);
  return report(run, start, started);
}
