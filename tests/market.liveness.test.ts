// Liveness of a client's payment, attacked through the SDK over RPC: a provider bundling
// quit_job + accept_job in one transaction before each deadline, providers taking turns, the
// lifetime bound, late and early quits. Every rejection asserts the exact error name and that no
// balance, lamport or account byte moved; the client ends whole, with exact balances.
import { PublicKey, Signer, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";

import { market, staking } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { expectRejected, lamportsOf, TOKEN } from "./harness/fixtures";
import {
  tokenBalance,
  chainTime,
  DAY,
  HOUR,
  jobOf,
  marketEvents,
  MarketWorld,
  marketWorld,
  Party,
  poolOf,
  postJob,
  PRICE,
  sendAs,
  stakedParty,
  stakeOf,
  untouched,
} from "./harness/market";

const ix = market.instructions;
const COLLATERAL = market.jobCollateral(PRICE, 5_000, TOKEN);
const SLASH = market.expirySlash(COLLATERAL, 1_000);

async function warpTo(w: MarketWorld, at: bigint): Promise<void> {
  const now = await chainTime(w.provider);
  if (at < now) throw new Error(`cannot warp back from ${now} to ${at}`);
  if (at > now) await warp(w.provider, Number(at - now));
}

async function quitIx(w: MarketWorld, job: PublicKey, p: Party): Promise<TransactionInstruction> {
  const ctx = await w.markets.context(w.market);
  return ix.quitJob({ ctx, provider: p.key.publicKey, job, clientToken: w.client.token });
}

async function acceptIx(w: MarketWorld, job: PublicKey, p: Party): Promise<TransactionInstruction> {
  const ctx = await w.markets.context(w.market);
  return ix.acceptJob({ ctx, provider: p.key.publicKey, job });
}

/** quit_job by `from` and accept_job by `to` in one transaction. */
async function handOver(w: MarketWorld, job: PublicKey, from: Party, to: Party): Promise<string> {
  const signers: Signer[] = from === to ? [from.key] : [from.key, to.key];
  return sendAs(w, [await quitIx(w, job, from), await acceptIx(w, job, to)], signers);
}

/** What a rejection must leave as it was, the stakes, tokens and lamports of `providers` too. */
async function still(w: MarketWorld, job: PublicKey, providers: Party[]) {
  const { pool } = poolOf(w.mint);
  return untouched(w, [job], {
    accounts: providers.map((p) => staking.providerStakePda(pool, p.key.publicKey)),
    lamports: providers.map((p) => p.key.publicKey),
    tokens: providers.map((p) => p.token),
  });
}

describe("market / liveness: bundled quit and re-accept", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("refuses the re-accept five times over (AlreadyQuit): the deadline never moves, the client recovers at it", async function () {
    await requiresTimeTravel(this);
    const clientTokens = await tokenBalance(w.provider, w.client.token);
    const job = await postJob(w);
    await w.markets.acceptJob({ job, provider: w.worker.key });
    const accepted = await jobOf(w, job);
    expect(accepted.deadline <= accepted.lifetimeEndsAt).to.equal(true);
    for (const t of [600n, 1_200n, 1_800n, 2_400n, HOUR - 1n]) {
      await warpTo(w, accepted.acceptedAt + t);
      await expectRejected(
        w.provider,
        () => handOver(w, job, w.worker, w.worker),
        "AlreadyQuit",
        await still(w, job, [w.worker]),
      );
      const j = await jobOf(w, job);
      expect([j.state, j.deadline, j.quitters.length]).to.deep.equal([
        "running",
        accepted.deadline,
        0,
      ]);
    }
    await warpTo(w, accepted.deadline + 1n);
    await w.markets.reclaimExpired({ job, clientToken: w.client.token });
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(clientTokens + SLASH);
    const s = await stakeOf(w, w.worker.key.publicKey);
    expect([s.locked, s.slashedTotal, s.jobsFailed]).to.deep.equal([0n, SLASH, 1n]);
  });

  it("refuses a re-accept by the quitter in a later transaction too (AlreadyQuit); the client cancels", async () => {
    const clientTokens = await tokenBalance(w.provider, w.client.token);
    const job = await postJob(w);
    await w.markets.acceptJob({ job, provider: w.worker.key });
    await w.markets.quitJob({ job, provider: w.worker.key, clientToken: w.client.token });
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: w.worker.key }),
      "AlreadyQuit",
      await still(w, job, [w.worker]),
    );
    await w.markets.cancelJob({ job, clientToken: w.client.token, client: w.client.key });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(clientTokens);
  });
});

describe("market / liveness: providers taking turns", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("lets A hand over to B, refuses B handing back to A (AlreadyQuit), and stops after four quitters (QuitLimitReached)", async function () {
    await requiresTimeTravel(this);
    const clientTokens = await tokenBalance(w.provider, w.client.token);
    const others: Party[] = [];
    for (let i = 0; i < 5; i++) others.push(await stakedParty(w, 200n * TOKEN));
    const [b, c, d, e, f] = others;
    const job = await postJob(w);
    await w.markets.acceptJob({ job, provider: w.worker.key });
    await handOver(w, job, w.worker, b);
    let j = await jobOf(w, job);
    expect(j.provider!.equals(b.key.publicKey)).to.equal(true);
    expect((await stakeOf(w, w.worker.key.publicKey)).locked).to.equal(0n);
    expect((await stakeOf(w, b.key.publicKey)).locked).to.equal(COLLATERAL);
    await expectRejected(
      w.provider,
      () => handOver(w, job, b, w.worker),
      "AlreadyQuit",
      await still(w, job, [w.worker, b]),
    );
    await handOver(w, job, b, c);
    await handOver(w, job, c, d);
    await handOver(w, job, d, e);
    j = await jobOf(w, job);
    expect(j.quitters.map((k) => k.toBase58())).to.deep.equal(
      [w.worker, b, c, d].map((p) => p.key.publicKey.toBase58()),
    );
    await expectRejected(
      w.provider,
      () => handOver(w, job, e, f),
      "QuitLimitReached",
      await still(w, job, [e, f]),
    );
    // Every hand-over was free (within the grace); E lets the job expire and pays the slash.
    for (const p of [w.worker, b, c, d]) {
      const s = await stakeOf(w, p.key.publicKey);
      expect([s.locked, s.slashedTotal, s.jobsFailed]).to.deep.equal([0n, 0n, 0n]);
    }
    await warpTo(w, j.deadline + 1n);
    await w.markets.reclaimExpired({ job, clientToken: w.client.token });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(clientTokens + SLASH);
    expect((await stakeOf(w, e.key.publicKey)).slashedTotal).to.equal(SLASH);
  });
});

describe("market / liveness: the lifetime bound", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    // A job of one day lives two: the bound is what stops the rotation.
    w = await marketWorld({
      params: { maxDurationSecs: DAY, jobLifetimeSecs: 2n * DAY, quitGraceSecs: HOUR },
    });
  });

  it("refuses a hand-over whose deadline would pass the bound (LifetimeExceeded); the client recovers at the bound", async function () {
    await requiresTimeTravel(this);
    const clientTokens = await tokenBalance(w.provider, w.client.token);
    const b = await stakedParty(w, 200n * TOKEN);
    const c = await stakedParty(w, 200n * TOKEN);
    const job = await postJob(w, { durationSecs: DAY });
    const created = await jobOf(w, job);
    expect(created.lifetimeEndsAt).to.equal(created.createdAt + 2n * DAY);
    await w.markets.acceptJob({ job, provider: w.worker.key });
    // Ten seconds before its deadline A hands the job to B: a late quit, A pays the slash.
    await warpTo(w, (await jobOf(w, job)).deadline - 10n);
    const signature = await handOver(w, job, w.worker, b);
    const quit = market.eventsNamed(await marketEvents(w.provider, signature), "jobQuit")[0];
    expect([quit.slashed, quit.collateral]).to.deep.equal([SLASH, COLLATERAL - SLASH]);
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(clientTokens - PRICE + SLASH);
    const j = await jobOf(w, job);
    expect(j.deadline <= j.lifetimeEndsAt).to.equal(true);
    // Ten seconds before B's deadline, B tries to hand it to C: past the bound.
    await warpTo(w, j.deadline - 10n);
    await expectRejected(
      w.provider,
      () => handOver(w, job, b, c),
      "LifetimeExceeded",
      await still(w, job, [b, c]),
    );
    // B holds on; past the bound the client takes everything back.
    await warpTo(w, j.lifetimeEndsAt + 1n);
    await w.markets.reclaimExpired({ job, clientToken: w.client.token });
    expect(await w.markets.fetchJob(job)).to.equal(null);
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(clientTokens + 2n * SLASH);
    for (const [p, failed, slashed] of [
      [w.worker, 1n, SLASH],
      [b, 1n, SLASH],
      [c, 0n, 0n],
    ] as const) {
      const s = await stakeOf(w, p.key.publicKey);
      expect([s.locked, s.jobsFailed, s.slashedTotal]).to.deep.equal([0n, failed, slashed]);
    }
  });

  it("near the bound nobody can accept (LifetimeExceeded) and the client cancels", async function () {
    await requiresTimeTravel(this);
    const clientTokens = await tokenBalance(w.provider, w.client.token);
    const job = await postJob(w, { durationSecs: DAY });
    const created = await jobOf(w, job);
    await warpTo(w, created.lifetimeEndsAt - DAY + 1n);
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job, provider: w.worker.key }),
      "LifetimeExceeded",
      await still(w, job, [w.worker]),
    );
    await w.markets.cancelJob({ job, clientToken: w.client.token, client: w.client.key });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(clientTokens);
  });
});

describe("market / quit_job: the grace window", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("costs the expiry slash after the grace window: exact tokens to the client, the rest unlocked", async function () {
    await requiresTimeTravel(this);
    const job = await postJob(w);
    await w.markets.acceptJob({ job, provider: w.worker.key });
    const j = await jobOf(w, job);
    await warpTo(w, j.acceptedAt + j.quitGraceSecs + 1n);
    const { stakeVault } = poolOf(w.mint);
    const [client0, vault0, escrow0, worker0] = await Promise.all([
      tokenBalance(w.provider, w.client.token),
      tokenBalance(w.provider, stakeVault),
      tokenBalance(w.provider, market.escrowPda(job)),
      lamportsOf(w.provider, w.worker.key.publicKey),
    ]);
    const signature = await w.markets.quitJob({
      job,
      provider: w.worker.key,
      clientToken: w.client.token,
    });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(client0 + SLASH);
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(vault0 - SLASH);
    expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(escrow0);
    // The wallet paid the fee; the provider only signed.
    expect(await lamportsOf(w.provider, w.worker.key.publicKey)).to.equal(worker0);
    const s = await stakeOf(w, w.worker.key.publicKey);
    expect([s.active, s.locked, s.slashedTotal, s.jobsFailed]).to.deep.equal([
      500n * TOKEN - SLASH,
      0n,
      SLASH,
      1n,
    ]);
    const e = market.eventsNamed(await marketEvents(w.provider, signature), "jobQuit")[0];
    expect([e.collateral, e.slashed, e.quitterCount]).to.deep.equal([COLLATERAL - SLASH, SLASH, 1]);
    expect((await jobOf(w, job)).state).to.equal("open");
  });

  it("is free up to the last second of the grace window, and the window is at most half the job", async function () {
    await requiresTimeTravel(this);
    const job = await postJob(w);
    await w.markets.acceptJob({ job, provider: w.worker.key });
    const j = await jobOf(w, job);
    expect(j.quitGraceSecs).to.equal(600n);
    await warpTo(w, j.acceptedAt + 600n);
    const client0 = await tokenBalance(w.provider, w.client.token);
    await w.markets.quitJob({ job, provider: w.worker.key, clientToken: w.client.token });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(client0);
    let s = await stakeOf(w, w.worker.key.publicKey);
    expect([s.locked, s.slashedTotal, s.jobsFailed]).to.deep.equal([0n, 0n, 0n]);
    // A 10-minute job: 5 minutes free at most, so a quit at its deadline always pays.
    const short = await postJob(w, { durationSecs: 600n });
    expect((await jobOf(w, short)).quitGraceSecs).to.equal(300n);
    await w.markets.acceptJob({ job: short, provider: w.worker.key });
    await warpTo(w, (await jobOf(w, short)).deadline);
    await w.markets.quitJob({ job: short, provider: w.worker.key, clientToken: w.client.token });
    expect(await tokenBalance(w.provider, w.client.token)).to.equal(client0 - PRICE + SLASH);
    s = await stakeOf(w, w.worker.key.publicKey);
    expect(s.slashedTotal).to.equal(SLASH);
  });

  it("rejects a late quit's slash to an account that is not the client's (WrongClientAccount)", async function () {
    await requiresTimeTravel(this);
    const job = await postJob(w);
    await w.markets.acceptJob({ job, provider: w.worker.key });
    const j = await jobOf(w, job);
    await warpTo(w, j.acceptedAt + j.quitGraceSecs + 1n);
    await expectRejected(
      w.provider,
      () => w.markets.quitJob({ job, provider: w.worker.key, clientToken: w.worker.token }),
      "WrongClientAccount",
      await still(w, job, [w.worker]),
    );
  });
});
