// A short run of the demo (a few simulated hours) as a test: the network is bootstrapped,
// the simulation runs through the SDK, and every conservation check of DESIGN.md passes.
import { expect } from "chai";

import { simulate } from "../demo/simulate";
import { requiresTimeTravel } from "./harness/cheatcodes";
import { getProvider } from "./harness/env";

describe("demo / a few simulated hours", () => {
  it("runs jobs, emissions and claims, and every conservation check passes", async function () {
    // Each simulated hour travels the clock an hour ahead.
    await requiresTimeTravel(this);
    this.timeout(300_000);
    const base = 500_000 + Math.floor(Math.random() * 400_000);
    const report = await simulate(getProvider(), {
      hours: 26,
      providers: 4,
      clients: 8,
      jobsPerHour: 6,
      seed: 7,
      concurrency: 4,
      marketIdBase: base,
      vaultId: base,
    });
    for (const c of report.checks) expect(c.ok, `${c.name}: ${c.detail}`).to.equal(true);
    expect(report.jobs.posted).to.be.greaterThan(50);
    expect(report.jobs.byOutcome.completed ?? 0).to.be.greaterThan(0);
    expect(BigInt(report.tokens.burned) > 0n).to.equal(true);
    expect(BigInt(report.tokens.emitted) > 0n).to.equal(true);
    // A day passed: the stakers claimed their share of the emission.
    expect(BigInt(report.tokens.rewardsClaimed) > 0n).to.equal(true);
    expect(report.hours).to.have.length(26);
  });
});
