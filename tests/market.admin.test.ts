// The market's admin instructions through the SDK over RPC: the global config, markets and
// their bounded terms, the pause, the two-step admin transfer and the treasury. Each rejection
// asserts the exact error name and that no balance, lamport or account byte moved.
import { createMint, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { market, MarketClient, staking, StakingClient } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import { DECIMALS, expectRejected, payerOf, TOKEN, tokenAccount } from "./harness/fixtures";
import {
  tokenBalance,
  DAY,
  defaultParams,
  HOUR,
  jobOf,
  marketEvent,
  marketNetwork,
  MarketWorld,
  marketWorld,
  postJob,
  PRICE,
  runningJob,
  sendAs,
  submittedJob,
  supply,
  untouched,
} from "./harness/market";

const ix = market.instructions;

let nextId = BigInt(Date.now()) * 1000n + 500_000_000n;

/** A market id nobody used. */
function freshId(): bigint {
  return nextId++;
}

/** A mint of the wallet that is not the network token. */
async function otherMint(w: MarketWorld): Promise<PublicKey> {
  const payer = payerOf(w.provider);
  return createMint(
    w.provider.connection,
    payer,
    payer.publicKey,
    null,
    DECIMALS,
    Keypair.generate(),
    undefined,
    TOKEN_PROGRAM_ID,
  );
}

/** A `create_market` instruction by the wallet with `params` (defaults otherwise). */
function createMarketIx(
  w: MarketWorld,
  o: {
    marketId?: bigint;
    name?: string;
    params?: market.MarketParams;
    admin?: PublicKey;
    stakingPool?: PublicKey;
  } = {},
) {
  return ix.createMarket({
    admin: o.admin ?? w.provider.wallet.publicKey,
    marketId: o.marketId ?? freshId(),
    name: o.name ?? "bounded",
    arbiter: w.arbiter.publicKey,
    stakingPool: o.stakingPool ?? staking.poolPda(w.mint),
    params: o.params ?? defaultParams(),
  });
}

describe("market / init_config", () => {
  let w: MarketWorld;
  before(async () => {
    w = await marketWorld();
  });

  it("holds the network token, the treasury, the wallet as admin and the collateral bump", async () => {
    const net = await marketNetwork();
    const config = (await w.markets.fetchConfig())!;
    expect(config.mint.equals(net.mint)).to.equal(true);
    expect(config.treasury.equals(net.treasury)).to.equal(true);
    expect(config.admin.equals(w.provider.wallet.publicKey)).to.equal(true);
    expect(config.pendingAdmin.equals(PublicKey.default)).to.equal(true);
    const [collateral, bump] = PublicKey.findProgramAddressSync(
      [Buffer.from("collateral")],
      w.markets.program.programId,
    );
    expect(collateral.equals(market.collateralPda())).to.equal(true);
    expect(config.collateralBump).to.equal(bump);
  });

  it("rejects a second init by the admin: the config PDA is taken (AccountAlreadyInUse)", async () => {
    await expectRejected(
      w.provider,
      () => w.markets.initConfig({ mint: w.mint, treasury: w.treasury }),
      "AccountAlreadyInUse",
      await untouched(w),
    );
  });

  it("rejects an init by a key that is not the mint authority (AccountAlreadyInUse)", async () => {
    // The attacker's own mint, of which it is the authority, and a treasury of it: the config
    // cannot be taken over either way, because it exists.
    const attackerMint = await otherMint(w);
    const attackerTreasury = await tokenAccount(w.provider, attackerMint, w.attacker.key.publicKey);
    for (const [mint, treasury] of [
      [w.mint, w.attacker.token],
      [attackerMint, attackerTreasury],
    ]) {
      await expectRejected(
        w.provider,
        () =>
          sendAs(
            w,
            [
              ix.initConfig({
                admin: w.attacker.key.publicKey,
                mint,
                treasury,
                tokenProgram: TOKEN_PROGRAM_ID,
              }),
            ],
            [w.attacker.key],
          ),
        "AccountAlreadyInUse",
        await untouched(w),
      );
    }
  });
});

describe("market / create_market", () => {
  let w: MarketWorld;
  before(async () => {
    w = await marketWorld();
  });

  const pool = (w: MarketWorld) => staking.poolPda(w.mint);

  it("creates a market with its terms, pool and arbiter, and announces it", async () => {
    const marketId = freshId();
    const params = defaultParams({ burnBps: 3_000, feeBps: 7_000, collateralBps: 10_000 });
    const signature = await w.markets.createMarket({
      marketId,
      name: "h100-€uro",
      arbiter: w.arbiter.publicKey,
      stakingPool: pool(w),
      params,
    });
    const address = market.marketPda(marketId);
    const m = (await w.markets.fetchMarket(address))!;
    expect(m.marketId).to.equal(marketId);
    expect(m.name).to.equal("h100-€uro");
    expect(m.mint.equals(w.mint)).to.equal(true);
    expect(m.tokenProgram.equals(TOKEN_PROGRAM_ID)).to.equal(true);
    expect(m.stakingPool.equals(pool(w))).to.equal(true);
    expect(m.arbiter.equals(w.arbiter.publicKey)).to.equal(true);
    expect(m.params).to.deep.equal(params);
    expect(m.paused).to.equal(false);
    const e = await marketEvent(w.provider, signature, "marketCreated");
    expect((e.market as PublicKey).equals(address)).to.equal(true);
    expect(e.marketId).to.equal(marketId);
    expect((e.stakingPool as PublicKey).equals(pool(w))).to.equal(true);
    expect(e.params).to.deep.equal(params);
    const listed = await w.markets.listMarkets();
    expect(listed.some((l) => l.address.equals(address))).to.equal(true);
  });

  it("accepts every bound at its edge (burn + fee = 10 000, windows at 60 s and at their maxima, lifetime and grace at theirs)", async () => {
    for (const params of [
      defaultParams({
        burnBps: 10_000,
        feeBps: 0,
        maxDurationSecs: 60n,
        disputeWindowSecs: 60n,
        arbitrationWindowSecs: 60n,
        minProviderStake: 1n,
        jobLifetimeSecs: 60n,
        quitGraceSecs: 60n,
      }),
      defaultParams({ jobLifetimeSecs: 120n * DAY, quitGraceSecs: DAY }),
      defaultParams({ quitGraceSecs: 0n }),
      defaultParams({
        burnBps: 0,
        feeBps: 10_000,
        collateralBps: 10_000,
        defaultDisputeSplitBps: 10_000,
        expirySlashBps: 10_000,
        maxDurationSecs: 30n * DAY,
        disputeWindowSecs: 30n * DAY,
        arbitrationWindowSecs: 90n * DAY,
        jobLifetimeSecs: 30n * DAY,
      }),
    ]) {
      const marketId = freshId();
      await sendAs(w, [createMarketIx(w, { marketId, params, name: "x".repeat(32) })]);
      expect((await w.markets.fetchMarket(market.marketPda(marketId)))!.params).to.deep.equal(
        params,
      );
    }
  });

  it("rejects a key that is not the admin (NotAdmin)", async () => {
    const marketId = freshId();
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [createMarketIx(w, { marketId, admin: w.attacker.key.publicKey })],
          [w.attacker.key],
        ),
      "NotAdmin",
      await untouched(w, [], { accounts: [market.marketPda(marketId)] }),
    );
  });

  const bad: Array<[string, Partial<market.MarketParams>, string]> = [
    ["burn + fee above 10 000", { burnBps: 9_600, feeBps: 500 }, "InvalidFeeSplit"],
    ["fee alone above 10 000", { burnBps: 0, feeBps: 10_001 }, "InvalidFeeSplit"],
    ["collateral above 10 000 bps", { collateralBps: 10_001 }, "InvalidBps"],
    ["a default split above 10 000 bps", { defaultDisputeSplitBps: 10_001 }, "InvalidBps"],
    ["an expiry slash above 10 000 bps", { expirySlashBps: 10_001 }, "InvalidBps"],
    ["a maximum duration under 60 s", { maxDurationSecs: 59n }, "InvalidWindow"],
    ["a maximum duration over 30 days", { maxDurationSecs: 30n * DAY + 1n }, "InvalidWindow"],
    ["a dispute window under 60 s", { disputeWindowSecs: 59n }, "InvalidWindow"],
    ["a dispute window over 30 days", { disputeWindowSecs: 30n * DAY + 1n }, "InvalidWindow"],
    ["an arbitration window under 60 s", { arbitrationWindowSecs: 59n }, "InvalidWindow"],
    [
      "an arbitration window over 90 days",
      { arbitrationWindowSecs: 90n * DAY + 1n },
      "InvalidWindow",
    ],
    ["a zero minimum provider stake", { minProviderStake: 0n }, "InvalidMinProviderStake"],
    [
      "a job lifetime shorter than the maximum duration",
      { jobLifetimeSecs: 7n * DAY - 1n },
      "InvalidJobLifetime",
    ],
    ["a job lifetime over 120 days", { jobLifetimeSecs: 120n * DAY + 1n }, "InvalidJobLifetime"],
    ["a quit grace over one day", { quitGraceSecs: DAY + 1n }, "InvalidQuitGrace"],
    [
      "a quit grace longer than the maximum duration",
      { maxDurationSecs: HOUR, quitGraceSecs: HOUR + 1n },
      "InvalidQuitGrace",
    ],
  ];
  for (const [what, change, error] of bad) {
    it(`rejects ${what} (${error})`, async () => {
      const marketId = freshId();
      await expectRejected(
        w.provider,
        () => sendAs(w, [createMarketIx(w, { marketId, params: defaultParams(change) })]),
        error,
        await untouched(w, [], { accounts: [market.marketPda(marketId)] }),
      );
    });
  }

  for (const [what, name] of [
    ["an empty name", ""],
    ["a name of 33 bytes", "x".repeat(33)],
    ["a name of 11 three-byte characters (33 bytes)", "€".repeat(11)],
    ["a name with a NUL byte", "gpu\u0000a100"],
  ]) {
    it(`rejects ${what} (InvalidName)`, async () => {
      const marketId = freshId();
      await expectRejected(
        w.provider,
        () => sendAs(w, [createMarketIx(w, { marketId, name })]),
        "InvalidName",
        await untouched(w, [], { accounts: [market.marketPda(marketId)] }),
      );
    });
  }

  it("rejects a market id already taken (AccountAlreadyInUse)", async () => {
    await expectRejected(
      w.provider,
      () => sendAs(w, [createMarketIx(w, { marketId: w.marketId })]),
      "AccountAlreadyInUse",
      await untouched(w),
    );
  });

  it("rejects the staking pool of another mint (WrongMint), whatever its locker", async () => {
    // The config names one network token, which has one pool (["pool", mint]) whose locker is
    // the collateral PDA and cannot change, so PoolLockerMismatch cannot be reached over RPC
    // once the config exists. A pool of another mint fails on its mint first, whatever its
    // locker.
    const stakingClient = new StakingClient(w.provider);
    for (const locker of [market.collateralPda(), Keypair.generate().publicKey]) {
      const mint = await otherMint(w);
      await stakingClient.initPool({ mint, minStake: TOKEN, unbondingSecs: DAY, locker });
      const marketId = freshId();
      await expectRejected(
        w.provider,
        () => sendAs(w, [createMarketIx(w, { marketId, stakingPool: staking.poolPda(mint) })]),
        "WrongMint",
        await untouched(w, [], { accounts: [market.marketPda(marketId), staking.poolPda(mint)] }),
      );
    }
  });
});

describe("market / update_market", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("replaces the terms and the arbiter, and announces old and new", async () => {
    const before = (await w.markets.fetchMarket(w.market))!;
    const params = defaultParams({ burnBps: 1_234, feeBps: 4_321, disputeWindowSecs: HOUR });
    const arbiter = Keypair.generate().publicKey;
    const signature = await w.markets.updateMarket({ market: w.market, params, arbiter });
    const after = (await w.markets.fetchMarket(w.market))!;
    expect(after.params).to.deep.equal(params);
    expect(after.arbiter.equals(arbiter)).to.equal(true);
    expect({ ...after, params: before.params, arbiter: before.arbiter }).to.deep.equal(before);
    const e = await marketEvent(w.provider, signature, "marketUpdated");
    expect(e.oldParams).to.deep.equal(before.params);
    expect(e.newParams).to.deep.equal(params);
    expect((e.oldArbiter as PublicKey).equals(w.arbiter.publicKey)).to.equal(true);
    expect((e.newArbiter as PublicKey).equals(arbiter)).to.equal(true);
  });

  it("leaves an existing job its burn, fee and windows: it settles on the old terms", async () => {
    const old = await postJob(w);
    const oldJob = await jobOf(w, old);
    await w.markets.updateMarket({
      market: w.market,
      params: defaultParams({
        burnBps: 0,
        feeBps: 1_000,
        disputeWindowSecs: 60n,
        collateralBps: 0,
      }),
      arbiter: w.arbiter.publicKey,
    });
    expect(await jobOf(w, old)).to.deep.equal(oldJob);
    const fresh = await postJob(w);
    const freshJob = await jobOf(w, fresh);
    expect([freshJob.burnBps, freshJob.feeBps, freshJob.disputeWindowSecs]).to.deep.equal([
      0,
      1_000,
      60n,
    ]);
    expect(freshJob.collateral).to.equal(TOKEN);

    for (const job of [old, fresh]) {
      await w.markets.acceptJob({ job, provider: w.worker.key });
      await w.markets.submitResult({ job, resultHash: new Uint8Array(32), provider: w.worker.key });
    }
    const supplyBefore = await supply(w.provider, w.mint);
    const feesBefore = await tokenBalance(w.provider, w.feeVault);
    const sig = await w.markets.completeJob({
      job: old,
      providerToken: w.worker.token,
      client: w.client.key,
    });
    const s = market.settlementSplit(PRICE, 2_000, 500);
    const e = await marketEvent(w.provider, sig, "jobCompleted");
    expect([e.burned, e.fee, e.paid]).to.deep.equal([s.burned, s.fee, s.paid]);
    expect(supplyBefore - (await supply(w.provider, w.mint))).to.equal(s.burned);
    expect((await tokenBalance(w.provider, w.feeVault)) - feesBefore).to.equal(s.fee);
    expect(await tokenBalance(w.provider, w.worker.token)).to.equal(s.paid);

    const sig2 = await w.markets.completeJob({
      job: fresh,
      providerToken: w.worker.token,
      client: w.client.key,
    });
    const s2 = market.settlementSplit(PRICE, 0, 1_000);
    const e2 = await marketEvent(w.provider, sig2, "jobCompleted");
    expect([e2.burned, e2.fee, e2.paid]).to.deep.equal([s2.burned, s2.fee, s2.paid]);
    expect(await tokenBalance(w.provider, w.worker.token)).to.equal(s.paid + s2.paid);
  });

  it("rejects a key that is not the admin (NotAdmin)", async () => {
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [
            ix.updateMarket({
              admin: w.attacker.key.publicKey,
              market: w.market,
              params: defaultParams({ feeBps: 10_000, burnBps: 0 }),
              arbiter: w.attacker.key.publicKey,
            }),
          ],
          [w.attacker.key],
        ),
      "NotAdmin",
      await untouched(w),
    );
  });

  it("rejects terms out of bounds (InvalidFeeSplit, InvalidWindow)", async () => {
    for (const [change, error] of [
      [{ burnBps: 5_000, feeBps: 5_001 }, "InvalidFeeSplit"],
      [{ arbitrationWindowSecs: 0n }, "InvalidWindow"],
    ] as Array<[Partial<market.MarketParams>, string]>) {
      await expectRejected(
        w.provider,
        () =>
          w.markets.updateMarket({
            market: w.market,
            params: defaultParams(change),
            arbiter: w.arbiter.publicKey,
          }),
        error,
        await untouched(w),
      );
    }
  });
});

describe("market / set_market_paused", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("stops new jobs and acceptances; cancel, complete, dispute and reclaim go on", async function () {
    await requiresTimeTravel(this);
    const open = await postJob(w);
    const toAccept = await postJob(w);
    const toComplete = await submittedJob(w);
    const toDispute = await submittedJob(w);
    const toExpire = await runningJob(w, { durationSecs: 60n });

    const signature = await w.markets.setMarketPaused({ market: w.market, paused: true });
    const e = await marketEvent(w.provider, signature, "marketPausedSet");
    expect([e.oldPaused, e.newPaused]).to.deep.equal([false, true]);
    expect((await w.markets.fetchMarket(w.market))!.paused).to.equal(true);

    await expectRejected(w.provider, () => postJob(w), "MarketPaused", await untouched(w));
    await expectRejected(
      w.provider,
      () => w.markets.acceptJob({ job: toAccept, provider: w.worker.key }),
      "MarketPaused",
      await untouched(w, [toAccept]),
    );

    // The exits.
    await w.markets.cancelJob({ job: open, clientToken: w.client.token, client: w.client.key });
    await w.markets.completeJob({
      job: toComplete,
      providerToken: w.worker.token,
      client: w.client.key,
    });
    await w.markets.disputeJob({ job: toDispute, client: w.client.key });
    await warp(w.provider, 61);
    await w.markets.reclaimExpired({ job: toExpire, clientToken: w.client.token });
    for (const job of [open, toComplete, toExpire])
      expect(await w.markets.fetchJob(job)).to.equal(null);
    expect((await jobOf(w, toDispute)).state).to.equal("disputed");
    // The arbiter can still decide a dispute in a paused market.
    await w.markets.resolveDispute({
      job: toDispute,
      providerShareBps: 5_000,
      slashAmount: 0n,
      providerToken: w.worker.token,
      clientToken: w.client.token,
      arbiter: w.arbiter,
    });
    expect(await w.markets.fetchJob(toDispute)).to.equal(null);

    // Resumed: new business again.
    await w.markets.setMarketPaused({ market: w.market, paused: false });
    await w.markets.acceptJob({ job: toAccept, provider: w.worker.key });
    expect((await jobOf(w, toAccept)).state).to.equal("running");
    await postJob(w);
  });

  it("rejects a key that is not the admin (NotAdmin)", async () => {
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [ix.setMarketPaused({ admin: w.attacker.key.publicKey, market: w.market, paused: true })],
          [w.attacker.key],
        ),
      "NotAdmin",
      await untouched(w),
    );
  });
});

describe("market / propose_admin and accept_admin", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  /** Gives the config back to the wallet if a test left it with `holder`. */
  async function restore(holder: Keypair): Promise<void> {
    const config = (await w.markets.fetchConfig())!;
    const wallet = w.provider.wallet.publicKey;
    if (config.admin.equals(holder.publicKey)) {
      await sendAs(w, [ix.proposeAdmin({ admin: holder.publicKey, newAdmin: wallet })], [holder]);
      await w.markets.acceptAdmin();
    }
    expect((await w.markets.fetchConfig())!.admin.equals(wallet)).to.equal(true);
  }

  it("hands the config over in two steps, and back", async () => {
    const wallet = w.provider.wallet.publicKey;
    const next = w.arbiter;
    try {
      const proposed = await w.markets.proposeAdmin({ newAdmin: next.publicKey });
      let e = await marketEvent(w.provider, proposed, "adminProposed");
      expect((e.admin as PublicKey).equals(wallet)).to.equal(true);
      expect((e.oldPendingAdmin as PublicKey).equals(PublicKey.default)).to.equal(true);
      expect((e.newPendingAdmin as PublicKey).equals(next.publicKey)).to.equal(true);
      let config = (await w.markets.fetchConfig())!;
      expect(config.admin.equals(wallet)).to.equal(true);
      expect(config.pendingAdmin.equals(next.publicKey)).to.equal(true);

      const accepted = await w.markets.acceptAdmin({ newAdmin: next });
      e = await marketEvent(w.provider, accepted, "adminTransferred");
      expect((e.oldAdmin as PublicKey).equals(wallet)).to.equal(true);
      expect((e.newAdmin as PublicKey).equals(next.publicKey)).to.equal(true);
      config = (await w.markets.fetchConfig())!;
      expect(config.admin.equals(next.publicKey)).to.equal(true);
      expect(config.pendingAdmin.equals(PublicKey.default)).to.equal(true);

      // The old admin is no longer one.
      await expectRejected(
        w.provider,
        () => w.markets.setMarketPaused({ market: w.market, paused: true }),
        "NotAdmin",
        await untouched(w),
      );
      // The new one is.
      await sendAs(
        w,
        [ix.setMarketPaused({ admin: next.publicKey, market: w.market, paused: true })],
        [next],
      );
      expect((await w.markets.fetchMarket(w.market))!.paused).to.equal(true);
    } finally {
      await restore(next);
    }
  });

  it("rejects a proposal by a key that is not the admin (NotAdmin)", async () => {
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [
            ix.proposeAdmin({
              admin: w.attacker.key.publicKey,
              newAdmin: w.attacker.key.publicKey,
            }),
          ],
          [w.attacker.key],
        ),
      "NotAdmin",
      await untouched(w),
    );
  });

  it("rejects an acceptance by a key that was not proposed (NotPendingAdmin), before and after a proposal", async () => {
    try {
      await expectRejected(
        w.provider,
        () => w.markets.acceptAdmin({ newAdmin: w.attacker.key }),
        "NotPendingAdmin",
        await untouched(w),
      );
      await w.markets.proposeAdmin({ newAdmin: w.arbiter.publicKey });
      await expectRejected(
        w.provider,
        () => w.markets.acceptAdmin({ newAdmin: w.attacker.key }),
        "NotPendingAdmin",
        await untouched(w),
      );
    } finally {
      // Withdraw the proposal: propose the wallet itself and accept.
      await w.markets.proposeAdmin({ newAdmin: w.provider.wallet.publicKey });
      await w.markets.acceptAdmin();
      await restore(w.arbiter);
    }
    expect((await w.markets.fetchConfig())!.pendingAdmin.equals(PublicKey.default)).to.equal(true);
  });

  it("rejects proposing the default key (InvalidAdmin)", async () => {
    await expectRejected(
      w.provider,
      () => w.markets.proposeAdmin({ newAdmin: PublicKey.default }),
      "InvalidAdmin",
      await untouched(w),
    );
  });
});

describe("market / set_treasury", () => {
  let w: MarketWorld;
  beforeEach(async () => {
    w = await marketWorld();
  });

  it("points the fee sweeps at another account of the network token, and back", async () => {
    const original = w.treasury;
    const next = await tokenAccount(w.provider, w.mint, w.arbiter.publicKey);
    const job = await submittedJob(w);
    try {
      const signature = await w.markets.setTreasury({ newTreasury: next });
      const e = await marketEvent(w.provider, signature, "treasuryChanged");
      expect((e.oldTreasury as PublicKey).equals(original)).to.equal(true);
      expect((e.newTreasury as PublicKey).equals(next)).to.equal(true);
      expect((await w.markets.fetchConfig())!.treasury.equals(next)).to.equal(true);
      const before = await tokenBalance(w.provider, original);
      await w.markets.sweepFees(); // whatever the vault held before this test
      const fees = await tokenBalance(w.provider, next);
      await w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key });
      // The fee waits in the fee vault; the sweep sends it to the new treasury only.
      const fee = market.settlementSplit(PRICE, 2_000, 500).fee;
      expect(await tokenBalance(w.provider, w.feeVault)).to.equal(fee);
      await w.markets.sweepFees();
      expect(await tokenBalance(w.provider, next)).to.equal(fees + fee);
      expect(await tokenBalance(w.provider, w.feeVault)).to.equal(0n);
      expect(await tokenBalance(w.provider, original)).to.equal(before);
    } finally {
      await w.markets.setTreasury({ newTreasury: original });
    }
    expect((await w.markets.fetchConfig())!.treasury.equals(original)).to.equal(true);
  });

  it("lets a client that fetched the market's accounts before the change still settle", async () => {
    // A long-lived MarketClient (a dApp's, a crank's) caches each market's context; the admin
    // changes the treasury from elsewhere. Settlements name the fee vault, which never moves.
    const original = w.treasury;
    const next = await tokenAccount(w.provider, w.mint, w.arbiter.publicKey);
    const job = await submittedJob(w); // w.markets has now cached the context
    const admin = new MarketClient(w.provider);
    try {
      await admin.setTreasury({ newTreasury: next });
      const before = await tokenBalance(w.provider, w.feeVault);
      await w.markets.completeJob({ job, providerToken: w.worker.token, client: w.client.key });
      expect((await tokenBalance(w.provider, w.feeVault)) - before).to.equal(
        market.settlementSplit(PRICE, 2_000, 500).fee,
      );
    } finally {
      await admin.setTreasury({ newTreasury: original });
    }
  });

  it("rejects a key that is not the admin (NotAdmin)", async () => {
    await expectRejected(
      w.provider,
      () =>
        sendAs(
          w,
          [ix.setTreasury({ admin: w.attacker.key.publicKey, newTreasury: w.attacker.token })],
          [w.attacker.key],
        ),
      "NotAdmin",
      await untouched(w),
    );
  });

  it("rejects a treasury of another mint (WrongMint)", async () => {
    const mint = await otherMint(w);
    const foreign = await tokenAccount(w.provider, mint, w.provider.wallet.publicKey);
    await expectRejected(
      w.provider,
      () => w.markets.setTreasury({ newTreasury: foreign }),
      "WrongMint",
      await untouched(w),
    );
  });
});
