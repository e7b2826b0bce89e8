// A living network on a validator, through the SDK and real transactions: providers stake,
// clients post jobs, providers accept and finish them, some fail, expire or get disputed and
// resolved, emissions are cranked every hour, stakers claim. Every event the programs emit is
// collected over PubSub, and at the end the conservation checks of DESIGN.md are evaluated.
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { createAccount, getAccount, getMint, mintTo } from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey } from "@solana/web3.js";

import { bootstrap, validateConfig } from "../cli/src/bootstrap";
import {
  CrucibleError,
  emissions,
  EMISSIONS_PROGRAM_ID,
  market,
  MARKET_PROGRAM_ID,
  MarketClient,
  staking,
  STAKING_PROGRAM_ID,
  StakingClient,
} from "../sdk/src";

export interface DemoOptions {
  hours: number;
  providers: number;
  clients: number;
  seed: number;
  /** Jobs posted per simulated hour, on average. */
  jobsPerHour: number;
  /** Transactions in flight at once. */
  concurrency: number;
  /** The demo's two markets are `marketIdBase` and `marketIdBase + 1`, its vault id `vaultId`. */
  marketIdBase?: number;
  vaultId?: number;
  progress?: (hour: number, hours: number, line: string) => void;
}

export const DEFAULTS: DemoOptions = {
  hours: 168,
  providers: 20,
  clients: 50,
  seed: 42,
  jobsPerHour: 10,
  concurrency: 8,
};

const DECIMALS = 6;
const TOKEN = 10n ** BigInt(DECIMALS);
const HOUR = 3_600;

/** mulberry32: seeded, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function pool<T>(items: T[], limit: number, task: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await task(items[i]);
    }),
  );
}

interface Actor {
  key: Keypair;
  token: PublicKey;
  markets: MarketClient;
  staking: StakingClient;
}

type Plan = "submit" | "quit" | "expire";
type Verdict = "complete" | "leave" | "dispute";
interface TrackedJob {
  address: PublicKey;
  market: PublicKey;
  client: Actor;
  provider?: Actor;
  plan?: Plan;
  verdict?: Verdict;
  arbitrate?: boolean;
  state: "open" | "running" | "submitted" | "disputed" | "closed";
  outcome?: string;
}

export interface HourRow {
  hour: number;
  supply: string;
  cumulativeBurned: string;
  cumulativeEmitted: string;
  jobsClosed: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DemoReport {
  options: DemoOptions;
  addresses: Record<string, string>;
  jobs: { posted: number; byOutcome: Record<string, number>; stillOpen: number };
  tokens: Record<string, string>;
  supply: { start: string; end: string };
  transactions: number;
  rejected: Record<string, number>;
  hours: HourRow[];
  checks: Check[];
  seconds: number;
}

/** Collects every event of the three programs over PubSub (confirmed logs). */
class EventLog {
  readonly market: market.MarketEvent[] = [];
  readonly staking: staking.StakingEvent[] = [];
  readonly emissions: Array<{ name: string; data: Record<string, unknown> }> = [];
  private ids: number[] = [];
  constructor(private readonly connection: Connection) {
    const sub = (program: PublicKey, f: (logs: string[]) => void) =>
      this.ids.push(connection.onLogs(program, (l) => !l.err && f(l.logs), "confirmed"));
    sub(MARKET_PROGRAM_ID, (logs) => this.market.push(...market.parseMarketEvents(logs)));
    sub(STAKING_PROGRAM_ID, (logs) => this.staking.push(...staking.parseStakingEvents(logs)));
    sub(EMISSIONS_PROGRAM_ID, (logs) =>
      this.emissions.push(...emissions.parseEmissionsEvents(logs)),
    );
  }
  get size(): number {
    return this.market.length + this.staking.length + this.emissions.length;
  }
  async settle(): Promise<void> {
    // Notifications trail their transactions by a few milliseconds: wait until none arrive.
    let last = -1;
    while (last !== this.size) {
      last = this.size;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  async close(): Promise<void> {
    await Promise.all(this.ids.map((id) => this.connection.removeOnLogsListener(id)));
  }
}

export async function simulate(admin: AnchorProvider, o: DemoOptions): Promise<DemoReport> {
  const started = performance.now();
  const random = rng(o.seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const connection = admin.connection;
  const log = (line: string) => o.progress?.(0, o.hours, line);

  // The network: mint, staking pool, treasury, two markets, an emission vault paying the
  // staking pool 80 % and the treasury 20 % (cli/src/bootstrap.ts, as `crucible init`).
  const arbiter = Keypair.generate();
  const marketParams = (burn: number, fee: number) => ({
    minProviderStake: "100",
    collateralBps: 5000,
    minCollateral: "1",
    burnBps: burn,
    feeBps: fee,
    maxDurationSecs: "1d",
    disputeWindowSecs: "12h",
    arbitrationWindowSecs: "2d",
    defaultDisputeSplitBps: 5000,
    expirySlashBps: 1000,
    jobLifetimeSecs: "3d",
    quitGraceSecs: "15m",
  });
  // On a validator that already has a network (the config is global), join it: its mint and
  // treasury.
  const existing = await new MarketClient(admin).fetchConfig();
  const base = o.marketIdBase ?? 1;
  const vaultId = o.vaultId ?? 1;
  const config = validateConfig({
    mint: existing
      ? { decimals: DECIMALS, address: existing.mint.toBase58() }
      : { decimals: DECIMALS },
    ...(existing ? { treasury: existing.treasury.toBase58() } : {}),
    staking: { minStake: "1", unbondingSecs: 14 * 86_400 },
    markets: [
      {
        id: base,
        name: "gpu-a100",
        arbiter: arbiter.publicKey.toBase58(),
        params: marketParams(2000, 500),
      },
      {
        id: base + 1,
        name: "gpu-h100",
        arbiter: arbiter.publicKey.toBase58(),
        params: marketParams(3000, 300),
      },
    ],
    vaults: [
      {
        id: vaultId,
        initialPerHour: "4583",
        decayBps: 102,
        periodHours: 730,
        cap: "300000000",
        revocable: false,
        recipientsDelaySecs: "48h",
        fundFrom: "mint",
        recipients: [
          { to: "stakingRewardVault", shareBps: 8000 },
          { to: "treasury", shareBps: 2000 },
        ],
      },
    ],
  });
  const boot = await bootstrap(admin, config, { log });
  const mint = boot.mint;
  const marketKeys = [market.marketPda(BigInt(base)), market.marketPda(BigInt(base + 1))];
  const vault = emissions.vaultPda(mint, BigInt(vaultId));
  const poolKey = staking.poolPda(mint);
  const adminKp = (admin.wallet as unknown as { payer: Keypair }).payer;
  const adminMarkets = new MarketClient(admin);
  const adminStaking = new StakingClient(admin);
  const adminEmissions = new emissions.EmissionsClient(admin);
  const treasury = (await adminMarkets.fetchConfig())!.treasury;
  const events = new EventLog(connection);

  // Parties: funded with SOL, tokens minted by the admin (the mint authority).
  const actor = async (tokens: bigint): Promise<Actor> => {
    const key = Keypair.generate();
    const sig = await connection.requestAirdrop(key.publicKey, 20 * LAMPORTS_PER_SOL);
    await connection.confirmTransaction(sig, "confirmed");
    const token = await createAccount(connection, adminKp, mint, key.publicKey, Keypair.generate());
    await mintTo(connection, adminKp, mint, token, adminKp, tokens);
    const p = new AnchorProvider(
      new Connection(connection.rpcEndpoint, "confirmed"),
      new Wallet(key),
      admin.opts,
    );
    return { key, token, markets: new MarketClient(p), staking: new StakingClient(p) };
  };
  log(`funding ${o.providers} providers and ${o.clients} clients`);
  const providers: Actor[] = [];
  await pool([...Array(o.providers).keys()], o.concurrency, async () => {
    const a = await actor(100_000n * TOKEN);
    await a.staking.stake({
      mint,
      source: a.token,
      amount: BigInt(20_000 + Math.floor(random() * 60_000)) * TOKEN,
    });
    providers.push(a);
  });
  const clients: Actor[] = [];
  await pool([...Array(o.clients).keys()], o.concurrency, async () => {
    clients.push(await actor(1_000_000n * TOKEN));
  });
  const arbiterClient = new MarketClient(
    new AnchorProvider(connection, new Wallet(arbiter), admin.opts),
  );
  await connection.confirmTransaction(
    await connection.requestAirdrop(arbiter.publicKey, 20 * LAMPORTS_PER_SOL),
    "confirmed",
  );

  const supplyStart = (await getMint(connection, mint, "confirmed")).supply;
  const treasuryStart = (await getAccount(connection, treasury, "confirmed")).amount;
  // Settlements pay their fees into the fee vault; a sweep at the end moves them to the treasury.
  const feeVault = market.feeVaultPda();
  const feeVaultStart = (await getAccount(connection, feeVault, "confirmed")).amount;
  const jobs: TrackedJob[] = [];
  const rejected: Record<string, number> = {};
  let transactions = 0;
  const attempt = async (what: string, f: () => Promise<unknown>): Promise<boolean> => {
    try {
      await f();
      transactions++;
      return true;
    } catch (e) {
      const name = e instanceof CrucibleError ? e.name : String(e);
      rejected[`${what}: ${name}`] = (rejected[`${what}: ${name}`] ?? 0) + 1;
      return false;
    }
  };
  const close = (j: TrackedJob, outcome: string) => {
    j.state = "closed";
    j.outcome = outcome;
  };
  const hours: HourRow[] = [];
  let claimed = 0n;
  let activated = false;

  for (let hour = 0; hour < o.hours; hour++) {
    // Clients post jobs (sometimes for a chosen provider) and cancel some open ones.
    const posts = Math.max(0, Math.round(o.jobsPerHour * (0.5 + random())));
    const fresh: TrackedJob[] = [];
    await pool([...Array(posts).keys()], o.concurrency, async () => {
      const client = pick(clients);
      const m = pick(marketKeys);
      const target = random() < 0.1 ? pick(providers) : undefined;
      const price =
        BigInt(10 + Math.floor(random() * 490)) * TOKEN + BigInt(Math.floor(random() * 1_000_000));
      await attempt("create_job", async () => {
        const { job } = await client.markets.createJob({
          market: m,
          price,
          durationSecs: BigInt(HOUR * (1 + Math.floor(random() * 4))),
          clientToken: client.token,
          targetProvider: target?.key.publicKey,
        });
        const t: TrackedJob = { address: job, market: m, client, state: "open" };
        jobs.push(t);
        fresh.push(t);
      });
    });
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

    // The hour passes; cranks: emissions, then every window that closed (from a listing).
    await fetch(connection.rpcEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "crucible_warp", params: [HOUR] }),
    });
    await attempt("emit", () => adminEmissions.emit({ vault }));
    // New stake warms up for an hour, then earns once activated (the vault has just paid every
    // hour due, so nothing before now goes to it).
    if (!activated) {
      for (const p of providers)
        await attempt("activate_stake", () => p.staking.activateStake({ mint }));
      activated = true;
    }
    const clock = (await connection.getAccountInfo(
      new PublicKey("SysvarC1ock11111111111111111111111111111111"),
      "confirmed",
    ))!.data.readBigInt64LE(32);
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
    // Stakers claim once a day.
    if ((hour + 1) % 24 === 0) {
      await pool(providers, o.concurrency, async (p) => {
        const pending = await p.staking.pendingRewards(mint);
        if (
          pending > 0n &&
          (await attempt("claim_rewards", () =>
            p.staking.claimRewards({ mint, destination: p.token }),
          ))
        )
          claimed += pending;
      });
    }
    const supply = (await getMint(connection, mint, "confirmed")).supply;
    const v = (await adminEmissions.fetchVault(vault))!;
    hours.push({
      hour: hour + 1,
      supply: supply.toString(),
      cumulativeBurned: (supplyStart - supply).toString(),
      cumulativeEmitted: v.totalEmitted.toString(),
      jobsClosed: jobs.filter((j) => j.state === "closed").length,
    });
    o.progress?.(hour + 1, o.hours, `${jobs.length} jobs, ${transactions} transactions`);
  }

  // --- the report and DESIGN.md's conservation checks ---
  await events.settle();
  await events.close();
  const sum = (xs: Array<Record<string, unknown>>, k: string) =>
    xs.reduce((s, e) => s + ((e[k] as bigint) ?? 0n), 0n);
  const ev = (name: string) => events.market.filter((e) => e.name === name).map((e) => e.data);
  const created = ev("jobCreated");
  const completed = ev("jobCompleted");
  const resolved = ev("disputeResolved");
  const cancelled = ev("jobCancelled");
  const expired = ev("jobExpired");
  const slashedEvents = events.staking.filter((e) => e.name === "slashed").map((e) => e.data);
  const burned = sum(completed, "burned") + sum(resolved, "burned");
  const slashBurned = slashedEvents
    .filter((e) => e.burned)
    .reduce((s, e) => s + (e.amount as bigint), 0n);
  const slashed = sum(slashedEvents, "amount");
  const fees = sum(completed, "fee") + sum(resolved, "fee");
  const paid = sum(completed, "paid") + sum(resolved, "paid");
  const refunded =
    sum(resolved, "refunded") + sum(cancelled, "refunded") + sum(expired, "refunded");
  const escrowed = sum(created, "price");
  const supplyEnd = (await getMint(connection, mint, "confirmed")).supply;
  const v = (await adminEmissions.fetchVault(vault))!;
  const schedule = emissions.scheduleOf(v);
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
  const stakePool = (await adminStaking.fetchPool(mint))!;
  const stakes = await adminStaking.listProviders(mint);
  const stakeVault = (await getAccount(connection, stakePool.stakeVault, "confirmed")).amount;
  const rewardVault = (await getAccount(connection, stakePool.rewardVault, "confirmed")).amount;
  const pendingAll = stakes.reduce(
    (s, { account }) => s + staking.pendingRewards(stakePool, account, rewardVault),
    0n,
  );
  const feeVaultEnd = (await getAccount(connection, feeVault, "confirmed")).amount;
  await adminMarkets.sweepFees();
  const treasuryEnd = (await getAccount(connection, treasury, "confirmed")).amount;
  const toTreasury = events.emissions
    .filter((e) => e.name === "emitted")
    .flatMap((e) => e.data.payments as Array<Record<string, unknown>>)
    .filter((p) => (p.tokenAccount as PublicKey).equals(treasury))
    .reduce((s, p) => s + BigInt(String(p.amount)), 0n);
  const byJob = new Map<string, bigint>();
  for (const e of created) byJob.set((e.job as PublicKey).toBase58(), e.price as bigint);
  const out = (e: Record<string, unknown>, ...ks: string[]) =>
    ks.reduce((s, k) => s + ((e[k] as bigint) ?? 0n), 0n);
  for (const e of completed)
    byJob.set(
      (e.job as PublicKey).toBase58(),
      byJob.get((e.job as PublicKey).toBase58())! - out(e, "burned", "fee", "paid"),
    );
  for (const e of resolved)
    byJob.set(
      (e.job as PublicKey).toBase58(),
      byJob.get((e.job as PublicKey).toBase58())! - out(e, "burned", "fee", "paid", "refunded"),
    );
  for (const e of [...cancelled, ...expired])
    byJob.set(
      (e.job as PublicKey).toBase58(),
      byJob.get((e.job as PublicKey).toBase58())! - out(e, "refunded"),
    );
  const unbalanced = [...byJob.entries()].filter(([job, left]) => {
    const t = jobs.find((j) => j.address.toBase58() === job);
    return t?.state === "closed" ? left !== 0n : left < 0n;
  });

  const checks: Check[] = [
    {
      name: "per job: deposited = paid + burned + fee + refunded + still escrowed",
      ok: unbalanced.length === 0 && escrowed === paid + burned + fees + refunded + stillEscrowed,
      detail: `${escrowed} = ${paid} + ${burned} + ${fees} + ${refunded} + ${stillEscrowed} over ${created.length} jobs`,
    },
    {
      name: "mint supply moved only by burns (settlements and burned slashes)",
      ok: supplyStart - supplyEnd === burned + slashBurned,
      detail: `${supplyStart} - ${supplyEnd} = ${burned} + ${slashBurned}`,
    },
    {
      name: "stake vault = Σ active + Σ unbonding; locked ≤ active for every provider",
      ok:
        stakeVault ===
          stakes.reduce((s, { account }) => s + account.active + account.unbonding, 0n) &&
        stakes.every(({ account }) => account.locked <= account.active),
      detail: `${stakeVault} across ${stakes.length} providers`,
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
      ok: pendingAll <= rewardVault,
      detail: `${pendingAll} ≤ ${rewardVault}`,
    },
    {
      name: "the fee vault collected exactly the fees",
      ok: feeVaultEnd - feeVaultStart === fees,
      detail: `${feeVaultEnd - feeVaultStart} = ${fees}`,
    },
    {
      name: "treasury received the swept fee vault and its emission share",
      ok: treasuryEnd - treasuryStart === feeVaultEnd + toTreasury,
      detail: `${treasuryEnd - treasuryStart} = ${feeVaultEnd} + ${toTreasury}`,
    },
  ];
  const byOutcome: Record<string, number> = {};
  for (const j of jobs)
    byOutcome[j.outcome ?? j.state] = (byOutcome[j.outcome ?? j.state] ?? 0) + 1;
  return {
    options: { ...o, progress: undefined },
    addresses: {
      rpc: connection.rpcEndpoint,
      mint: mint.toBase58(),
      stakingPool: poolKey.toBase58(),
      treasury: treasury.toBase58(),
      feeVault: feeVault.toBase58(),
      markets: marketKeys.map((k) => k.toBase58()).join(", "),
      emissionVault: vault.toBase58(),
    },
    jobs: {
      posted: jobs.length,
      byOutcome,
      stillOpen: jobs.filter((j) => j.state !== "closed").length,
    },
    tokens: {
      escrowed: escrowed.toString(),
      paid: paid.toString(),
      burned: burned.toString(),
      fees: fees.toString(),
      refunded: refunded.toString(),
      slashed: slashed.toString(),
      slashBurned: slashBurned.toString(),
      emitted: v.totalEmitted.toString(),
      rewardsClaimed: sum(
        events.staking.filter((e) => e.name === "rewardsClaimed").map((e) => e.data),
        "amount",
      ).toString(),
      claimedByDemo: claimed.toString(),
    },
    supply: { start: supplyStart.toString(), end: supplyEnd.toString() },
    transactions,
    rejected,
    hours,
    checks,
    seconds: (performance.now() - started) / 1000,
  };
}
