// The provider's remaining instructions through the SDK, against the local validator:
// cancel_unstake and close_stake; amounts at the edge of u64; and the server-side filtered
// listing of a pool's providers.
import { Connection, GetProgramAccountsConfig, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { sendInstructions, staking, StakingClient } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  expectRejected,
  lamportsOf,
  newStaker,
  payRewards,
  StakingWorld,
  stakingWorld,
  stakeActive,
  TOKEN,
  tokenAccount,
  tokenBalance,
  txEvent,
} from "./harness/fixtures";

const DAY = 24n * 3600n;
const U64_MAX = (1n << 64n) - 1n;

describe("staking / cancel_unstake", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let stakeVault: PublicKey;
  let stakeAccount: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 100n * TOKEN, unbondingSecs: 14n * DAY });
    pool = staking.poolPda(w.mint);
    stakeVault = (await w.client.fetchPool(w.mint))!.stakeVault;
    stakeAccount = staking.providerStakePda(pool, w.provider1.publicKey);
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
  });

  it("returns all unbonding stake to active, with the pool totals, moving no token", async () => {
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 120n * TOKEN });
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 80n * TOKEN });
    let p = (await w.client.fetchPool(w.mint))!;
    expect(p.totalActive).to.equal(300n * TOKEN);
    expect(p.totalUnbonding).to.equal(200n * TOKEN);

    const signature = await w.client.cancelUnstake({ mint: w.mint, owner: w.provider1 });
    const s = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(s.active).to.equal(500n * TOKEN);
    expect(s.unbonding).to.equal(0n);
    expect(s.unbondingReadyAt).to.equal(0n);
    expect(s.locked).to.equal(0n);
    p = (await w.client.fetchPool(w.mint))!;
    expect(p.totalActive).to.equal(500n * TOKEN);
    expect(p.totalUnbonding).to.equal(0n);
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(500n * TOKEN);
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(500n * TOKEN);

    const event = await txEvent(w.provider, signature, "unstakeCancelled");
    expect((event.pool as PublicKey).equals(pool)).to.equal(true);
    expect((event.owner as PublicKey).equals(w.provider1.publicKey)).to.equal(true);
    expect(event.amount).to.equal(200n * TOKEN);
    expect(event.active).to.equal(500n * TOKEN);
    expect(event.totalActive).to.equal(500n * TOKEN);

    // Cancelled stake is active again: it can be unstaked anew, on a fresh timer.
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 400n * TOKEN });
    expect((await w.client.fetchStake(w.mint, w.provider1.publicKey))!.unbonding).to.equal(
      400n * TOKEN,
    );
  });

  it("settles rewards first: unbonding stake earned nothing, re-activated stake earns from then on", async function () {
    await requiresTimeTravel(this);
    const w2 = await stakingWorld({ minStake: 1n });
    const unit = 1n << 27n;
    await stakeActive(w2, {
      owner: w2.provider1,
      mint: w2.mint,
      source: w2.providerSource,
      amount: 4n * unit,
    });
    await w2.client.requestUnstake({ owner: w2.provider1, mint: w2.mint, amount: 2n * unit });
    const other = await newStaker(w2);
    await stakeActive(w2, {
      owner: other.keypair,
      mint: w2.mint,
      source: other.source,
      amount: 2n * unit,
    });
    // Active: 2 units each; provider1's 2 unbonding units earn nothing.
    await payRewards(w2, 1_000n);
    await w2.client.cancelUnstake({ mint: w2.mint, owner: w2.provider1 });
    expect((await w2.client.fetchStake(w2.mint, w2.provider1.publicKey))!.rewardsPending).to.equal(
      500n,
    );
    // The returned stake warms up again: while it does, the split stays 2 : 2.
    const s1 = (await w2.client.fetchStake(w2.mint, w2.provider1.publicKey))!;
    expect([s1.active, s1.warming]).to.deep.equal([4n * unit, 2n * unit]);
    await payRewards(w2, 200n);
    await warp(w2.provider, Number(staking.WARMUP_SECS));
    await w2.client.activateStake({ mint: w2.mint, owner: w2.provider1.publicKey });
    // Now 4 : 2.
    await payRewards(w2, 1_200n);
    expect(await w2.client.pendingRewards(w2.mint, w2.provider1.publicKey)).to.equal(
      500n + 100n + 800n,
    );
    expect(await w2.client.pendingRewards(w2.mint, other.keypair.publicKey)).to.equal(
      500n + 100n + 400n,
    );
  });

  it("rejects a cancel with nothing unbonding (NothingUnbonding)", async () => {
    await expectRejected(
      w.provider,
      () => w.client.cancelUnstake({ mint: w.mint, owner: w.provider1 }),
      "NothingUnbonding",
      {
        tokens: [stakeVault, w.providerSource],
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
  });

  it("rejects an attacker cancelling a provider's unstake: it only reaches its own PDA (AccountNotInitialized), and naming the provider's breaks the seeds", async () => {
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 200n * TOKEN });
    const untouched = {
      tokens: [stakeVault],
      lamports: [w.admin, w.attacker.publicKey],
      accounts: [pool, stakeAccount],
    };
    await expectRejected(
      w.provider,
      () => w.client.cancelUnstake({ mint: w.mint, owner: w.attacker }),
      "AccountNotInitialized",
      untouched,
    );

    const ix = staking.instructions.cancelUnstake({
      owner: w.attacker.publicKey,
      mint: w.mint,
    });
    ix.keys[2].pubkey = stakeAccount;
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [ix], [w.attacker]),
      "ConstraintSeeds",
      untouched,
    );
  });
});

describe("staking / close_stake", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let stakeAccount: PublicKey;
  // The stake is active (an hour of warm-up): every test here needs time travel.
  beforeEach(async function () {
    await requiresTimeTravel(this);
    w = await stakingWorld({ minStake: 100n * TOKEN, unbondingSecs: 14n * DAY });
    pool = staking.poolPda(w.mint);
    stakeAccount = staking.providerStakePda(pool, w.provider1.publicKey);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
  });

  async function exit(): Promise<void> {
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 500n * TOKEN });
    await warp(w.provider, Number(14n * DAY));
    await w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource });
  }

  it("closes an empty stake account, returning its rent to the owner", async () => {
    await exit();
    const rent = BigInt(
      (await w.provider.connection.getAccountInfo(stakeAccount, "confirmed"))!.lamports,
    );
    expect(rent > 0n).to.equal(true);
    const ownerBefore = await lamportsOf(w.provider, w.provider1.publicKey);
    const signature = await w.client.closeStake({ mint: w.mint, owner: w.provider1 });
    expect(await w.provider.connection.getAccountInfo(stakeAccount, "confirmed")).to.equal(null);
    expect(await w.client.fetchStake(w.mint, w.provider1.publicKey)).to.equal(null);
    // The wallet paid the fee; the owner got exactly the rent.
    expect((await lamportsOf(w.provider, w.provider1.publicKey)) - ownerBefore).to.equal(rent);
    const event = await txEvent(w.provider, signature, "stakeClosed");
    expect((event.owner as PublicKey).equals(w.provider1.publicKey)).to.equal(true);
    expect(event.rewardsClaimed).to.equal(0n);
    expect(event.slashedTotal).to.equal(0n);
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(1_000n * TOKEN);
    // The owner can come back: a new stake opens a fresh account.
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 100n * TOKEN,
    });
    expect((await w.client.fetchStake(w.mint, w.provider1.publicKey))!.active).to.equal(
      100n * TOKEN,
    );
  });

  it("rejects closing while stake is active (StakeNotEmpty)", async () => {
    await expectRejected(
      w.provider,
      () => w.client.closeStake({ mint: w.mint, owner: w.provider1 }),
      "StakeNotEmpty",
      {
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
  });

  it("rejects closing while stake is unbonding (StakeNotEmpty)", async () => {
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 500n * TOKEN });
    await expectRejected(
      w.provider,
      () => w.client.closeStake({ mint: w.mint, owner: w.provider1 }),
      "StakeNotEmpty",
      {
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
  });

  it("rejects closing with unclaimed rewards (StakeNotEmpty), and closes once they are claimed", async () => {
    await payRewards(w, 1_000n);
    await exit();
    const owed = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!.rewardsPending;
    expect(owed > 0n).to.equal(true);
    await expectRejected(
      w.provider,
      () => w.client.closeStake({ mint: w.mint, owner: w.provider1 }),
      "StakeNotEmpty",
      {
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(owed);
    const dest = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest });
    expect(await tokenBalance(w.provider, dest)).to.equal(owed);
    await w.client.closeStake({ mint: w.mint, owner: w.provider1 });
    expect(await w.client.fetchStake(w.mint, w.provider1.publicKey)).to.equal(null);
  });

  it("rejects an attacker closing a provider's account: it only reaches its own PDA (AccountNotInitialized)", async () => {
    await exit();
    await expectRejected(
      w.provider,
      () => w.client.closeStake({ mint: w.mint, owner: w.attacker }),
      "AccountNotInitialized",
      {
        lamports: [w.admin, w.attacker.publicKey, w.provider1.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
  });
});

describe("staking / amounts at the u64 limit", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let stakeVault: PublicKey;
  let stakeAccount: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 100n * TOKEN });
    pool = staking.poolPda(w.mint);
    stakeVault = (await w.client.fetchPool(w.mint))!.stakeVault;
    stakeAccount = staking.providerStakePda(pool, w.provider1.publicKey);
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
  });

  it("rejects a stake that would overflow the provider's active stake (MathOverflow), moving nothing", async () => {
    await expectRejected(
      w.provider,
      () =>
        w.client.stake({
          owner: w.provider1,
          mint: w.mint,
          source: w.providerSource,
          amount: U64_MAX - 1n,
        }),
      "MathOverflow",
      {
        tokens: [w.providerSource, stakeVault],
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
  });

  it("rejects a new provider's stake that would overflow the pool's total (MathOverflow), creating no account", async () => {
    const other = await newStaker(w);
    const otherStake = staking.providerStakePda(pool, other.keypair.publicKey);
    await expectRejected(
      w.provider,
      () =>
        w.client.stake({
          owner: other.keypair,
          mint: w.mint,
          source: other.source,
          amount: U64_MAX - 1n,
        }),
      "MathOverflow",
      {
        tokens: [other.source, stakeVault],
        lamports: [w.admin, other.keypair.publicKey],
        accounts: [pool, otherStake],
      },
    );
    expect(await w.client.fetchStake(w.mint, other.keypair.publicKey)).to.equal(null);
  });

  it("rejects u64::MAX in request_unstake, lock, unlock and slash by their own checks", async () => {
    await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner: w.provider1.publicKey,
      amount: 100n * TOKEN,
    });
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 100n * TOKEN });
    const sink = await tokenAccount(w.provider, w.mint, w.admin);
    const untouched = {
      tokens: [w.providerSource, stakeVault, sink],
      lamports: [w.admin, w.provider1.publicKey, w.locker],
      accounts: [pool, stakeAccount],
    };
    const owner = w.provider1.publicKey;
    await expectRejected(
      w.provider,
      () => w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: U64_MAX }),
      "InsufficientFreeStake",
      untouched,
    );
    await expectRejected(
      w.provider,
      () =>
        w.client.lockCollateral({ locker: w.lockerSigner, mint: w.mint, owner, amount: U64_MAX }),
      "InsufficientFreeStake",
      untouched,
    );
    await expectRejected(
      w.provider,
      () =>
        w.client.unlockCollateral({
          locker: w.lockerSigner,
          mint: w.mint,
          owner,
          amount: U64_MAX,
          outcome: "completed",
        }),
      "UnlockExceedsLocked",
      untouched,
    );
    await expectRejected(
      w.provider,
      () =>
        w.client.slash({
          locker: w.lockerSigner,
          mint: w.mint,
          owner,
          amount: U64_MAX,
          destination: sink,
        }),
      "SlashExceedsSlashable",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => w.client.slash({ locker: w.lockerSigner, mint: w.mint, owner, amount: U64_MAX }),
      "SlashExceedsSlashable",
      untouched,
    );
  });

  it("has every builder refuse values above u64::MAX or below zero before anything is sent (RangeError)", async () => {
    const ixs = staking.instructions;
    const owner = w.provider1.publicKey;
    const mint = w.mint;
    const locker = w.locker;
    const before = await tokenBalance(w.provider, w.providerSource);
    for (const bad of [U64_MAX + 1n, -1n]) {
      expect(() => ixs.stake({ owner, mint, source: w.providerSource, amount: bad })).to.throw(
        RangeError,
      );
      expect(() => ixs.requestUnstake({ owner, mint, amount: bad })).to.throw(RangeError);
      expect(() => ixs.lockCollateral({ locker, mint, owner, amount: bad })).to.throw(RangeError);
      expect(() =>
        ixs.unlockCollateral({ locker, mint, owner, amount: bad, outcome: "released" }),
      ).to.throw(RangeError);
      expect(() => ixs.slash({ locker, mint, owner, amount: bad })).to.throw(RangeError);
      expect(() => ixs.updatePool({ admin: w.admin, mint, minStake: bad })).to.throw(RangeError);
      expect(() => ixs.updatePool({ admin: w.admin, mint, unbondingSecs: bad })).to.throw(
        RangeError,
      );
      expect(() =>
        ixs.initPool({ admin: w.admin, mint, minStake: bad, unbondingSecs: 0n, locker }),
      ).to.throw(RangeError);
      expect(() =>
        ixs.initPool({ admin: w.admin, mint, minStake: 1n, unbondingSecs: bad, locker }),
      ).to.throw(RangeError);
    }
    // u64::MAX itself is a valid encoding.
    expect(
      ixs.stake({ owner, mint, source: w.providerSource, amount: U64_MAX }).data.length,
    ).to.equal(16);
    // The client refuses the same way (synchronously or as a rejected promise), sending nothing.
    let refused: unknown;
    try {
      await w.client.stake({
        owner: w.provider1,
        mint,
        source: w.providerSource,
        amount: U64_MAX + 1n,
      });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(RangeError);
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(before);
    expect((await w.client.fetchStake(mint, owner))!.active).to.equal(500n * TOKEN);
  });
});

describe("staking / listProviders", () => {
  it("returns exactly the providers of one pool, through getProgramAccounts with memcmp filters", async () => {
    const a = await stakingWorld({ minStake: 1n });
    const b = await stakingWorld({ minStake: 1n });
    const p2 = await newStaker(a);
    const p3 = await newStaker(a);
    await a.client.stake({
      owner: a.provider1,
      mint: a.mint,
      source: a.providerSource,
      amount: 10n * TOKEN,
    });
    await a.client.stake({
      owner: p2.keypair,
      mint: a.mint,
      source: p2.source,
      amount: 20n * TOKEN,
    });
    await a.client.stake({
      owner: p3.keypair,
      mint: a.mint,
      source: p3.source,
      amount: 30n * TOKEN,
    });
    // Pool B's only provider is also one of pool A's: the filter is on the pool, not the owner.
    const bSource = await tokenAccount(b.provider, b.mint, a.provider1.publicKey, 50n * TOKEN);
    await b.client.stake({
      owner: a.provider1,
      mint: b.mint,
      source: bSource,
      amount: 40n * TOKEN,
    });

    const connection = a.provider.connection;
    const calls: Array<GetProgramAccountsConfig | undefined> = [];
    const original = connection.getProgramAccounts;
    const spy = function (
      this: Connection,
      programId: PublicKey,
      config?: GetProgramAccountsConfig,
    ) {
      calls.push(config);
      return (original as (p: PublicKey, c?: GetProgramAccountsConfig) => unknown).call(
        this,
        programId,
        config,
      );
    };
    (connection as unknown as { getProgramAccounts: unknown }).getProgramAccounts = spy;
    let listA: Awaited<ReturnType<StakingClient["listProviders"]>>;
    try {
      listA = await a.client.listProviders(a.mint);
    } finally {
      delete (connection as unknown as { getProgramAccounts?: unknown }).getProgramAccounts;
    }

    const poolA = staking.poolPda(a.mint);
    expect(calls).to.have.length(1);
    const memcmps = (calls[0]?.filters ?? []).flatMap((f) => ("memcmp" in f ? [f.memcmp] : []));
    expect(
      memcmps.some(
        (m) => m.offset === staking.PROVIDER_STAKE_POOL_OFFSET && m.bytes === poolA.toBase58(),
      ),
    ).to.equal(true);
    expect(memcmps.some((m) => m.offset === 0)).to.equal(true); // the account discriminator

    const owners = [a.provider1.publicKey, p2.keypair.publicKey, p3.keypair.publicKey];
    expect(listA).to.have.length(3);
    expect(listA.map((e) => e.account.owner.toBase58()).sort()).to.deep.equal(
      owners.map((o) => o.toBase58()).sort(),
    );
    for (const entry of listA) {
      expect(entry.account.pool.equals(poolA)).to.equal(true);
      expect(entry.address.equals(staking.providerStakePda(poolA, entry.account.owner))).to.equal(
        true,
      );
    }
    const activeOf = (o: PublicKey) => listA.find((e) => e.account.owner.equals(o))!.account.active;
    expect(activeOf(owners[0])).to.equal(10n * TOKEN);
    expect(activeOf(owners[1])).to.equal(20n * TOKEN);
    expect(activeOf(owners[2])).to.equal(30n * TOKEN);

    const listB = await b.client.listProviders(b.mint);
    expect(listB).to.have.length(1);
    expect(listB[0].account.owner.equals(a.provider1.publicKey)).to.equal(true);
    expect(listB[0].account.active).to.equal(40n * TOKEN);

    // A pool without providers lists nothing.
    const c = await stakingWorld();
    expect(await c.client.listProviders(c.mint)).to.deep.equal([]);
  });
});
