// Work rewards through the SDK: the pool's arithmetic mirror against the program's
// (tests/vectors/work.json, written by programs/emissions/tests/work_rewards.rs), and a market
// that records its settlements in a work pool paid by an emission vault, end to end: the
// settlement writes the hour's and the provider's records, the crank finalizes the hour once
// the vault has paid it, the provider's claim pays exactly what the mirror says, and the rest
// of the pool's receipt reaches the staking pool's reward vault.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, EmissionsClient, market, staking } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { expectRejected, tokenAccount, tokenBalance, TOKEN } from "./harness/fixtures";
import {
  defaultParams,
  marketNetwork,
  marketWorld,
  MarketWorld,
  sendAs,
  stakedParty,
  Party,
} from "./harness/market";

interface Vectors {
  hours: Array<{ amount: string; before: string; after: string; weight: string; emission: string }>;
  claims: Array<{
    emission: string;
    burned: string;
    capBps: number;
    own: string;
    distributable: string;
    claim: string;
  }>;
}

const vectors = JSON.parse(
  readFileSync(join(__dirname, "vectors", "work.json"), "utf8"),
) as Vectors;

describe("emissions / work rewards: the SDK's mirror against the program's math", () => {
  it(`allots a range's receipt to its hours as the program (${vectors.hours.length} vectors)`, () => {
    for (const v of vectors.hours) {
      const got = emissions.hourEmission(
        BigInt(v.amount),
        BigInt(v.before),
        BigInt(v.after),
        BigInt(v.weight),
      );
      expect(got, JSON.stringify(v)).to.equal(BigInt(v.emission));
    }
  });

  it(`caps an hour at its burn and splits it pro rata as the program (${vectors.claims.length} vectors)`, () => {
    for (const v of vectors.claims) {
      const d = emissions.workDistributable(BigInt(v.emission), BigInt(v.burned), v.capBps);
      expect(d, JSON.stringify(v)).to.equal(BigInt(v.distributable));
      expect(emissions.workClaim(d, BigInt(v.own), BigInt(v.burned))).to.equal(BigInt(v.claim));
      expect(BigInt(v.claim) * 10_000n <= BigInt(v.own) * BigInt(v.capBps)).to.equal(true);
    }
  });
});

describe("emissions / a market recording work in a pool paid by an emission vault", () => {
  const RATE = 100n * TOKEN;
  let w: MarketWorld;
  let client: EmissionsClient;
  let pool: PublicKey;
  let poolTokens: PublicKey;
  let vault: PublicKey;
  let workMarket: PublicKey;
  let provider: Party;
  const rewardVault = () => staking.rewardVaultPda(staking.poolPda(w.mint));

  before(async function () {
    await requiresTimeTravel(this);
    w = await marketWorld();
    client = new EmissionsClient(w.provider);
    const { mint } = await marketNetwork();
    const vaultId = emissions.randomVaultId();
    // The pool first, so the vault can name its token account among its recipients.
    const created = await client.createWorkPool({
      mint,
      vaultId,
      capBps: 10_000,
      destination: rewardVault(),
    });
    pool = created.pool;
    poolTokens = created.tokenVault;
    const source = await tokenAccount(
      w.provider,
      mint,
      w.provider.wallet.publicKey,
      1_000_000n * TOKEN,
    );
    const now = await emissions.fetchUnixTimestamp(w.provider.connection);
    vault = (
      await client.createVault({
        mint,
        vaultId,
        source,
        startTs: now,
        initialPerHour: RATE,
        decayBps: 0,
        periodHours: 730,
        cap: 1_000n * RATE,
        revocable: true,
        recipients: [
          { tokenAccount: rewardVault(), shareBps: 7_000 },
          { tokenAccount: poolTokens, shareBps: 3_000 },
        ],
      })
    ).vault;
    const marketId = 9_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    await w.markets.createMarket({
      marketId,
      name: "gpu-work",
      arbiter: w.arbiter.publicKey,
      stakingPool: staking.poolPda(mint),
      params: defaultParams(),
      workPool: pool,
    });
    workMarket = market.marketPda(marketId);
    provider = await stakedParty(w, 500n * TOKEN);
  });

  async function settledJob(price: bigint): Promise<void> {
    const { jobs } = await w.markets.createJobs({
      market: workMarket,
      client: w.client.key,
      clientToken: w.client.token,
      jobs: [{ price, durationSecs: 3_600n }],
    });
    const job = jobs[0];
    await w.markets.acceptJob({ job, provider: provider.key });
    await w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: provider.key });
    await w.markets.completeJob({ job, providerToken: provider.token, client: w.client.key });
  }

  it("records each settlement's burn, finalizes the hour once paid and pays the provider its capped share", async () => {
    const m = await w.markets.fetchMarket(workMarket);
    expect(m!.workPool!.equals(pool)).to.equal(true);
    await settledJob(10n * TOKEN);
    await settledJob(15n * TOKEN);
    const burn = (25n * TOKEN * 2_000n) / 10_000n;
    const v = await client.fetchVault(vault);
    const now = await emissions.fetchUnixTimestamp(w.provider.connection);
    const hour = emissions.currentHour(v!, now);
    const record = await emissions.fetchWorkHour(
      w.provider.connection,
      emissions.workHourPda(pool, hour),
    );
    expect(record!.burned).to.equal(burn);
    const mine = await emissions.listProviderWork(
      w.provider.connection,
      pool,
      provider.key.publicKey,
    );
    expect(mine.map((r) => r.account.burned)).to.deep.equal([burn]);

    // Not finalized before its hour is paid: a claim is refused by name, nothing moves.
    const claim = emissions.claimWorkReward({
      mint: w.mint,
      poolId: (await client.fetchWorkPool(pool))!.poolId,
      claimer: w.provider.wallet.publicKey,
      provider: provider.key.publicKey,
      providerToken: provider.token,
      rentPayer: w.client.key.publicKey,
      hour,
    });
    await expectRejected(w.provider, () => sendAs(w, [claim]), "WorkHourNotFinalized", {
      tokens: [provider.token, poolTokens],
      accounts: [pool, emissions.workHourPda(pool, hour)],
    });

    await warp(w.provider, 3_600);
    await client.emit({ vault });
    const before = await tokenBalance(w.provider, rewardVault());
    const cranked = await client.crankWorkPool(pool);
    expect(cranked.length).to.be.greaterThan(0);
    const final = await emissions.fetchWorkHour(
      w.provider.connection,
      emissions.workHourPda(pool, hour),
    );
    expect(final!.finalized).to.equal(true);
    const received = (await client.fetchWorkPool(pool))!.totalReceived;
    // The pool's first range is the vault's first hour (30 % of 100 tokens): the burn (5
    // tokens) caps what its provider shares; the rest goes to the destination at once.
    expect(received).to.equal((RATE * 3_000n) / 10_000n);
    expect(final!.emission).to.equal(received);
    expect(final!.distributable).to.equal(burn);
    expect(
      (await tokenBalance(w.provider, rewardVault())) - before,
      "the destination gets what the hour leaves",
    ).to.equal(received - burn);

    const owed = emissions.claimableFor(final!, burn);
    const start = await tokenBalance(w.provider, provider.token);
    const claimed = await client.claimWorkRewards({
      pool,
      provider: provider.key.publicKey,
      providerToken: provider.token,
    });
    expect(claimed.amount).to.equal(owed);
    expect((await tokenBalance(w.provider, provider.token)) - start).to.equal(owed);
    // Everything the pool received is claimed, delivered or owed to the destination.
    const p = (await client.fetchWorkPool(pool))!;
    expect(p.reserved).to.equal(0n);
    expect(p.totalClaimed + p.totalToDestination + p.owedToDestination).to.equal(p.totalReceived);
    // Nothing left to claim, so nothing is paid twice.
    const again = await client.claimWorkRewards({ pool, provider: provider.key.publicKey });
    expect(again.amount).to.equal(0n);
    expect(again.signatures).to.deep.equal([]);
  });
});
