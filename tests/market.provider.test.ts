// The provider's instructions through the SDK over RPC: accept_job (collateral locked from free
// stake through the staking program), quit_job and submit_result. Each rejection asserts the
// exact error name and that no balance, lamport or account byte moved.
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { market, staking } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { expectError, expectRejected, snapshot, TOKEN, tokenAccount } from "./harness/fixtures";
import {
  chainTime,
  HOUR,
  jobOf,
  marketEvent,
  MarketWorld,
  marketWorld,
  Party,
  postJob,
  PRICE,
  runningJob,
  sendAs,
  stakedParty,
  stakeOf,
  submittedJob,
  swapAccount,
  untouched,
} from "./harness/market";

const ix = market.instructions;

/** `party`'s stake account in the network's pool. */
function stakeAccount(w: MarketWorld, party: Party): PublicKey {
  return staking.providerStakePda(staking.poolPda(w.mint), party.key.publicKey);
}

describe("market / accept_job", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("locks the job's collateral from the provider's free stake and starts the deadline; no token moves", async () => {
    const job = await postJob(w, { durationSecs: 2n * HOUR });
    const collateral = market.jobCollateral(PRICE, 5_000, TOKEN);
    const before = await untouched(w, [job]);
    const tokens = await snapshot(w.provider, before.tokens!);
    const signature = await w.markets.acceptJob({ job, provider: w.worker.key });
    const now = await chainTime(w.provider);
    const j = await jobOf(w, job);
    expect(j.state).to.equal("running");
    expect(j.provider!.equals(w.worker.key.publicKey)).to.equal(true);
    expect([j.acceptedAt, j.deadline]).to.deep.equal([now, now + 2n * HOUR]);
    const s = await stakeOf(w, w.worker.key.publicKey);
    expect([s.active, s.locked]).to.deep.equal([500n * TOKEN, collateral]);
    expect(await snapshot(w.provider, before.tokens!)).to.deep.equal(tokens);
    const e = await marketEvent(w.provider, signature, "jobAccepted");
    expect((e.provider as PublicKey).equals(w.worker.key.publicKey)).to.equal(true);
    expect([e.collateral, e.deadline]).to.deep.equal([collateral, now + 2n * HOUR]);
  });

  it("takes a job reserved for this provider, and up to exactly the free stake", async () => {
    // 100 staked: a job of price 200 needs 100 of collateral, all of it.
    const thin = await stakedParty(w, 100n * TOKEN);
    const job = await postJob(w, { price: 200n * TOKEN, targetProvider: thin.key.publicKey });
    await w.markets.acceptJob({ job, provider: thin.key });
    const s = await stakeOf(w, thin.key.publicKey);
    expect([s.active, s.locked]).to.deep.equal([100n * TOKEN, 100n * TOKEN]);
  });

  it("never lets a job be posted that no provider can accept: markets need a minimum collateral", async () => {
    // A job with zero collateral could not be locked; the market bounds refuse min_collateral = 0
    // (InvalidMinCollateral), so every job locks at least one unit.
    await expectError(marketWorld({ params: { minCollateral: 0n } }), "InvalidMinCollateral");
    const job = await postJob(w, { price: 1n });
    expect((await jobOf(w, job)).collateral).to.equal(TOKEN);
  });

  it("rejects a provider whose active stake is below the market's minimum (StakeBelowMarketMinimum)", async () => {
    const small = await stakedParty(w, 100n * TOKEN - 1n);
    const job = await postJob(w, { price: TOKEN });
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: small.key }),
      "StakeBelowMarketMinimum",
      await untouched(w, [job], {
        lamports: [small.key.publicKey],
        accounts: [stakeAccount(w, small)],
      }),
    );
  });

  it("rejects a provider whose free stake does not cover the collateral (InsufficientFreeStake)", async () => {
    const thin = await stakedParty(w, 150n * TOKEN);
    await runningJob(w, { price: 100n * TOKEN, provider: thin }); // locks 50 of 150
    const job = await postJob(w, { price: 200n * TOKEN + 2n }); // needs 100 tokens and 1 unit
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: thin.key }),
      "InsufficientFreeStake",
      await untouched(w, [job], {
        lamports: [thin.key.publicKey],
        accounts: [stakeAccount(w, thin)],
      }),
    );
  });

  it("rejects a job reserved for another provider (NotTargetProvider)", async () => {
    const other = await stakedParty(w, 200n * TOKEN);
    const job = await postJob(w, { targetProvider: other.key.publicKey });
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: w.worker.key }),
      "NotTargetProvider",
      await untouched(w, [job]),
    );
  });

  it("rejects a client taking its own job (ProviderIsClient)", async () => {
    const wallet = await tokenAccount(w.provider, w.mint, w.worker.key.publicKey, PRICE);
    const job = await postJob(w, { by: { key: w.worker.key, token: wallet } });
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: w.worker.key }),
      "ProviderIsClient",
      await untouched(w, [job], { tokens: [wallet] }),
    );
  });

  it("rejects the stake account of another provider in place of the signer's (ConstraintSeeds)", async () => {
    const rich = await stakedParty(w, 1_000n * TOKEN);
    const job = await postJob(w);
    const ctx = await w.markets.context(w.market);
    // The attacker has no stake and the worker a stake of its own: neither may name the rich
    // provider's, whose seeds are not theirs.
    for (const signer of [w.attacker, w.worker]) {
      const accept = ix.acceptJob({ ctx, provider: signer.key.publicKey, job });
      await expectRejected(
        w.provider,
        () =>
          sendAs(
            w,
            [swapAccount(accept, stakeAccount(w, signer), stakeAccount(w, rich))],
            [signer.key],
          ),
        "ConstraintSeeds",
        await untouched(w, [job], { accounts: [stakeAccount(w, rich)] }),
      );
    }
  });

  it("rejects a job of one market passed with another market (ConstraintSeeds)", async () => {
    const b = await marketWorld();
    const job = await postJob(w);
    const ctxB = await b.markets.context(b.market);
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [ix.acceptJob({ ctx: ctxB, provider: w.worker.key.publicKey, job })],
          [w.worker.key],
        ),
      "ConstraintSeeds",
      await untouched(w, [job], { accounts: [b.market] }),
    );
  });

  it("rejects a job that is already running (JobNotOpen)", async () => {
    const job = await runningJob(w);
    const other = await stakedParty(w, 200n * TOKEN);
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: other.key }),
      "JobNotOpen",
      await untouched(w, [job], { accounts: [stakeAccount(w, other)] }),
    );
  });

  it("rejects an acceptance in a paused market (MarketPaused)", async () => {
    const job = await postJob(w);
    await w.markets.setMarketPaused({ market: w.market, paused: true });
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: w.worker.key }),
      "MarketPaused",
      await untouched(w, [job]),
    );
  });
});

describe("market / quit_job", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("gives a running job back within its grace window for free: the collateral unlocked, the job open to others", async function () {
    await requiresTimeTravel(this);
    const job = await runningJob(w);
    const j = await jobOf(w, job);
    expect(j.quitGraceSecs).to.equal(600n);
    // The last second of the grace window (a later quit costs the expiry slash).
    await warp(w.provider, Number(j.acceptedAt + j.quitGraceSecs - (await chainTime(w.provider))));
    const tokens = await snapshot(w.provider, (await untouched(w, [job])).tokens!);
    const signature = await w.markets.quitJob({
      job,
      provider: w.worker.key,
      clientToken: w.client.token,
    });
    expect(await snapshot(w.provider, (await untouched(w, [job])).tokens!)).to.deep.equal(tokens);
    const q = await jobOf(w, job);
    expect(q.state).to.equal("open");
    expect(q.provider).to.equal(null);
    expect([q.acceptedAt, q.deadline]).to.deep.equal([0n, 0n]);
    const s = await stakeOf(w, w.worker.key.publicKey);
    expect([s.locked, s.jobsCompleted, s.jobsFailed]).to.deep.equal([0n, 0n, 0n]);
    const e = await marketEvent(w.provider, signature, "jobQuit");
    expect((e.provider as PublicKey).equals(w.worker.key.publicKey)).to.equal(true);
    expect([e.collateral, e.slashed, e.quitterCount]).to.deep.equal([j.collateral, 0n, 1]);
    expect(q.quitters.map((k) => k.toBase58())).to.deep.equal([w.worker.key.publicKey.toBase58()]);

    // Another provider takes it and finishes it.
    const next = await stakedParty(w, 200n * TOKEN);
    await w.markets.acceptJob({ job, provider: next.key });
    expect((await stakeOf(w, next.key.publicKey)).locked).to.equal(j.collateral);
    await w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: next.key });
    await w.markets.completeJob({ job, providerToken: next.token, client: w.client.key });
    expect((await stakeOf(w, next.key.publicKey)).locked).to.equal(0n);
  });

  it("rejects a provider who is not the job's (NotJobProvider)", async () => {
    const job = await runningJob(w);
    const other = await stakedParty(w, 200n * TOKEN);
    await expectRejected(
      w.provider,
      () => w.markets.quitJob({ job, provider: other.key }),
      "NotJobProvider",
      await untouched(w, [job], { accounts: [stakeAccount(w, other)] }),
    );
    // An open job has no provider at all.
    const open = await postJob(w);
    await expectRejected(
      w.provider,
      () => w.markets.quitJob({ job: open, provider: w.worker.key }),
      "NotJobProvider",
      await untouched(w, [open]),
    );
  });

  it("rejects quitting after the deadline (DeadlinePassed): the job can only expire", async function () {
    await requiresTimeTravel(this);
    const job = await runningJob(w);
    await warp(w.provider, Number(HOUR) + 1);
    await expectRejected(
      w.provider,
      () => w.markets.quitJob({ job, provider: w.worker.key }),
      "DeadlinePassed",
      await untouched(w, [job]),
    );
  });

  it("rejects quitting a submitted job (JobNotRunning)", async () => {
    const job = await submittedJob(w);
    await expectRejected(
      w.provider,
      () => w.markets.quitJob({ job, provider: w.worker.key }),
      "JobNotRunning",
      await untouched(w, [job]),
    );
  });
});

describe("market / submit_result", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("records the result up to the deadline and opens the dispute window; no token moves", async function () {
    await requiresTimeTravel(this);
    const job = await runningJob(w);
    const j = await jobOf(w, job);
    await warp(w.provider, Number(j.deadline - (await chainTime(w.provider)))); // at the deadline
    const hash = new Uint8Array(32).map((_, i) => 255 - i);
    const signature = await w.markets.submitResult({
      job,
      resultHash: hash,
      provider: w.worker.key,
    });
    const now = await chainTime(w.provider);
    expect(now).to.equal(j.deadline);
    const s = await jobOf(w, job);
    expect(s.state).to.equal("submitted");
    expect([...s.resultHash]).to.deep.equal([...hash]);
    expect([s.submittedAt, s.disputeDeadline]).to.deep.equal([now, now + 72n * HOUR]);
    expect((await stakeOf(w, w.worker.key.publicKey)).locked).to.equal(j.collateral);
    const e = await marketEvent(w.provider, signature, "resultSubmitted");
    expect([...(e.resultHash as number[])]).to.deep.equal([...hash]);
    expect(e.disputeDeadline).to.equal(now + 72n * HOUR);
  });

  it("rejects a result after the deadline (DeadlinePassed)", async function () {
    await requiresTimeTravel(this);
    const job = await runningJob(w);
    await warp(w.provider, Number(HOUR) + 1);
    await expectRejected(
      w.provider,
      () => w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: w.worker.key }),
      "DeadlinePassed",
      await untouched(w, [job]),
    );
  });

  it("rejects a signer who is not the job's provider (NotJobProvider)", async () => {
    const job = await runningJob(w);
    for (const signer of [w.attacker.key, w.client.key]) {
      await expectRejected(
        w.provider,
        () => w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: signer }),
        "NotJobProvider",
        await untouched(w, [job]),
      );
    }
  });

  it("rejects a second result (JobNotRunning)", async () => {
    const job = await submittedJob(w);
    await expectRejected(
      w.provider,
      () =>
        w.markets.submitResult({
          job,
          resultHash: new Uint8Array(32).fill(1),
          provider: w.worker.key,
        }),
      "JobNotRunning",
      await untouched(w, [job]),
    );
  });
});
