// Job listings and events through the SDK over RPC. Listings are filtered on the server
// (getProgramAccounts with memcmp on the job's market, client, provider and state), so they
// must return exactly the expected jobs among every other test's. Events: every transition's
// event, parsed from the transaction's logs, carries the amounts that moved, so each job's
// conservation (price = paid + burned + fee + refunded + escrowed) is checked from events alone.
import { GetProgramAccountsConfig, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { market } from "../sdk/src";
import { deferred, subscribed } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { TOKEN } from "./harness/fixtures";
import {
  tokenBalance,
  disputedJob,
  HOUR,
  marketEvents,
  MarketWorld,
  marketWorld,
  newParty,
  Party,
  postJob,
  PRICE,
  runningJob,
  stakedParty,
  submittedJob,
} from "./harness/market";

const keys = (l: Array<{ address: PublicKey }>) => l.map((x) => x.address.toBase58()).sort();
const sorted = (l: PublicKey[]) => l.map((k) => k.toBase58()).sort();

describe("market / listJobs", () => {
  let w: MarketWorld;
  let client2: Party;
  let worker2: Party;
  let jobs: Record<
    "open" | "running" | "submitted" | "disputed" | "openTwo" | "cancelled",
    PublicKey
  >;

  before(async () => {
    w = await marketWorld();
    client2 = await newParty(w, 1_000n * TOKEN);
    worker2 = await stakedParty(w, 300n * TOKEN);
    jobs = {
      open: await postJob(w),
      running: await runningJob(w),
      submitted: await submittedJob(w, { by: client2, provider: worker2 }),
      disputed: await disputedJob(w, { by: client2 }),
      openTwo: await postJob(w, { by: client2 }),
      cancelled: await postJob(w),
    };
    await w.markets.cancelJob({
      job: jobs.cancelled,
      clientToken: w.client.token,
      client: w.client.key,
    });
  });

  it("lists a market's jobs, and only them (closed jobs are gone)", async () => {
    const listed = await w.markets.listJobs({ market: w.market });
    expect(keys(listed)).to.deep.equal(
      sorted([jobs.open, jobs.running, jobs.submitted, jobs.disputed, jobs.openTwo]),
    );
    const running = listed.find((l) => l.address.equals(jobs.running))!;
    expect(running.account.state).to.equal("running");
    expect(running.account.provider!.equals(w.worker.key.publicKey)).to.equal(true);
  });

  it("lists by state", async () => {
    expect(keys(await w.markets.listJobs({ market: w.market, state: "open" }))).to.deep.equal(
      sorted([jobs.open, jobs.openTwo]),
    );
    for (const state of ["running", "submitted", "disputed"] as const) {
      expect(keys(await w.markets.listJobs({ market: w.market, state }))).to.deep.equal(
        sorted([jobs[state]]),
      );
    }
    // Across every market: all of them open, ours among them.
    const open = await w.markets.listJobs({ state: "open" });
    expect(open.every((l) => l.account.state === "open")).to.equal(true);
    expect(keys(open)).to.include.members(sorted([jobs.open, jobs.openTwo]));
    expect(keys(open)).not.to.include.members(sorted([jobs.running]));
  });

  it("lists by client and by provider", async () => {
    expect(keys(await w.markets.listJobs({ client: w.client.key.publicKey }))).to.deep.equal(
      sorted([jobs.open, jobs.running]),
    );
    expect(keys(await w.markets.listJobs({ client: client2.key.publicKey }))).to.deep.equal(
      sorted([jobs.submitted, jobs.disputed, jobs.openTwo]),
    );
    expect(keys(await w.markets.listJobs({ provider: w.worker.key.publicKey }))).to.deep.equal(
      sorted([jobs.running, jobs.disputed]),
    );
    expect(keys(await w.markets.listJobs({ provider: worker2.key.publicKey }))).to.deep.equal(
      sorted([jobs.submitted]),
    );
    expect(
      keys(
        await w.markets.listJobs({
          client: client2.key.publicKey,
          provider: w.worker.key.publicKey,
          state: "disputed",
        }),
      ),
    ).to.deep.equal(sorted([jobs.disputed]));
    expect(await w.markets.listJobs({ client: w.attacker.key.publicKey })).to.deep.equal([]);
  });

  it("follows a job through its states (quit: back to open, no provider)", async () => {
    const job = await runningJob(w, { by: w.attacker });
    expect(
      keys(await w.markets.listJobs({ client: w.attacker.key.publicKey, state: "running" })),
    ).to.deep.equal(sorted([job]));
    await w.markets.quitJob({ job, provider: w.worker.key });
    expect(
      keys(await w.markets.listJobs({ client: w.attacker.key.publicKey, state: "open" })),
    ).to.deep.equal(sorted([job]));
    expect(keys(await w.markets.listJobs({ provider: w.worker.key.publicKey }))).not.to.include(
      job.toBase58(),
    );
  });

  it("filters on the server: one getProgramAccounts, adjacent fields merged into one memcmp", async () => {
    const connection = w.provider.connection;
    const calls: GetProgramAccountsConfig[] = [];
    const original = connection.getProgramAccounts.bind(connection);
    const spy = (programId: PublicKey, config?: GetProgramAccountsConfig) => {
      expect(programId.equals(w.markets.program.programId)).to.equal(true);
      calls.push(config!);
      return original(programId, config);
    };
    (connection as unknown as { getProgramAccounts: typeof spy }).getProgramAccounts = spy;
    const filter: market.JobFilter = {
      market: w.market,
      provider: w.worker.key.publicKey,
      state: "running",
    };
    try {
      expect(keys(await w.markets.listJobs(filter))).to.deep.equal(sorted([jobs.running]));
    } finally {
      (connection as unknown as { getProgramAccounts: typeof original }).getProgramAccounts =
        original;
    }
    expect(calls).to.have.length(1);
    const memcmps = calls[0].filters!.map((f) => ("memcmp" in f ? f.memcmp : null));
    // Discriminator and market (bytes 0..40) in one memcmp; provider and state (72..105) in
    // another.
    expect(memcmps.map((m) => m?.offset)).to.deep.equal([0, 72]);
    expect(memcmps).to.deep.equal(
      market.jobFilters(filter).map((f) => ("memcmp" in f ? f.memcmp : null)),
    );
  });

  // Solana's RPC (agave, and crucible-localnet like it) refuses more than 4 filters; the job
  // discriminator plus four field memcmps would make 5, so adjacent fields share one memcmp.
  it("lists by market, client, provider and state at once", async () => {
    expect(
      keys(
        await w.markets.listJobs({
          market: w.market,
          client: client2.key.publicKey,
          provider: w.worker.key.publicKey,
          state: "disputed",
        }),
      ),
    ).to.deep.equal(sorted([jobs.disputed]));
  });
});

/** Sums of a job's event amounts: what went where. */
function flows(events: market.Event[]): Record<string, bigint> {
  const sum = { deposited: 0n, paid: 0n, burned: 0n, fee: 0n, refunded: 0n, slashed: 0n };
  for (const { name, data } of events) {
    const n = (k: string) => ((data as Record<string, unknown>)[k] as bigint | undefined) ?? 0n;
    if (name === "jobCreated") sum.deposited += n("price");
    if (["jobCompleted", "disputeResolved"].includes(name)) {
      sum.paid += n("paid");
      sum.burned += n("burned");
      sum.fee += n("fee");
    }
    if (["jobCancelled", "disputeResolved", "jobExpired"].includes(name))
      sum.refunded += n("refunded");
    if (["disputeResolved", "jobExpired"].includes(name)) sum.slashed += n("slashed");
  }
  return sum;
}

describe("market / events", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  /** Runs `steps` in order; returns every market event of their transactions, in order. */
  async function eventsOf(steps: Array<() => Promise<string>>): Promise<market.Event[]> {
    const out: market.Event[] = [];
    for (const step of steps) out.push(...(await marketEvents(w.provider, await step())));
    return out;
  }

  it("tells a completed job's story: created, accepted, quit, accepted, submitted, completed", async () => {
    const nonce = 41n;
    const job = market.jobPda(w.market, w.client.key.publicKey, nonce);
    const other = await stakedParty(w, 200n * TOKEN);
    const events = await eventsOf([
      async () =>
        (
          await w.markets.createJob({
            market: w.market,
            price: PRICE,
            durationSecs: HOUR,
            nonce,
            clientToken: w.client.token,
            client: w.client.key,
          })
        ).signature,
      () => w.markets.acceptJob({ job, provider: other.key }),
      () => w.markets.quitJob({ job, provider: other.key }),
      () => w.markets.acceptJob({ job, provider: w.worker.key }),
      () => w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: w.worker.key }),
      () => w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key }),
    ]);
    expect(events.map((e) => e.name)).to.deep.equal([
      "jobCreated",
      "jobAccepted",
      "jobQuit",
      "jobAccepted",
      "resultSubmitted",
      "jobCompleted",
    ]);
    for (const e of events) expect((e.data as { job: PublicKey }).job.equals(job)).to.equal(true);
    const s = market.settlementSplit(PRICE, 2_000, 500);
    const [done] = market.eventsNamed(events.slice(5), "jobCompleted");
    expect([done.burned, done.fee, done.paid]).to.deep.equal([s.burned, s.fee, s.paid]);
    const f = flows(events);
    expect(f.deposited).to.equal(PRICE);
    expect(f.paid + f.burned + f.fee + f.refunded).to.equal(PRICE);
    expect(await tokenBalance(w.provider, w.worker.token)).to.equal(f.paid);
  });

  it("tells a resolved dispute's, an expired job's and a cancelled job's, each conserving the price", async function () {
    await requiresTimeTravel(this);
    const disputed = await disputedJob(w);
    const dispute = await eventsOf([
      () =>
        w.markets.resolveDispute({
          job: disputed,
          providerShareBps: 2_500,
          slashAmount: 3n,
          slashToClient: false,
          providerToken: w.worker.token,
          clientToken: w.client.token,
          arbiter: w.arbiter,
        }),
    ]);
    expect(dispute.map((e) => e.name)).to.deep.equal(["disputeResolved"]);
    const o = market.disputeOutcome(PRICE, 2_500, 2_000, 500);
    let f = flows(dispute);
    expect([f.refunded, f.paid, f.burned, f.fee, f.slashed]).to.deep.equal([
      o.refunded,
      o.paid,
      o.burned,
      o.fee,
      3n,
    ]);
    expect(f.paid + f.burned + f.fee + f.refunded).to.equal(PRICE);

    const expiring = await runningJob(w, { durationSecs: 60n });
    await warp(w.provider, 61);
    const expired = await eventsOf([
      () => w.markets.reclaimExpired({ job: expiring, clientToken: w.client.token }),
    ]);
    f = flows(expired);
    expect(expired.map((e) => e.name)).to.deep.equal(["jobExpired"]);
    expect([f.refunded, f.slashed]).to.deep.equal([
      PRICE,
      market.expirySlash(market.jobCollateral(PRICE, 5_000, TOKEN), 1_000),
    ]);

    const open = await postJob(w, { price: 5n });
    const cancelled = await eventsOf([
      () => w.markets.cancelJob({ job: open, clientToken: w.client.token, client: w.client.key }),
    ]);
    expect(cancelled.map((e) => e.name)).to.deep.equal(["jobCancelled"]);
    expect(flows(cancelled).refunded).to.equal(5n);
  });

  it("delivers events to a subscription (onEvents)", async () => {
    const job = await submittedJob(w);
    const { callback, promise } =
      deferred<market.EventData["jobCompleted"]>("a jobCompleted event");
    const off = market.onEvents(w.provider.connection, (event) => {
      if (event.name === "jobCompleted" && event.data.job.equals(job)) callback(event.data);
    });
    try {
      await subscribedLast(w);
      await w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key });
      const event = await promise;
      const s = market.settlementSplit(PRICE, 2_000, 500);
      expect([event.burned, event.fee, event.paid]).to.deep.equal([s.burned, s.fee, s.paid]);
    } finally {
      await off();
    }
  });
});

/** Waits until the connection's newest subscription is acknowledged by the server. */
async function subscribedLast(w: MarketWorld): Promise<void> {
  const internals = w.provider.connection as unknown as {
    _subscriptionHashByClientSubscriptionId: Record<number, string | undefined>;
  };
  const ids = Object.keys(internals._subscriptionHashByClientSubscriptionId).map(Number);
  await subscribed(w.provider.connection, Math.max(...ids));
}
