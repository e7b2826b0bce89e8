// Short runs of the demo as tests, one per demand regime: the network is bootstrapped with a
// token market and a USD market against the demo's Pyth price account, the simulation runs
// through the SDK, every hour's price is the seeded path's (as the chain's account holds it),
// the low demand ends in net inflation and the high demand in net deflation, and every
// conservation check of DESIGN.md passes.
import { AnchorProvider } from "@coral-xyz/anchor";
import { Connection } from "@solana/web3.js";
import { expect } from "chai";

import {
  DEMAND,
  DEMO_PRICE_ACCOUNT,
  DemoOptions,
  DemoReport,
  pricePath,
  simulate,
} from "../demo/simulate";
import { market } from "../sdk/src";
import { requiresTimeTravel } from "./harness/cheatcodes";
import { getProvider } from "./harness/env";

/** The suites share the validator's mint, and its staking pool takes at most 8 reward sources:
 * both runs use one emission vault (the second joins it as the first left it), each run its
 * own markets. */
const VAULT_ID = 500_000 + Math.floor(Math.random() * 400_000);

/** Runs the demo on fresh market ids (the validator may be shared with other suites), through a
 * Connection of its own: its blockhash cache and subscriptions are not the next suites'. */
async function run(o: Omit<DemoOptions, "providers" | "clients" | "concurrency">) {
  const base = 500_000 + Math.floor(Math.random() * 400_000) * 2;
  const shared = getProvider();
  const own = new AnchorProvider(
    new Connection(shared.connection.rpcEndpoint, "confirmed"),
    shared.wallet,
    shared.opts,
  );
  return simulate(own, {
    providers: 4,
    clients: 8,
    concurrency: 4,
    marketIdBase: base,
    vaultId: VAULT_ID,
    // What providers do not earn goes to the treasury here: a work pool paying the shared
    // staking pool would be registered as its reward source, and the other suites' activations
    // would wait for its crank.
    workDestination: "treasury",
    ...o,
  });
}

/** What every run must show: the checks pass, every hour's price is the path's point (and the
 * chain's account holds the last one), each hour has its emission split and work fields. */
async function expectSound(report: DemoReport, seed: number, hours: number): Promise<void> {
  for (const c of report.checks) expect(c.ok, `${c.name}: ${c.detail}`).to.equal(true);
  expect(report.hours).to.have.length(hours);
  const path = pricePath(seed, hours);
  report.hours.forEach((h, i) => {
    expect(h.price.price, `hour ${h.hour}`).to.equal(path[i].price.toString());
    expect(h.price.conf, `hour ${h.hour}`).to.equal(path[i].conf.toString());
    // Published at the chain's clock, an hour (or, on surfpool, a little more) after the last.
    if (i > 0)
      expect(
        BigInt(h.price.publishTime) - BigInt(report.hours[i - 1].price.publishTime) >= 3_600n,
      ).to.equal(true);
    expect(BigInt(h.emittedToStake) > 0n).to.equal(true);
    // A fifth of the vault's emission pays the work pool; its providers share at most what
    // their settlements burned in the hour.
    const toWork = BigInt(h.emittedToWork);
    expect((toWork * 10_000n) / BigInt(h.emitted)).to.be.oneOf([1_999n, 2_000n]);
    expect(BigInt(h.workToProviders) <= toWork).to.equal(true);
    expect(h.workCapBinding).to.equal(BigInt(h.workToProviders) < toWork);
  });
  // Never more than was burned, over the run (an hour's row counts the burns of the settlements
  // cranked after its warp, which the pool records in the next hour).
  const sum = (k: "workToProviders" | "burned") =>
    report.hours.reduce((s, h) => s + BigInt(h[k]), 0n);
  expect(sum("workToProviders") <= sum("burned")).to.equal(true);
  const info = await getProvider().connection.getAccountInfo(DEMO_PRICE_ACCOUNT, "confirmed");
  expect(info!.owner.equals(market.PYTH_RECEIVER_PROGRAM_ID)).to.equal(true);
  const onChain = market.decodePriceUpdate(info!.data);
  expect(onChain.verification).to.deep.equal({ level: "full" });
  expect(onChain.price).to.equal(path[hours - 1].price);
  expect(onChain.publishTime.toString()).to.equal(report.hours[hours - 1].price.publishTime);
  expect(report.jobs.byOutcome.completed ?? 0).to.be.greaterThan(0);
}

describe("demo / a few simulated hours", () => {
  beforeEach(async function () {
    // Each simulated hour travels the clock an hour ahead.
    await requiresTimeTravel(this);
  });

  it("low USD demand: burn stays under emission (net inflation), stakers claim after a day, every check passes", async function () {
    this.timeout(300_000);
    const report = await run({ hours: 26, jobsPerHour: 3, demand: DEMAND.low, seed: 7 });
    await expectSound(report, 7, 26);
    expect(report.regime.verdict).to.equal("net inflation");
    expect(BigInt(report.regime.netSupplyChange) > 0n).to.equal(true);
    expect(BigInt(report.regime.burned) > 0n).to.equal(true);
    expect(report.jobs.posted).to.be.greaterThan(50);
    // A day passed: the stakers claimed their share of the emission, the providers their work
    // rewards. In some hours low demand burns less than the work pool's share: the cap binds.
    expect(BigInt(report.tokens.rewardsClaimed) > 0n).to.equal(true);
    expect(BigInt(report.tokens.workClaimedByDemo) > 0n).to.equal(true);
    expect(report.hours.some((h) => h.workCapBinding === true)).to.equal(true);
  });

  it("high USD demand: burn exceeds emission (net deflation), every check passes", async function () {
    this.timeout(300_000);
    const report = await run({ hours: 8, jobsPerHour: 3, demand: DEMAND.high, seed: 8 });
    await expectSound(report, 8, 8);
    expect(report.regime.verdict).to.equal("net deflation");
    expect(BigInt(report.regime.netSupplyChange) < 0n).to.equal(true);
    expect(BigInt(report.regime.burnedMicroUsd) > 0n).to.equal(true);
    // High demand burns more than the work pool's share: the providers share all of it.
    expect(report.hours.some((h) => h.workCapBinding === false)).to.equal(true);
  });
});
