// The demo's report: token flows summed from the programs' events, the chain read at the end,
// and DESIGN.md's conservation checks between the two.
import { getAccount, getMint } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";

import { emissions, market, staking } from "../../sdk/src";
import { balanceChecks, regimeOf } from "./balance";
import type { EventLog } from "./events";
import type { World } from "./network";
import type { Run } from "./run";
import type { Check, DemoReport, TrackedJob } from "./types";

type Data = Record<string, unknown>;

/** The balances the checks compare against, read before the first hour. */
export interface Start {
  supply: bigint;
  treasury: bigint;
  /** Settlements pay their fees into the fee vault; a sweep at the end moves them on. */
  feeVault: bigint;
  /** What the vault had emitted before the first hour (0 on a new vault). */
  emitted: bigint;
}

export async function readStart(w: World): Promise<Start> {
  return {
    supply: (await getMint(w.connection, w.mint, "confirmed")).supply,
    treasury: (await getAccount(w.connection, w.treasury, "confirmed")).amount,
    feeVault: (await getAccount(w.connection, market.feeVaultPda(), "confirmed")).amount,
    emitted: (await w.adminEmissions.fetchVault(w.vault))!.totalEmitted,
  };
}

/** The sum of fields `ks` over events `xs` (a missing field counts zero). */
const sum = (xs: Data[], ...ks: string[]) =>
  xs.reduce((s, e) => s + ks.reduce((t, k) => t + ((e[k] as bigint) ?? 0n), 0n), 0n);

/** Token flows, from the events. */
function flows(events: EventLog) {
  const ev = (name: string) =>
    events.market.filter((e) => e.name === name).map((e) => e.data as Data);
  const created = ev("jobCreated");
  const completed = ev("jobCompleted");
  const resolved = ev("disputeResolved");
  const cancelled = ev("jobCancelled");
  const expired = ev("jobExpired");
  const slashedEvents = events.staking.filter((e) => e.name === "slashed").map((e) => e.data);
  return {
    created,
    completed,
    resolved,
    closedWithRefund: [...cancelled, ...expired],
    burned: sum(completed, "burned") + sum(resolved, "burned"),
    slashBurned: slashedEvents
      .filter((e) => e.burned)
      .reduce((s, e) => s + (e.amount as bigint), 0n),
    slashed: sum(slashedEvents, "amount"),
    fees: sum(completed, "fee") + sum(resolved, "fee"),
    paid: sum(completed, "paid") + sum(resolved, "paid"),
    refunded: sum(resolved, "refunded") + sum(cancelled, "refunded") + sum(expired, "refunded"),
    escrowed: sum(created, "price"),
    rewardsClaimed: sum(
      events.staking.filter((e) => e.name === "rewardsClaimed").map((e) => e.data),
      "amount",
    ),
  };
}
type Flows = ReturnType<typeof flows>;

/** The chain at the end (the fee vault is swept to the treasury in between). */
async function readEnd(w: World, jobs: TrackedJob[]) {
  const { connection, mint } = w;
  const supply = (await getMint(connection, mint, "confirmed")).supply;
  const v = (await w.adminEmissions.fetchVault(w.vault))!;
  const stillEscrowed = (
    await Promise.all(
      jobs
        .filter((j) => j.state !== "closed")
        .map(
          async (j) =>
            (await getAccount(connection, market.escrowPda(j.address), "confirmed")).amount,
        ),
    )
  ).reduce((s, x) => s + x, 0n);
  const stakePool = (await w.adminStaking.fetchPool(mint))!;
  const stakes = await w.adminStaking.listProviders(mint);
  const stakeVault = (await getAccount(connection, stakePool.stakeVault, "confirmed")).amount;
  const rewardVault = (await getAccount(connection, stakePool.rewardVault, "confirmed")).amount;
  const pendingAll = stakes.reduce(
    (s, { account }) => s + staking.pendingRewards(stakePool, account, rewardVault),
    0n,
  );
  const feeVault = (await getAccount(connection, market.feeVaultPda(), "confirmed")).amount;
  await w.adminMarkets.sweepFees();
  const treasury = (await getAccount(connection, w.treasury, "confirmed")).amount;
  const toTreasury = w.events.emissions
    .filter((e) => e.name === "emitted")
    .flatMap((e) => e.data.payments as Data[])
    .filter((p) => (p.tokenAccount as PublicKey).equals(w.treasury))
    .reduce((s, p) => s + BigInt(String(p.amount)), 0n);
  // The work pool pays its destination what providers do not earn: the treasury, if it is.
  const workPool = await w.adminEmissions.fetchWorkPool(w.workPool);
  const workToTreasury = workPool?.destination.equals(w.treasury)
    ? w.events.emissions
        .filter(
          (e) => e.name === "workPoolCranked" && (e.data.pool as PublicKey).equals(w.workPool),
        )
        .reduce((s, e) => s + BigInt(String(e.data.paidToDestination)), 0n)
    : 0n;
  return {
    supply,
    v,
    stillEscrowed,
    stakes,
    stakeVault,
    rewardVault,
    pendingAll,
    feeVault,
    treasury,
    toTreasury: toTreasury + workToTreasury,
  };
}
type End = Awaited<ReturnType<typeof readEnd>>;

/** Jobs whose escrow does not balance: what is left of the price after what it paid out (zero
 * once closed, never negative while open). */
function unbalancedJobs(f: Flows, jobs: TrackedJob[]): Array<[string, bigint]> {
  const byJob = new Map<string, bigint>();
  for (const e of f.created) byJob.set((e.job as PublicKey).toBase58(), e.price as bigint);
  const debit = (e: Data, ...ks: string[]) => {
    const job = (e.job as PublicKey).toBase58();
    byJob.set(job, byJob.get(job)! - sum([e], ...ks));
  };
  for (const e of f.completed) debit(e, "burned", "fee", "paid");
  for (const e of f.resolved) debit(e, "burned", "fee", "paid", "refunded");
  for (const e of f.closedWithRefund) debit(e, "refunded");
  return [...byJob.entries()].filter(([job, left]) => {
    const t = jobs.find((j) => j.address.toBase58() === job);
    return t?.state === "closed" ? left !== 0n : left < 0n;
  });
}

/** DESIGN.md's conservation checks. */
function conservationChecks(f: Flows, start: Start, end: End, unbalanced: number): Check[] {
  const { burned, escrowed, fees, paid, refunded, slashBurned } = f;
  const { stakes, v } = end;
  const schedule = emissions.scheduleOf(v);
  return [
    {
      name: "per job: deposited = paid + burned + fee + refunded + still escrowed",
      ok: unbalanced === 0 && escrowed === paid + burned + fees + refunded + end.stillEscrowed,
      detail: `${escrowed} = ${paid} + ${burned} + ${fees} + ${refunded} + ${end.stillEscrowed} over ${f.created.length} jobs`,
    },
    {
      name: "mint supply moved only by burns (settlements and burned slashes)",
      ok: start.supply - end.supply === burned + slashBurned,
      detail: `${start.supply} - ${end.supply} = ${burned} + ${slashBurned}`,
    },
    {
      name: "stake vault = Σ active + Σ unbonding; locked ≤ active for every provider",
      ok:
        end.stakeVault ===
          stakes.reduce((s, { account }) => s + account.active + account.unbonding, 0n) &&
        stakes.every(({ account }) => account.locked <= account.active),
      detail: `${end.stakeVault} across ${stakes.length} providers`,
    },
    {
      name: "emission: total emitted = Σ rate(h) over the emitted hours ≤ cap",
      ok:
        v.totalEmitted === emissions.emittedBetween(schedule, 0n, v.emittedHours) &&
        v.totalEmitted <= schedule.cap,
      detail: `${v.totalEmitted} over ${v.emittedHours} hours (mirror: ${emissions.emittedBetween(schedule, 0n, v.emittedHours)})`,
    },
    {
      name: "reward solvency: Σ claimable ≤ reward vault",
      ok: end.pendingAll <= end.rewardVault,
      detail: `${end.pendingAll} ≤ ${end.rewardVault}`,
    },
    {
      name: "the fee vault collected exactly the fees",
      ok: end.feeVault - start.feeVault === fees,
      detail: `${end.feeVault - start.feeVault} = ${fees}`,
    },
    {
      name: "treasury received the swept fee vault and its emission share (and the work pool's, when it is its destination)",
      ok: end.treasury - start.treasury === end.feeVault + end.toTreasury,
      detail: `${end.treasury - start.treasury} = ${end.feeVault} + ${end.toTreasury}`,
    },
  ];
}

/** Waits for the last events, reads the chain and writes the report. */
/** The work pool's accounts: it received what the vault paid it, and every token it received
 * is claimed, reserved for a claim or delivered to (or owed) its destination. */
async function workChecks(run: Run): Promise<Check[]> {
  const w = run.world;
  const pool = await w.adminEmissions.fetchWorkPool(w.workPool);
  const sum = (k: "emittedToWork" | "workToProviders") =>
    run.hours.reduce((s, h) => s + BigInt(h[k]), 0n);
  const paid = sum("emittedToWork");
  const shared = sum("workToProviders");
  if (!pool) return [{ name: "the work pool exists", ok: false, detail: w.workPool.toBase58() }];
  const accounted =
    pool.totalClaimed + pool.reserved + pool.totalToDestination + pool.owedToDestination;
  const burned = run.hours.reduce((s, h) => s + BigInt(h.burned), 0n);
  return [
    {
      name: "the work pool received exactly what the vault paid it, and accounts for all of it",
      ok: pool.totalReceived >= paid && accounted === pool.totalReceived,
      detail: `received ${pool.totalReceived} (${paid} in this run's hours); claimed ${pool.totalClaimed} + reserved ${pool.reserved} + to destination ${pool.totalToDestination + pool.owedToDestination}`,
    },
    {
      name: "work rewards never exceed the burn: what providers share and claim is at most what they burned",
      ok: shared <= burned && run.workClaimed <= shared,
      detail: `shared ${shared}, claimed by the demo ${run.workClaimed}, burned ${burned}`,
    },
  ];
}

export async function report(run: Run, start: Start, started: number): Promise<DemoReport> {
  const w = run.world;
  const { jobs } = run;
  await w.events.settle();
  await w.events.close();
  const f = flows(w.events);
  const end = await readEnd(w, jobs);
  const checks = [
    ...conservationChecks(f, start, end, unbalancedJobs(f, jobs).length),
    ...(await balanceChecks(
      w.connection,
      run.hours,
      run.path,
      w.events,
      { start: start.supply, end: end.supply },
      end.v.totalEmitted - start.emitted,
    )),
    ...(await workChecks(run)),
  ];
  const byOutcome: Record<string, number> = {};
  for (const j of jobs)
    byOutcome[j.outcome ?? j.state] = (byOutcome[j.outcome ?? j.state] ?? 0) + 1;
  return {
    options: { ...run.o, progress: undefined },
    addresses: {
      rpc: w.connection.rpcEndpoint,
      mint: w.mint.toBase58(),
      stakingPool: w.poolKey.toBase58(),
      treasury: w.treasury.toBase58(),
      feeVault: market.feeVaultPda().toBase58(),
      tokenMarket: w.tokenMarket.toBase58(),
      usdMarket: w.usdMarket.toBase58(),
      priceAccount: w.priceAccount.toBase58(),
      emissionVault: w.vault.toBase58(),
      workPool: w.workPool.toBase58(),
    },
    jobs: {
      posted: jobs.length,
      byOutcome,
      stillOpen: jobs.filter((j) => j.state !== "closed").length,
    },
    tokens: {
      escrowed: f.escrowed.toString(),
      paid: f.paid.toString(),
      burned: f.burned.toString(),
      fees: f.fees.toString(),
      refunded: f.refunded.toString(),
      slashed: f.slashed.toString(),
      slashBurned: f.slashBurned.toString(),
      emitted: end.v.totalEmitted.toString(),
      rewardsClaimed: f.rewardsClaimed.toString(),
      claimedByDemo: run.claimed.toString(),
      workClaimedByDemo: run.workClaimed.toString(),
    },
    supply: { start: start.supply.toString(), end: end.supply.toString() },
    transactions: run.transactions,
    rejected: run.rejected,
    hours: run.hours,
    regime: regimeOf(run.hours, run.o.demand),
    checks,
    seconds: (performance.now() - started) / 1000,
  };
}
