// The transitions anyone may crank once a window has passed, through the SDK over RPC:
// finalize_job (after the dispute window), finalize_dispute (after the arbitration window, the
// job's default split) and reclaim_expired (after the deadline: refund and expiry slash). The
// windows are warped to their last second (still closed to the crank) and one second past.
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { market, MarketClient } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { expectRejected, lamportsOf, providerFor, snapshot, TOKEN } from "./harness/fixtures";
import {
  chainTime,
  defaultParams,
  disputedJob,
  HOUR,
  jobOf,
  marketEvent,
  MarketWorld,
  marketWorld,
  poolOf,
  PRICE,
  runningJob,
  sendToEscrow,
  stakeOf,
  submittedJob,
  supply,
  untouched,
} from "./harness/market";

/** Balances a crank moves: client, provider, fee vault, stake vault, and the supply. */
async function moved(w: MarketWorld): Promise<bigint[]> {
  return [
    ...(await snapshot(w.provider, [
      w.client.token,
      w.worker.token,
      w.feeVault,
      poolOf(w.mint).stakeVault,
    ])),
    await supply(w.provider, w.mint),
  ];
}

/** Warps the clock to exactly `at`. */
async function warpTo(w: MarketWorld, at: bigint): Promise<void> {
  const now = await chainTime(w.provider);
  expect(at >= now, `cannot warp back from ${now} to ${at}`).to.equal(true);
  await warp(w.provider, Number(at - now));
}

/** The market client of a stranger (the attacker's wallet pays): anyone may crank. */
function stranger(w: MarketWorld): MarketClient {
  return new MarketClient(providerFor(w.attacker.key, w.provider));
}

describe("market / finalize_job", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("settles an undisputed result after the dispute window, cranked by anyone", async function () {
    await requiresTimeTravel(this);
    const lamports = await lamportsOf(w.provider, w.client.key.publicKey);
    const job = await submittedJob(w);
    const j = await jobOf(w, job);
    await warpTo(w, j.disputeDeadline + 1n);
    const before = await moved(w);
    const signature = await stranger(w).finalizeJob({ job, providerToken: w.worker.token });
    const s = market.settlementSplit(PRICE, 2_000, 500);
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([0n, s.paid, s.fee, 0n, -s.burned]);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    // All rent back to the client, not to the crank.
    expect(await lamportsOf(w.provider, w.client.key.publicKey)).to.equal(lamports);
    const stake = await stakeOf(w, w.worker.key.publicKey);
    expect([stake.locked, stake.jobsCompleted]).to.deep.equal([0n, 1n]);
    const e = await marketEvent(w.provider, signature, "jobCompleted");
    expect([e.price, e.burned, e.fee, e.paid, e.finalized]).to.deep.equal([
      PRICE,
      s.burned,
      s.fee,
      s.paid,
      true,
    ]);
  });

  it("rejects a crank while the dispute window is open, up to its last second (DisputeWindowOpen)", async function () {
    await requiresTimeTravel(this);
    const job = await submittedJob(w);
    await expectRejected(
      w.provider,
      () => stranger(w).finalizeJob({ job, providerToken: w.worker.token }),
      "DisputeWindowOpen",
      await untouched(w, [job]),
    );
    await warpTo(w, (await jobOf(w, job)).disputeDeadline);
    await expectRejected(
      w.provider,
      () => w.markets.finalizeJob({ job, providerToken: w.worker.token }),
      "DisputeWindowOpen",
      await untouched(w, [job]),
    );
  });

  it("rejects a disputed or running job (JobNotSubmitted)", async function () {
    await requiresTimeTravel(this);
    const disputed = await disputedJob(w);
    const running = await runningJob(w);
    await warp(w.provider, Number(72n * HOUR) + 1);
    for (const job of [disputed, running]) {
      await expectRejected(
        w.provider,
        () => w.markets.finalizeJob({ job, providerToken: w.worker.token }),
        "JobNotSubmitted",
        await untouched(w, [job]),
      );
    }
  });

  it("rejects a provider token account owned by someone else (WrongProviderAccount)", async function () {
    await requiresTimeTravel(this);
    const job = await submittedJob(w);
    await warp(w.provider, Number(72n * HOUR) + 1);
    await expectRejected(
      w.provider,
      () => stranger(w).finalizeJob({ job, providerToken: w.attacker.token }),
      "WrongProviderAccount",
      await untouched(w, [job]),
    );
  });
});

describe("market / finalize_dispute", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("applies the job's default split after the arbitration window: no slash, collateral released", async function () {
    await requiresTimeTravel(this);
    const job = await disputedJob(w);
    const j = await jobOf(w, job);
    // A later change of the market's default split does not touch this job.
    await w.markets.updateMarket({
      market: w.market,
      params: defaultParams({ defaultDisputeSplitBps: 9_000 }),
      arbiter: w.arbiter.publicKey,
    });
    await warpTo(w, j.disputedAt + 7n * 24n * HOUR + 1n);
    const before = await moved(w);
    const signature = await stranger(w).finalizeDispute({
      job,
      providerToken: w.worker.token,
      clientToken: w.client.token,
    });
    const o = market.disputeOutcome(PRICE, 5_000, 2_000, 500);
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([
      o.refunded,
      o.paid,
      o.fee,
      0n,
      -o.burned,
    ]);
    const stake = await stakeOf(w, w.worker.key.publicKey);
    expect([
      stake.active,
      stake.locked,
      stake.slashedTotal,
      stake.jobsCompleted,
      stake.jobsFailed,
    ]).to.deep.equal([500n * TOKEN, 0n, 0n, 0n, 0n]);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    const e = await marketEvent(w.provider, signature, "disputeResolved");
    expect([
      e.providerShareBps,
      e.refunded,
      e.burned,
      e.fee,
      e.paid,
      e.slashed,
      e.slashBurned,
      e.byDefault,
    ]).to.deep.equal([5_000, o.refunded, o.burned, o.fee, o.paid, 0n, false, true]);
  });

  it("rejects a crank during the arbitration window, up to its last second (ArbitrationWindowOpen)", async function () {
    await requiresTimeTravel(this);
    const job = await disputedJob(w);
    await expectRejected(
      w.provider,
      () =>
        stranger(w).finalizeDispute({
          job,
          providerToken: w.worker.token,
          clientToken: w.client.token,
        }),
      "ArbitrationWindowOpen",
      await untouched(w, [job]),
    );
    await warpTo(w, (await jobOf(w, job)).disputedAt + 7n * 24n * HOUR);
    await expectRejected(
      w.provider,
      () =>
        w.markets.finalizeDispute({
          job,
          providerToken: w.worker.token,
          clientToken: w.client.token,
        }),
      "ArbitrationWindowOpen",
      await untouched(w, [job]),
    );
  });

  it("rejects a job that is not disputed (JobNotDisputed)", async function () {
    await requiresTimeTravel(this);
    const job = await submittedJob(w);
    await warp(w.provider, Number(10n * 24n * HOUR));
    await expectRejected(
      w.provider,
      () =>
        w.markets.finalizeDispute({
          job,
          providerToken: w.worker.token,
          clientToken: w.client.token,
        }),
      "JobNotDisputed",
      await untouched(w, [job]),
    );
  });

  it("rejects a client token account owned by someone else (WrongClientAccount)", async function () {
    await requiresTimeTravel(this);
    const job = await disputedJob(w);
    await warp(w.provider, Number(7n * 24n * HOUR) + 1);
    await expectRejected(
      w.provider,
      () =>
        stranger(w).finalizeDispute({
          job,
          providerToken: w.worker.token,
          clientToken: w.attacker.token,
        }),
      "WrongClientAccount",
      await untouched(w, [job]),
    );
  });
});

describe("market / reclaim_expired", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("refunds the price and slashes expirySlash of the collateral to the client, cranked by anyone", async function () {
    await requiresTimeTravel(this);
    const lamports = await lamportsOf(w.provider, w.client.key.publicKey);
    const job = await runningJob(w);
    const j = await jobOf(w, job);
    await warpTo(w, j.deadline + 1n);
    const before = await moved(w);
    const signature = await stranger(w).reclaimExpired({ job, clientToken: w.client.token });
    const slash = market.expirySlash(j.collateral, 1_000);
    expect(slash).to.equal(j.collateral / 10n);
    const after = await moved(w);
    expect(after.map((a, i) => a - before[i])).to.deep.equal([PRICE + slash, 0n, 0n, -slash, 0n]);
    const stake = await stakeOf(w, w.worker.key.publicKey);
    expect([stake.active, stake.locked, stake.slashedTotal, stake.jobsFailed]).to.deep.equal([
      500n * TOKEN - slash,
      0n,
      slash,
      1n,
    ]);
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect(await lamportsOf(w.provider, w.client.key.publicKey)).to.equal(lamports);
    const e = await marketEvent(w.provider, signature, "jobExpired");
    expect([e.refunded, e.slashed]).to.deep.equal([PRICE, slash]);
    expect((e.provider as PublicKey).equals(w.worker.key.publicKey)).to.equal(true);
  });

  it("refunds everything in the escrow, tokens someone else sent included", async function () {
    await requiresTimeTravel(this);
    const job = await runningJob(w);
    await sendToEscrow(w, job, w.attacker, 9n);
    await warpTo(w, (await jobOf(w, job)).deadline + 1n);
    const signature = await stranger(w).reclaimExpired({ job, clientToken: w.client.token });
    expect((await marketEvent(w.provider, signature, "jobExpired")).refunded).to.equal(PRICE + 9n);
    expect(await w.provider.connection.getAccountInfo(market.escrowPda(job))).to.equal(null);
  });

  it("rejects a reclaim up to the deadline's last second (NotExpired)", async function () {
    await requiresTimeTravel(this);
    const job = await runningJob(w);
    await expectRejected(
      w.provider,
      () => stranger(w).reclaimExpired({ job, clientToken: w.client.token }),
      "NotExpired",
      await untouched(w, [job]),
    );
    await warpTo(w, (await jobOf(w, job)).deadline);
    await expectRejected(
      w.provider,
      () => w.markets.reclaimExpired({ job, clientToken: w.client.token }),
      "NotExpired",
      await untouched(w, [job]),
    );
  });

  it("rejects a job whose result came in time (JobNotRunning)", async function () {
    await requiresTimeTravel(this);
    const job = await submittedJob(w);
    await warp(w.provider, Number(HOUR) + 1);
    await expectRejected(
      w.provider,
      () => w.markets.reclaimExpired({ job, clientToken: w.client.token }),
      "JobNotRunning",
      await untouched(w, [job]),
    );
  });

  it("rejects a refund account owned by someone else (WrongClientAccount)", async function () {
    await requiresTimeTravel(this);
    const job = await runningJob(w);
    await warp(w.provider, Number(HOUR) + 1);
    await expectRejected(
      w.provider,
      () => stranger(w).reclaimExpired({ job, clientToken: w.attacker.token }),
      "WrongClientAccount",
      await untouched(w, [job]),
    );
  });
});
