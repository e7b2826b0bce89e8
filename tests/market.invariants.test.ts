// Randomized market invariants through the SDK over RPC (DESIGN.md, "Invariants" 1, 2, 3, 6).
//
// At least 200 job lifecycles along random paths (complete; finalize after the dispute window;
// cancel; quit then re-accept by another provider; dispute then resolve with a random share,
// slash and slash destination; dispute then the default split after the arbitration window;
// expiry then reclaim), random clients and providers (3 of each) in 2 markets with different
// terms, random clock moves, providers topping up and unbonding stake between jobs, tokens sent
// straight to escrows by a stranger (they must never keep a job from closing), and premature,
// late or unauthorized moves that must be refused with their exact error.
//
// Lifecycles run in lanes, several at once: in each step every lane makes one move, all moves
// of the step are sent concurrently, then the clock may be warped. A model predicts every
// balance, every stake and the outcome of every move (including rejections) from the seed
// alone, so a run replays exactly with MARKET_SEED. After every step it checks, against the
// chain:
// - every job: deposited (+ what a stranger sent to its escrow) = paid + burned + fee +
//   refunded (from its events) + its escrow;
// - the mint supply moved only by the burns (settlement burns and burned slashes);
// - every balance of the actors, the fee vault and the stake vault as the model says;
// - for every provider of the pool (staking.listProviders): locked <= active, and
//   stake vault = Σ active + Σ unbonding;
// - the job listings of both markets name exactly the live jobs, in their states.
import {
  createTransferCheckedInstruction,
  getMint,
  unpackAccount,
  unpackMint,
} from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { market, MarketClient, sendInstructions, StakingClient, staking } from "../sdk/src";
import { fundedKeypair, getProvider } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { DECIMALS, expectError, TOKEN, tokenAccount } from "./harness/fixtures";
import { chainTime, marketEvents, marketNetwork } from "./harness/market";
import { Rng } from "./harness/rng";

const LIFECYCLES = Number(process.env.MARKET_LIFECYCLES ?? 400);
const LANES = 8;
/** The stake of p0, a thin provider: market A only (minimum 100), often short of free stake. */
const THIN = 105n * TOKEN;
const SEED = process.env.MARKET_SEED
  ? Number(process.env.MARKET_SEED)
  : Math.floor(Math.random() * 2 ** 32);

interface Actor {
  name: string;
  key: Keypair;
  token: PublicKey;
}

interface Provider extends Actor {
  active: bigint;
  locked: bigint;
  unbonding: bigint;
}

interface MarketModel {
  name: string;
  address: PublicKey;
  arbiter: Keypair;
  params: market.MarketParams;
}

/** How a lifecycle is meant to end (it adapts when the clock forces another ending). */
type Plan = "complete" | "finalize" | "cancel" | "resolve" | "finalizeDispute" | "expire";
type Ending = Plan;

interface Life {
  n: number;
  m: MarketModel;
  client: Actor;
  nonce: bigint;
  job: PublicKey;
  price: bigint;
  collateral: bigint;
  duration: bigint;
  target: Provider | null;
  plan: Plan;
  /** Quits still to make before the job is carried to its end. */
  quits: number;
  state: "new" | market.JobState | "closed";
  provider: Provider | null;
  /** Providers that quit this job (others take it next). */
  quitters: Set<Provider>;
  deadline: bigint;
  disputeDeadline: bigint;
  disputedAt: bigint;
  events: market.Event[];
  path: string[];
  /** Steps spent open without an eligible provider. */
  starved: number;
  /** Tokens someone else sent to the escrow (they must not keep the job from closing). */
  donated: bigint;
}

/** One move of a step: sent concurrently with the others; `expect` is "ok" or an error name. */
interface Move {
  life: Life | null;
  label: string;
  expect: string;
  send: () => Promise<string>;
  /** Checks a successful move's events against the model's prediction. */
  check?: (events: market.Event[]) => void;
  /** A token transfer to a job's escrow, not a move of the job. */
  donation?: boolean;
}

const u = (x: unknown) => x as bigint;

describe("market / invariants (randomized)", function () {
  this.timeout(900_000);

  it(`keeps every invariant over ${LIFECYCLES} random job lifecycles`, async function () {
    await requiresTimeTravel(this);
    const started = Date.now();
    console.log(`      market invariants: seed ${SEED} (replay with MARKET_SEED=${SEED})`);
    const rng = new Rng(SEED);
    const provider = getProvider();
    const connection = provider.connection;
    const markets = new MarketClient(provider);
    const stakingClient = new StakingClient(provider);
    const { mint } = await marketNetwork();
    const feeVault = market.feeVaultPda();
    const pool = staking.poolPda(mint);
    const stakeVault = staking.stakeVaultPda(pool);

    // --- the world: two markets with different terms, 3 clients, 3 providers ---
    const base = BigInt(Date.now()) * 1000n + 900_000_000n;
    const termsA: market.MarketParams = {
      minProviderStake: 100n * TOKEN,
      collateralBps: 5_000,
      minCollateral: TOKEN,
      burnBps: 2_000,
      feeBps: 500,
      maxDurationSecs: 7_200n,
      disputeWindowSecs: 3_600n,
      arbitrationWindowSecs: 7_200n,
      defaultDisputeSplitBps: 5_000,
      expirySlashBps: 1_000,
      jobLifetimeSecs: 120n * 86_400n,
      quitGraceSecs: 600n,
    };
    const termsB: market.MarketParams = {
      minProviderStake: 150n * TOKEN,
      collateralBps: 2_500,
      minCollateral: 3n * TOKEN + 7n,
      burnBps: 3_333,
      feeBps: 777,
      maxDurationSecs: 3_600n,
      disputeWindowSecs: 1_800n,
      arbitrationWindowSecs: 5_400n,
      defaultDisputeSplitBps: 3_000,
      expirySlashBps: 2_500,
      jobLifetimeSecs: 120n * 86_400n,
      // No free quit: every quit in market B costs the expiry slash.
      quitGraceSecs: 0n,
    };
    const ms: MarketModel[] = [];
    for (const [i, params] of [termsA, termsB].entries()) {
      const arbiter = await fundedKeypair(provider, 1);
      const marketId = base + BigInt(i);
      await markets.createMarket({
        marketId,
        name: `invariants-${"AB"[i]}`,
        arbiter: arbiter.publicKey,
        stakingPool: pool,
        params,
      });
      ms.push({ name: "AB"[i], address: market.marketPda(marketId), arbiter, params });
    }
    const actor = async (name: string, tokens: bigint): Promise<Actor> => {
      const key = await fundedKeypair(provider, 20);
      return { name, key, token: await tokenAccount(provider, mint, key.publicKey, tokens) };
    };
    const clients: Actor[] = [];
    for (const name of ["c0", "c1", "c2"]) clients.push(await actor(name, 20_000n * TOKEN));
    const providers: Provider[] = [];
    for (const [i, name] of ["p0", "p1", "p2"].entries()) {
      const stake = [THIN, 450n * TOKEN, 700n * TOKEN][i];
      const a = await actor(name, stake + 300n * TOKEN);
      await stakingClient.stake({ owner: a.key, mint, source: a.token, amount: stake });
      providers.push({ ...a, active: stake, locked: 0n, unbonding: 0n });
    }

    const donor = await actor("d0", 10_000n * TOKEN);

    // --- the model of every balance the run touches ---
    const tracked = [
      ...clients.map((c) => c.token),
      ...providers.map((p) => p.token),
      donor.token,
      feeVault,
    ];
    const expected = new Map<string, bigint>();
    const read = async (keys: PublicKey[]) => {
      const infos = await connection.getMultipleAccountsInfo(keys, "confirmed");
      return infos.map((info, i) => unpackAccount(keys[i], info).amount);
    };
    for (const [i, b] of (await read([...tracked, stakeVault])).entries())
      expected.set([...tracked, stakeVault][i].toBase58(), b);
    const add = (account: PublicKey, delta: bigint) =>
      expected.set(account.toBase58(), expected.get(account.toBase58())! + delta);
    let expectedSupply = (await getMint(connection, mint, "confirmed")).supply;
    let burnedTotal = 0n;

    const stats = {
      steps: 0,
      transactions: 0,
      rejections: 0,
      donations: 0,
      warps: 0,
      endings: {} as Record<string, number>,
    };
    const rejectionsByName: Record<string, number> = {};
    let now = await chainTime(provider);
    let next = 0;
    let lanes: Life[] = [];

    const newLife = (): Life => {
      const m = rng.pick(ms);
      const client = rng.pick(clients);
      const nonce = rng.big(0n, 2n ** 52n);
      const size = rng.next();
      const price =
        size < 0.1
          ? rng.big(1n, 1_000n)
          : size < 0.2
            ? rng.big(100n * TOKEN, 250n * TOKEN)
            : rng.big(TOKEN, 40n * TOKEN);
      const plan = rng.weighted<Plan | "quit">({
        complete: 20,
        finalize: 15,
        cancel: 10,
        quit: 15,
        resolve: 20,
        finalizeDispute: 10,
        expire: 10,
      });
      const after = rng.weighted<Exclude<Plan, "cancel">>({
        complete: 1,
        finalize: 1,
        resolve: 1,
        finalizeDispute: 1,
        expire: 1,
      });
      return {
        n: next++,
        m,
        client,
        nonce,
        job: market.jobPda(m.address, client.key.publicKey, nonce),
        price,
        collateral: market.jobCollateral(price, m.params.collateralBps, m.params.minCollateral),
        duration: rng.big(60n, m.params.maxDurationSecs),
        target: rng.chance(0.1) ? rng.pick(providers) : null,
        plan: plan === "quit" ? after : plan,
        quits: plan === "quit" ? rng.int(1, 2) : 0,
        state: "new",
        provider: null,
        quitters: new Set(),
        deadline: 0n,
        disputeDeadline: 0n,
        disputedAt: 0n,
        events: [],
        path: [],
        starved: 0,
        donated: 0n,
      };
    };

    /** A settlement of a provider's pay: paid, fee to the fee vault, burned. */
    const settle = (s: market.Settlement, p: Provider) => {
      add(p.token, s.paid);
      add(feeVault, s.fee);
      expectedSupply -= s.burned;
      burnedTotal += s.burned;
    };

    while (next < LIFECYCLES || lanes.length > 0) {
      while (lanes.length < LANES && next < LIFECYCLES) lanes.push(newLife());
      stats.steps++;
      const moves: Move[] = [];
      // Worst-case view of each provider for acceptances sent in the same step as other moves:
      // the free stake before this step's unlocks, after its locks and unbonding requests, and
      // the active stake after its slashes.
      const free = new Map(providers.map((p) => [p, p.active - p.locked]));
      const startFree = new Map(free);
      const startActive = new Map(providers.map((p) => [p, p.active]));
      /** Providers whose free stake may grow during the step (unlocks, top-ups). */
      const raises = new Set<Provider>();
      const activeWorst = new Map(providers.map((p) => [p, p.active]));
      const accepting: Life[] = [];

      // Phase 1: every move but acceptances.
      for (const life of lanes) {
        const { m, client } = life;
        const pr = life.provider;
        const reject = (label: string, name: string, send: () => Promise<string>) =>
          moves.push({ life, label: `${label} (${name})`, expect: name, send });
        switch (life.state) {
          case "new": {
            const { price, duration, nonce, target } = life;
            add(client.token, -price);
            moves.push({
              life,
              label: "create",
              expect: "ok",
              send: async () =>
                (
                  await markets.createJob({
                    market: m.address,
                    price,
                    durationSecs: duration,
                    nonce,
                    targetProvider: target?.key.publicKey,
                    clientToken: client.token,
                    client: client.key,
                  })
                ).signature,
              check: (events) => {
                const e = one(events, "jobCreated");
                expect([u(e.price), u(e.collateral)]).to.deep.equal([price, life.collateral]);
              },
            });
            life.state = "open";
            break;
          }
          case "open": {
            if (life.plan === "cancel" || life.starved > 6) {
              const escrowed = life.price + life.donated;
              add(client.token, escrowed);
              moves.push({
                life,
                label: "cancel",
                expect: "ok",
                send: () =>
                  markets.cancelJob({
                    job: life.job,
                    clientToken: client.token,
                    client: client.key,
                  }),
                check: (events) =>
                  expect(u(one(events, "jobCancelled").refunded)).to.equal(escrowed),
              });
              life.state = "closed";
              end(life, "cancel");
            } else accepting.push(life);
            break;
          }
          case "running": {
            const p = pr!;
            if (now > life.deadline) {
              if (life.plan !== "expire" && rng.chance(0.5)) {
                life.plan = "expire";
                reject("submit late", "DeadlinePassed", () =>
                  markets.submitResult({ job: life.job, resultHash: hash(life), provider: p.key }),
                );
                break;
              }
              life.plan = "expire";
              const slash = market.expirySlash(life.collateral, m.params.expirySlashBps);
              const escrowed = life.price + life.donated;
              add(client.token, escrowed + slash);
              add(stakeVault, -slash);
              p.active -= slash;
              p.locked -= life.collateral;
              raises.add(p);
              activeWorst.set(p, activeWorst.get(p)! - slash);
              moves.push({
                life,
                label: "reclaim",
                expect: "ok",
                send: () => markets.reclaimExpired({ job: life.job, clientToken: client.token }),
                check: (events) => {
                  const e = one(events, "jobExpired");
                  expect([u(e.refunded), u(e.slashed)]).to.deep.equal([escrowed, slash]);
                },
              });
              life.state = "closed";
              end(life, "expire");
            } else if (life.plan === "expire") {
              if (rng.chance(0.15))
                reject("reclaim early", "NotExpired", () =>
                  markets.reclaimExpired({ job: life.job, clientToken: client.token }),
                );
            } else if (life.quits > 0) {
              life.quits--;
              // Free within the job's grace (the market's, at most half the duration) after
              // the acceptance; later the expiry slash goes to the client.
              const acceptedAt = life.deadline - life.duration;
              const grace =
                BigInt(m.params.quitGraceSecs) < life.duration / 2n
                  ? BigInt(m.params.quitGraceSecs)
                  : life.duration / 2n;
              const slash =
                now > acceptedAt + grace
                  ? market.expirySlash(life.collateral, m.params.expirySlashBps)
                  : 0n;
              add(client.token, slash);
              add(stakeVault, -slash);
              p.active -= slash;
              activeWorst.set(p, activeWorst.get(p)! - slash);
              p.locked -= life.collateral;
              raises.add(p);
              life.quitters.add(p);
              moves.push({
                life,
                label: slash > 0n ? `late quit (slash ${slash})` : "quit",
                expect: "ok",
                send: () =>
                  markets.quitJob({ job: life.job, provider: p.key, clientToken: client.token }),
                check: (events) => {
                  const e = one(events, "jobQuit");
                  expect([u(e.collateral), u(e.slashed)]).to.deep.equal([
                    life.collateral - slash,
                    slash,
                  ]);
                },
              });
              life.state = "open";
              life.provider = null;
            } else {
              const disputeDeadline = now + BigInt(m.params.disputeWindowSecs);
              moves.push({
                life,
                label: "submit",
                expect: "ok",
                send: () =>
                  markets.submitResult({ job: life.job, resultHash: hash(life), provider: p.key }),
                check: (events) =>
                  expect(u(one(events, "resultSubmitted").disputeDeadline)).to.equal(
                    disputeDeadline,
                  ),
              });
              life.disputeDeadline = disputeDeadline;
              life.state = "submitted";
            }
            break;
          }
          case "submitted": {
            const p = pr!;
            const open = now <= life.disputeDeadline;
            if (!open && (life.plan === "resolve" || life.plan === "finalizeDispute")) {
              life.plan = rng.chance(0.5) ? "finalize" : "complete";
              if (rng.chance(0.5)) {
                reject("dispute late", "DisputeWindowClosed", () =>
                  markets.disputeJob({ job: life.job, client: client.key }),
                );
                break;
              }
            }
            if (life.plan === "resolve" || life.plan === "finalizeDispute") {
              if (rng.chance(0.1)) {
                // Someone else's dispute: the job's address names its client.
                const other = rng.pick(clients.filter((c) => c !== client));
                reject("dispute by another client", "ConstraintSeeds", () =>
                  markets.disputeJob({ job: life.job, client: other.key }),
                );
                break;
              }
              moves.push({
                life,
                label: "dispute",
                expect: "ok",
                send: () => markets.disputeJob({ job: life.job, client: client.key }),
              });
              life.disputedAt = now;
              life.state = "disputed";
            } else if (life.plan === "finalize" && open) {
              if (rng.chance(0.15))
                reject("finalize early", "DisputeWindowOpen", () =>
                  markets.finalizeJob({ job: life.job, providerToken: p.token }),
                );
            } else {
              const finalized = life.plan === "finalize";
              // The escrow's whole balance settles.
              const s = market.settlementSplit(
                life.price + life.donated,
                m.params.burnBps,
                m.params.feeBps,
              );
              settle(s, p);
              p.locked -= life.collateral;
              raises.add(p);
              moves.push({
                life,
                label: finalized ? "finalize" : "complete",
                expect: "ok",
                send: () =>
                  finalized
                    ? markets.finalizeJob({ job: life.job, providerToken: p.token })
                    : markets.completeJob({
                        job: life.job,
                        providerToken: p.token,
                        client: client.key,
                      }),
                check: (events) => {
                  const e = one(events, "jobCompleted");
                  expect([u(e.burned), u(e.fee), u(e.paid), e.finalized]).to.deep.equal([
                    s.burned,
                    s.fee,
                    s.paid,
                    finalized,
                  ]);
                },
              });
              life.state = "closed";
              end(life, finalized ? "finalize" : "complete");
            }
            break;
          }
          case "disputed": {
            const p = pr!;
            if (life.plan === "resolve") {
              if (rng.chance(0.1)) {
                const intruder = rng.pick([client.key, p.key, ms.find((x) => x !== m)!.arbiter]);
                reject("resolve by a non-arbiter", "NotArbiter", () =>
                  markets.resolveDispute({
                    job: life.job,
                    providerShareBps: 10_000,
                    slashAmount: 0n,
                    providerToken: p.token,
                    clientToken: client.token,
                    arbiter: intruder,
                  }),
                );
                break;
              }
              if (rng.chance(0.05)) {
                reject("slash above collateral", "SlashExceedsCollateral", () =>
                  markets.resolveDispute({
                    job: life.job,
                    providerShareBps: 0,
                    slashAmount: life.collateral + 1n,
                    providerToken: p.token,
                    clientToken: client.token,
                    arbiter: m.arbiter,
                  }),
                );
                break;
              }
              const share = rng.chance(0.2) ? rng.pick([0, 10_000]) : rng.int(0, 10_000);
              const slash = rng.chance(0.4)
                ? 0n
                : rng.chance(0.2)
                  ? life.collateral
                  : rng.big(1n, life.collateral);
              const toClient = rng.chance(0.5);
              const o = market.disputeOutcome(life.price, share, m.params.burnBps, m.params.feeBps);
              // Anything beyond the price goes back with the client's part.
              o.refunded += life.donated;
              add(client.token, o.refunded + (toClient ? slash : 0n));
              settle(o, p);
              if (!toClient) {
                expectedSupply -= slash;
                burnedTotal += slash;
              }
              add(stakeVault, -slash);
              p.active -= slash;
              p.locked -= life.collateral;
              raises.add(p);
              activeWorst.set(p, activeWorst.get(p)! - slash);
              moves.push({
                life,
                label: `resolve ${share} bps, slash ${slash} ${toClient ? "to the client" : "burned"}`,
                expect: "ok",
                send: () =>
                  markets.resolveDispute({
                    job: life.job,
                    providerShareBps: share,
                    slashAmount: slash,
                    slashToClient: toClient,
                    providerToken: p.token,
                    clientToken: client.token,
                    arbiter: m.arbiter,
                  }),
                check: (events) => {
                  const e = one(events, "disputeResolved");
                  expect([
                    u(e.refunded),
                    u(e.burned),
                    u(e.fee),
                    u(e.paid),
                    u(e.slashed),
                    e.slashBurned,
                    e.byDefault,
                  ]).to.deep.equal([
                    o.refunded,
                    o.burned,
                    o.fee,
                    o.paid,
                    slash,
                    !toClient && slash > 0n,
                    false,
                  ]);
                },
              });
              life.state = "closed";
              end(life, "resolve");
            } else if (now <= life.disputedAt + BigInt(m.params.arbitrationWindowSecs)) {
              if (rng.chance(0.15))
                reject("default split early", "ArbitrationWindowOpen", () =>
                  markets.finalizeDispute({
                    job: life.job,
                    providerToken: p.token,
                    clientToken: client.token,
                  }),
                );
            } else {
              const o = market.disputeOutcome(
                life.price,
                m.params.defaultDisputeSplitBps,
                m.params.burnBps,
                m.params.feeBps,
              );
              o.refunded += life.donated;
              add(client.token, o.refunded);
              settle(o, p);
              p.locked -= life.collateral;
              raises.add(p);
              moves.push({
                life,
                label: "default split",
                expect: "ok",
                send: () =>
                  markets.finalizeDispute({
                    job: life.job,
                    providerToken: p.token,
                    clientToken: client.token,
                  }),
                check: (events) => {
                  const e = one(events, "disputeResolved");
                  expect([
                    u(e.refunded),
                    u(e.burned),
                    u(e.fee),
                    u(e.paid),
                    u(e.slashed),
                  ]).to.deep.equal([o.refunded, o.burned, o.fee, o.paid, 0n]);
                  expect(e.byDefault).to.equal(true);
                },
              });
              life.state = "closed";
              end(life, "finalizeDispute");
            }
            break;
          }
        }
      }

      // Providers between jobs: top up (from their earnings) or start unbonding a little. The
      // thin provider p0 only tops up back to just above market A's minimum.
      for (const p of providers) {
        const tokens = expected.get(p.token.toBase58())!;
        const thin = p === providers[0];
        const topUp = thin
          ? p.active < THIN && tokens >= THIN - p.active && rng.chance(0.2)
          : tokens >= 20n * TOKEN && rng.chance(0.04);
        if (topUp) {
          const amount = thin ? THIN - p.active + rng.big(0n, TOKEN) : rng.big(TOKEN, tokens / 2n);
          add(p.token, -amount);
          raises.add(p);
          add(stakeVault, amount);
          p.active += amount;
          moves.push({
            life: null,
            label: `${p.name} stakes ${amount}`,
            expect: "ok",
            send: () => stakingClient.stake({ owner: p.key, mint, source: p.token, amount }),
          });
        } else if (rng.chance(0.03) && free.get(p)! > 60n * TOKEN && p.active > 250n * TOKEN) {
          const amount = rng.big(1n, 20n * TOKEN);
          free.set(p, free.get(p)! - amount);
          activeWorst.set(p, activeWorst.get(p)! - amount);
          p.active -= amount;
          p.unbonding += amount;
          moves.push({
            life: null,
            label: `${p.name} unbonds ${amount}`,
            expect: "ok",
            send: () => stakingClient.requestUnstake({ owner: p.key, mint, amount }),
          });
        }
      }

      // Phase 2: acceptances, by providers whose stake qualifies in any order of the step.
      for (const life of accepting) {
        const eligible = providers.filter(
          (p) =>
            (!life.target || life.target === p) &&
            activeWorst.get(p)! >= life.m.params.minProviderStake &&
            free.get(p)! >= life.collateral,
        );
        const fresh = eligible.filter((p) => !life.quitters.has(p));
        if (eligible.length === 0) {
          life.starved++;
          continue;
        }
        const qualified = (p: Provider) => activeWorst.get(p)! >= life.m.params.minProviderStake;
        // Free stake short of the collateral, or active stake below the market's minimum, in
        // every order of the step's moves. Not a provider that quit this job: the program
        // refuses it as AlreadyQuit before it looks at the stake.
        const short = providers.find(
          (p) =>
            qualified(p) &&
            !raises.has(p) &&
            !life.quitters.has(p) &&
            startFree.get(p)! < life.collateral,
        );
        const low = providers.find(
          (p) =>
            !raises.has(p) &&
            !life.quitters.has(p) &&
            startActive.get(p)! < life.m.params.minProviderStake,
        );
        const probe = rng.next();
        if (life.target && probe < 0.2) {
          // A job reserved for someone else, whatever the stake.
          const other = rng.pick(providers.filter((p) => p !== life.target));
          moves.push({
            life,
            label: `accept by ${other.name} (NotTargetProvider)`,
            expect: "NotTargetProvider",
            send: () => markets.acceptJob({ job: life.job, provider: other.key }),
          });
          continue;
        }
        if (!life.target && short && probe < 0.3) {
          moves.push({
            life,
            label: `accept by ${short.name} (InsufficientFreeStake)`,
            expect: "InsufficientFreeStake",
            send: () => markets.acceptJob({ job: life.job, provider: short.key }),
          });
          continue;
        }
        if (!life.target && low && probe >= 0.3 && probe < 0.4) {
          moves.push({
            life,
            label: `accept by ${low.name} (StakeBelowMarketMinimum)`,
            expect: "StakeBelowMarketMinimum",
            send: () => markets.acceptJob({ job: life.job, provider: low.key }),
          });
          continue;
        }
        if (fresh.length === 0) {
          // Only providers that quit this job qualify: none of them may take it again.
          const q = rng.pick(eligible);
          moves.push({
            life,
            label: `re-accept by ${q.name} (AlreadyQuit)`,
            expect: "AlreadyQuit",
            send: () => markets.acceptJob({ job: life.job, provider: q.key }),
          });
          life.starved++;
          continue;
        }
        const p = rng.pick(fresh);
        free.set(p, free.get(p)! - life.collateral);
        p.locked += life.collateral;
        const deadline = now + life.duration;
        moves.push({
          life,
          label: `accept by ${p.name}`,
          expect: "ok",
          send: () => markets.acceptJob({ job: life.job, provider: p.key }),
          check: (events) => {
            const e = one(events, "jobAccepted");
            expect([u(e.collateral), u(e.deadline)]).to.deep.equal([life.collateral, deadline]);
          },
        });
        life.provider = p;
        life.deadline = deadline;
        life.state = "running";
        life.starved = 0;
      }

      // Someone sends tokens straight to the escrow of a job that makes no move this step.
      const moved = new Set(moves.filter((mv) => mv.expect === "ok").map((mv) => mv.life));
      for (const life of lanes) {
        if (life.state === "closed" || moved.has(life) || !rng.chance(0.03)) continue;
        const amount = rng.big(1n, 3n * TOKEN);
        add(donor.token, -amount);
        life.donated += amount;
        const ix = createTransferCheckedInstruction(
          donor.token,
          mint,
          market.escrowPda(life.job),
          donor.key.publicKey,
          amount,
          DECIMALS,
        );
        moves.push({
          life,
          label: `${amount} sent to the escrow`,
          expect: "ok",
          send: () => sendInstructions(provider, [ix], [donor.key]),
          donation: true,
        });
        stats.donations++;
      }

      // Send the step's moves at once.
      await Promise.all(
        moves.map(async (move) => {
          const where = `step ${stats.steps}, lifecycle ${move.life?.n ?? "-"}: ${move.label}`;
          if (move.life) move.life.path.push(move.label);
          if (move.expect === "ok") {
            let signature: string;
            try {
              signature = await move.send();
            } catch (e) {
              throw new Error(
                `${where} failed: ${(e as Error).name} ${(e as Error).message}\n` +
                  `path: ${move.life?.path.join(" → ")}\n${((e as { logs?: string[] }).logs ?? []).join("\n")}`,
              );
            }
            stats.transactions++;
            const events = await marketEvents(provider, signature);
            if (move.life) move.life.events.push(...events);
            try {
              move.check?.(events);
            } catch (e) {
              throw new Error(`${where}: ${(e as Error).message}`);
            }
          } else {
            await expectError(move.send(), move.expect).catch((e: Error) => {
              throw new Error(`${where}: ${e.message}\npath: ${move.life?.path.join(" → ")}`);
            });
            stats.rejections++;
            rejectionsByName[move.expect] = (rejectionsByName[move.expect] ?? 0) + 1;
          }
        }),
      );

      // --- the invariants, against the chain ---
      const live = lanes.filter((l) => l.state !== "closed");
      const closed = lanes.filter((l) => l.state === "closed");
      const escrows = live.map((l) => market.escrowPda(l.job));
      const keys = [...tracked, stakeVault, ...escrows];
      const infos = await connection.getMultipleAccountsInfo([...keys, mint], "confirmed");
      const amounts = keys.map((k, i) => unpackAccount(k, infos[i]).amount);
      const at = `after step ${stats.steps} (seed ${SEED})`;
      // 1. Per job: deposited (+ donated) = paid + burned + fee + refunded + escrowed.
      for (const [i, life] of [...live, ...closed].entries()) {
        const f = flows(life.events);
        const escrowed = i < live.length ? amounts[tracked.length + 1 + i] : 0n;
        expect(f.deposited, `lifecycle ${life.n} deposit ${at}`).to.equal(life.price);
        expect(
          f.paid + f.burned + f.fee + f.refunded + escrowed,
          `lifecycle ${life.n} conservation ${at}: ${life.path.join(" → ")}`,
        ).to.equal(life.price + life.donated);
      }
      // 2. The supply moved only by the burns.
      expect(unpackMint(mint, infos[keys.length]).supply, `supply ${at}`).to.equal(expectedSupply);
      // Every balance as the model says (a refused move changed nothing).
      for (const [i, k] of [...tracked, stakeVault].entries())
        expect(amounts[i], `balance of ${k.toBase58()} ${at}`).to.equal(expected.get(k.toBase58()));
      // 3. Over every provider of the pool: locked <= active; vault = Σ active + Σ unbonding.
      const stakes = await stakingClient.listProviders(mint);
      let backing = 0n;
      for (const { account } of stakes) {
        expect(account.locked <= account.active, `locked <= active ${at}`).to.equal(true);
        backing += account.active + account.unbonding;
      }
      expect(amounts[tracked.length], `stake vault ${at}`).to.equal(backing);
      for (const p of providers) {
        const s = stakes.find((x) => x.account.owner.equals(p.key.publicKey))!.account;
        expect([s.active, s.locked, s.unbonding], `stake of ${p.name} ${at}`).to.deep.equal([
          p.active,
          p.locked,
          p.unbonding,
        ]);
      }
      // The listings name exactly the live jobs, in their states.
      for (const m of ms) {
        const listed = await markets.listJobs({ market: m.address });
        const want = live.filter((l) => l.m === m);
        expect(
          listed.map((l) => `${l.address.toBase58()}:${l.account.state}`).sort(),
          `jobs of market ${m.name} ${at}`,
        ).to.deep.equal(want.map((l) => `${l.job.toBase58()}:${l.state}`).sort());
      }
      lanes = live;

      // The clock: when every lane waits, to the first moment one can move; else at random.
      const waits = lanes.map((l) => wakeAt(l)).filter((t): t is bigint => t !== null);
      const moving = moves.some((mv) => mv.expect === "ok" && mv.life && !mv.donation);
      let seconds = 0n;
      if (!moving && waits.length > 0) {
        const first = waits.reduce((a, b) => (a < b ? a : b));
        seconds = (first > now ? first - now : 0n) + BigInt(rng.int(0, 120));
      } else {
        const kind = rng.weighted({ none: 55, small: 25, medium: 15, large: 5 });
        if (kind === "small") seconds = BigInt(rng.int(1, 600));
        if (kind === "medium") seconds = BigInt(rng.int(600, 3_600));
        if (kind === "large") seconds = BigInt(rng.int(3_600, 3 * 3_600));
      }
      if (seconds > 0n) {
        const clock = await warp(provider, Number(seconds));
        now = BigInt(clock.unixTimestamp);
        stats.warps++;
      }
    }

    function end(life: Life, ending: Ending) {
      stats.endings[ending] = (stats.endings[ending] ?? 0) + 1;
      if (life.quitters.size > 0)
        stats.endings.quitThenReaccepted = (stats.endings.quitThenReaccepted ?? 0) + 1;
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `      market invariants: ${next} lifecycles in ${stats.steps} steps, ` +
        `${stats.transactions} transactions, ${stats.rejections} expected rejections ` +
        `${JSON.stringify(Object.fromEntries(Object.entries(rejectionsByName).sort()))}, ` +
        `${stats.donations} transfers to escrows, ${stats.warps} warps, burned ${burnedTotal}, ` +
        `${seconds} s (seed ${SEED})`,
    );
    console.log(`      endings: ${JSON.stringify(stats.endings)}`);
    expect(next).to.be.at.least(Math.min(LIFECYCLES, 200));
    if (LIFECYCLES >= 200) {
      for (const ending of [
        "complete",
        "finalize",
        "cancel",
        "resolve",
        "finalizeDispute",
        "expire",
        "quitThenReaccepted",
      ])
        expect(stats.endings[ending] ?? 0, `lifecycles ending by ${ending}`).to.be.above(0);
    }
  });
});

/** The one event `name` among a transaction's events. */
function one(events: market.Event[], name: string): Record<string, unknown> {
  const found = events.filter((e) => e.name === name);
  expect(found, `${name} events`).to.have.length(1);
  return found[0].data;
}

/** A lifecycle's result hash: its number, so every result differs. */
function hash(life: Life): Uint8Array {
  const h = new Uint8Array(32);
  new DataView(h.buffer).setUint32(0, life.n);
  return h;
}

/** When a waiting lane can move next (null when it is not waiting on the clock). */
function wakeAt(life: Life): bigint | null {
  if (life.state === "running" && life.plan === "expire") return life.deadline + 1n;
  if (life.state === "submitted" && life.plan === "finalize") return life.disputeDeadline + 1n;
  if (life.state === "disputed" && life.plan === "finalizeDispute")
    return life.disputedAt + BigInt(life.m.params.arbitrationWindowSecs) + 1n;
  return null;
}

/** Sums of a job's event amounts: deposited, and what went where. */
function flows(events: market.Event[]): Record<string, bigint> {
  const sum = { deposited: 0n, paid: 0n, burned: 0n, fee: 0n, refunded: 0n };
  for (const { name, data } of events) {
    const n = (k: string) => ((data as Record<string, unknown>)[k] as bigint | undefined) ?? 0n;
    if (name === "jobCreated") sum.deposited += n("price");
    if (name === "jobCompleted" || name === "disputeResolved") {
      sum.paid += n("paid");
      sum.burned += n("burned");
      sum.fee += n("fee");
    }
    if (name === "jobCancelled" || name === "disputeResolved" || name === "jobExpired")
      sum.refunded += n("refunded");
  }
  return sum;
}
