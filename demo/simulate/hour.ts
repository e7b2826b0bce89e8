// One simulated hour, step by step: the hour's token/USD price is written into the price
// account; clients post jobs (in tokens, and in USD as demand says); providers take, work, quit
// or abandon them; clients approve or dispute and the arbiter decides some disputes; the clock
// moves an hour and the cranks run (emission, activation, every window that closed); stakers
// claim once a day; the hour's price, burn, emission and net supply change are recorded.
import { getAccount, getMint } from "@solana/spl-token";
import type { PublicKey } from "@solana/web3.js";

import { emissions, market } from "../../sdk/src";
import { clusterNow } from "../../cli/src/env";
import { readClock, warp } from "../../tests/harness/cheatcodes";
import { microUsdOf, readPrice, usdOf, writePrice } from "./price";
import type { Run } from "./run";
import { DECIMALS, HOUR, TOKEN, TrackedJob, USD_JOBS_PER_HOUR } from "./types";
import { pool } from "./util";
import { workShare } from "./work";

/** Writes hour `hour`'s point of the path into the price account, published at the chain's
 * clock (where the last hour's warp left it), and reads it back as the market will check it. */
export async function publishPrice(run: Run, hour: number): Promise<void> {
  const { connection } = run.world;
  const clock = await readClock(connection);
  const now = BigInt(clock.unixTimestamp);
  const prev = run.price?.publishTime ?? now - BigInt(HOUR);
  await writePrice(connection, run.path[hour], now, prev, BigInt(clock.slot));
  run.price = await readPrice(connection, now);
}

/** Clients post jobs (sometimes for a chosen provider): on the token market about
 * `jobsPerHour`, on the USD market about `demand × USD_JOBS_PER_HOUR`. */
export async function postJobs(run: Run): Promise<void> {
  const { attempt, jobs, o, pick, random } = run;
  const { clients, providers, tokenMarket, usdMarket, priceAccount } = run.world;
  const tokenPosts = Math.max(0, Math.round(o.jobsPerHour * (0.5 + random())));
  const usdPosts = Math.max(0, Math.round(o.demand * USD_JOBS_PER_HOUR * (0.5 + random())));
  const kinds = [
    ...Array<"tokens">(tokenPosts).fill("tokens"),
    ...Array<"usd">(usdPosts).fill("usd"),
  ];
  run.posted = { tokens: 0, usd: 0 };
  await pool(kinds, o.concurrency, async (kind) => {
    const client = pick(clients);
    const target = random() < 0.1 ? pick(providers) : undefined;
    const durationSecs = BigInt(HOUR * (1 + Math.floor(random() * 4)));
    const m = kind === "tokens" ? tokenMarket : usdMarket;
    const posted = await attempt(kind === "tokens" ? "create_job" : "create_job_usd", async () => {
      let job;
      if (kind === "tokens") {
        const price =
          BigInt(10 + Math.floor(random() * 490)) * TOKEN +
          BigInt(Math.floor(random() * 1_000_000));
        ({ job } = await client.markets.createJob({
          market: m,
          price,
          durationSecs,
          clientToken: client.token,
          targetProvider: target?.key.publicKey,
        }));
      } else {
        // $50 to $300, in whole cents; the client allows the SDK's expected tokens at this
        // hour's price plus its slippage margin.
        const priceMicroUsd = BigInt(5_000 + Math.floor(random() * 25_000)) * 10_000n;
        const expected = market.tokensForMicroUsd(priceMicroUsd, run.price!, DECIMALS);
        const maxTokens = (expected * BigInt(10_000 + (o.slippageBps ?? 100))) / 10_000n;
        ({ job } = await client.markets.createJobUsd({
          market: m,
          priceMicroUsd,
          maxTokens,
          priceUpdate: priceAccount,
          durationSecs,
          clientToken: client.token,
          targetProvider: target?.key.publicKey,
        }));
      }
      const t: TrackedJob = { address: job, market: m, client, state: "open" };
      jobs.push(t);
    });
    if (posted) run.posted[kind]++;
  });
}

/** Clients cancel some open jobs; providers take the others, then work, quit or go silent. */
export async function workJobs(run: Run): Promise<void> {
  const { attempt, close, jobs, o, pick, random } = run;
  const { providers } = run.world;
  const open = jobs.filter((j) => j.state === "open");
  await pool(open, o.concurrency, async (j) => {
    if (random() < 0.03) {
      if (
        await attempt("cancel_job", () =>
          j.client.markets.cancelJob({ job: j.address, clientToken: j.client.token }),
        )
      )
        close(j, "cancelled");
      return;
    }
    // A provider takes it (the target if there is one), then works, quits or goes silent.
    const job = await j.client.markets.fetchJob(j.address);
    if (!job) return;
    const candidates = job.targetProvider
      ? providers.filter((p) => p.key.publicKey.equals(job.targetProvider!))
      : providers;
    const provider = pick(candidates);
    if (!(await attempt("accept_job", () => provider.markets.acceptJob({ job: j.address }))))
      return;
    j.provider = provider;
    j.state = "running";
    const r = random();
    j.plan = r < 0.85 ? "submit" : r < 0.9 ? "quit" : "expire";
    if (j.plan === "quit") {
      if (await attempt("quit_job", () => provider.markets.quitJob({ job: j.address }))) {
        j.state = "open";
        j.provider = undefined;
      }
    } else if (j.plan === "submit") {
      const hash = new Uint8Array(32).map(() => Math.floor(random() * 256));
      if (
        await attempt("submit_result", () =>
          provider.markets.submitResult({ job: j.address, resultHash: hash }),
        )
      ) {
        j.state = "submitted";
        const v = random();
        j.verdict = v < 0.75 ? "complete" : v < 0.9 ? "leave" : "dispute";
      }
    }
  });
  // Clients approve or dispute what was submitted; the arbiter decides some disputes.
}

/** Clients approve or dispute what was submitted; the arbiter decides some disputes. */
export async function settleJobs(run: Run): Promise<void> {
  const { attempt, close, jobs, o, random } = run;
  const { arbiterClient } = run.world;
  await pool(
    jobs.filter((j) => j.state === "submitted" && j.verdict !== "leave"),
    o.concurrency,
    async (j) => {
      if (j.verdict === "complete") {
        const ok = await attempt("complete_job", () =>
          j.client.markets.completeJob({ job: j.address, providerToken: j.provider!.token }),
        );
        if (ok) close(j, "completed");
      } else if (
        await attempt("dispute_job", () => j.client.markets.disputeJob({ job: j.address }))
      ) {
        j.state = "disputed";
        j.arbitrate = random() < 0.6;
      }
    },
  );
  await pool(
    jobs.filter((j) => j.state === "disputed" && j.arbitrate),
    o.concurrency,
    async (j) => {
      const job = await arbiterClient.fetchJob(j.address);
      if (!job) return;
      const share = Math.floor(random() * 10_001);
      const slash =
        random() < 0.5 ? (job.collateral * BigInt(Math.floor(random() * 100))) / 100n : 0n;
      const ok = await attempt("resolve_dispute", () =>
        arbiterClient.resolveDispute({
          job: j.address,
          providerShareBps: share,
          slashAmount: slash,
          slashToClient: random() < 0.5,
          providerToken: j.provider!.token,
          clientToken: j.client.token,
        }),
      );
      if (ok) close(j, "dispute resolved");
    },
  );
}

/** The hour passes (the validator's clock travels an hour ahead: `surfnet_timeTravel`); cranks: emissions, activation, then every
 * window that closed (from a listing). */
export async function crankHour(run: Run): Promise<void> {
  const { attempt, close, jobs, o } = run;
  const { adminEmissions, adminMarkets, connection, mint, providers, vault } = run.world;
  await warp({ connection }, HOUR);
  run.payments = [];
  await attempt("emit", async () => {
    const signature = await adminEmissions.emit({ vault });
    const tx = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    for (const e of emissions.parseEvents(tx?.meta?.logMessages ?? []))
      if (e.name === "emitted")
        for (const p of e.data.payments as Array<{ tokenAccount: PublicKey; amount: unknown }>)
          run.payments.push({ tokenAccount: p.tokenAccount, amount: BigInt(String(p.amount)) });
  });
  // The work pool finalizes the hour the vault has just paid: what its providers share, and the
  // rest to the destination.
  run.workFinalized = [];
  await attempt("crank_work_pool", async () => {
    for (const signature of await adminEmissions.crankWorkPool(run.world.workPool)) {
      const tx = await connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      for (const e of emissions.parseEvents(tx?.meta?.logMessages ?? []))
        if (e.name === "workHourFinalized")
          run.workFinalized.push({
            emission: BigInt(String(e.data.emission)),
            distributable: BigInt(String(e.data.distributable)),
          });
    }
    return "";
  });
  // New stake warms up for an hour, then earns once activated (the vault has just paid every
  // hour due, so nothing before now goes to it).
  if (!run.activated) {
    for (const p of providers)
      await attempt("activate_stake", () => p.staking.activateStake({ mint }));
    run.activated = true;
  }
  const clock = await clusterNow(connection);
  const due = (await adminMarkets.listJobs({})).filter(
    ({ account: a }) =>
      (a.state === "submitted" && clock > a.disputeDeadline) ||
      (a.state === "disputed" && clock > a.disputedAt + a.arbitrationWindowSecs) ||
      (a.state === "running" && clock > a.deadline),
  );
  await pool(due, o.concurrency, async ({ address, account: a }) => {
    const j = jobs.find((t) => t.address.equals(address));
    if (!j) return;
    if (a.state === "submitted") {
      if (
        await attempt("finalize_job", () =>
          adminMarkets.finalizeJob({ job: address, providerToken: j.provider!.token }),
        )
      )
        close(j, "finalized");
    } else if (a.state === "disputed") {
      const ok = await attempt("finalize_dispute", () =>
        adminMarkets.finalizeDispute({
          job: address,
          providerToken: j.provider!.token,
          clientToken: j.client.token,
        }),
      );
      if (ok) close(j, "dispute defaulted");
    } else if (
      await attempt("reclaim_expired", () =>
        adminMarkets.reclaimExpired({ job: address, clientToken: j.client.token }),
      )
    ) {
      close(j, "expired");
    }
  });
}

/** Stakers claim once a day, their work rewards with their staking rewards. */
export async function claimRewards(run: Run, hour: number): Promise<void> {
  const { attempt, o } = run;
  const { adminEmissions, mint, providers, workPool } = run.world;
  if ((hour + 1) % 24 === 0) {
    await pool(providers, o.concurrency, async (p) => {
      const pending = await p.staking.pendingRewards(mint);
      if (
        pending > 0n &&
        (await attempt("claim_rewards", () =>
          p.staking.claimRewards({ mint, destination: p.token }),
        ))
      )
        run.claimed += pending;
      await attempt("claim_work_reward", async () => {
        const c = await adminEmissions.claimWorkRewards({
          pool: workPool,
          provider: p.key.publicKey,
          providerToken: p.token,
        });
        run.workClaimed += c.amount;
        return c.signatures[0] ?? "";
      });
    });
  }
}

/** Records the hour: its price, burn (tokens and USD), emission and its split, net supply
 * change, supply, and jobs closed. */
export async function recordHour(run: Run, hour: number, supplyStart: bigint): Promise<void> {
  const { hours, jobs, o, payments } = run;
  const { adminEmissions, connection, mint, rewardVault, treasury, vault, vaultTokens } = run.world;
  const supply = (await getMint(connection, mint, "confirmed")).supply;
  const unemitted = (await getAccount(connection, vaultTokens, "confirmed")).amount;
  const v = (await adminEmissions.fetchVault(vault))!;
  const before = hours.length ? BigInt(hours[hours.length - 1].supply) : supplyStart;
  const burned = before - supply;
  const emitted = payments.reduce((s, p) => s + p.amount, 0n);
  const paidTo = (account: PublicKey) =>
    payments.filter((p) => p.tokenAccount.equals(account)).reduce((s, p) => s + p.amount, 0n);
  const work = workShare(payments, run.world.workTokens, run.workFinalized);
  const price = run.price!;
  hours.push({
    hour: hour + 1,
    price: {
      price: price.price.toString(),
      conf: price.conf.toString(),
      exponent: price.exponent,
      publishTime: price.publishTime.toString(),
    },
    priceUsd: usdOf(price),
    jobsPosted: { ...run.posted },
    supply: supply.toString(),
    circulatingSupply: (supply - unemitted).toString(),
    burned: burned.toString(),
    burnedMicroUsd: microUsdOf(burned, price).toString(),
    emitted: emitted.toString(),
    emittedToStake: paidTo(rewardVault).toString(),
    emittedToTreasury: paidTo(treasury).toString(),
    emittedToWork: work.emittedToWork.toString(),
    workToProviders: work.workToProviders.toString(),
    workCapBinding: work.workCapBinding,
    netSupplyChange: (emitted - burned).toString(),
    cumulativeBurned: (supplyStart - supply).toString(),
    cumulativeEmitted: v.totalEmitted.toString(),
    jobsClosed: jobs.filter((j) => j.state === "closed").length,
  });
  o.progress?.(
    hour + 1,
    o.hours,
    `$${usdOf(price).toFixed(4)}  ${jobs.length} jobs, ${run.transactions} transactions`,
  );
}

/** Simulates hour `hour` (from 0). */
export async function simulateHour(run: Run, hour: number, supplyStart: bigint): Promise<void> {
  await publishPrice(run, hour);
  await postJobs(run);
  await workJobs(run);
  await settleJobs(run);
  await crankHour(run);
  await claimRewards(run, hour);
  await recordHour(run, hour, supplyStart);
}
