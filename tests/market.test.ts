// The market through the SDK over RPC: a job's whole life, settlement amounts to the unit.
import { expect } from "chai";

import { market } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { TOKEN } from "./harness/fixtures";
import { tokenBalance, HOUR, marketWorld, supply } from "./harness/market";

describe("market / lifecycle", () => {
  it("creates, accepts, submits and completes a job: burn, fee and pay exactly as the mirror says", async () => {
    const w = await marketWorld();
    const price = 100n * TOKEN + 7n;
    const supplyBefore = await supply(w.provider, w.mint);
    const feesBefore = await tokenBalance(w.provider, w.feeVault);
    const { job } = await w.markets.createJob({
      market: w.market,
      price,
      durationSecs: HOUR,
      clientToken: w.client.token,
      client: w.client.key,
    });
    const created = (await w.markets.fetchJob(job))!;
    expect(created.state).to.equal("open");
    expect(created.collateral).to.equal(market.jobCollateral(price, 5_000, TOKEN));
    expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(price);

    await w.markets.acceptJob({ job, provider: w.worker.key });
    expect((await w.markets.fetchJob(job))!.state).to.equal("running");
    expect((await w.staking.fetchStake(w.mint, w.worker.key.publicKey))!.locked).to.equal(
      created.collateral,
    );
    await w.markets.submitResult({
      job,
      resultHash: new Uint8Array(32).fill(1),
      provider: w.worker.key,
    });
    await w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key });

    const s = market.settlementSplit(price, 2_000, 500);
    expect(await tokenBalance(w.provider, w.worker.token)).to.equal(s.paid);
    expect((await tokenBalance(w.provider, w.feeVault)) - feesBefore).to.equal(s.fee);
    expect(supplyBefore - (await supply(w.provider, w.mint))).to.equal(s.burned);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect((await w.staking.fetchStake(w.mint, w.worker.key.publicKey))!.locked).to.equal(0n);
  });

  it("refunds and slashes an expired job after warping past its deadline", async function () {
    await requiresTimeTravel(this);
    const w = await marketWorld();
    const { job } = await w.markets.createJob({
      market: w.market,
      price: 40n * TOKEN,
      durationSecs: HOUR,
      clientToken: w.client.token,
      client: w.client.key,
    });
    await w.markets.acceptJob({ job, provider: w.worker.key });
    const collateral = (await w.markets.fetchJob(job))!.collateral;
    await warp(w.provider, Number(HOUR) + 1);
    const before = await tokenBalance(w.provider, w.client.token);
    await w.markets.reclaimExpired({ job, clientToken: w.client.token });
    expect((await tokenBalance(w.provider, w.client.token)) - before).to.equal(
      40n * TOKEN + market.expirySlash(collateral, 1_000),
    );
  });
});
