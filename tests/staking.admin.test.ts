// The staking pool's admin instructions through the SDK, against the local validator:
// update_pool, propose_admin / accept_admin and set_paused (with what a pause stops and what it
// must never stop). Every rejection is asserted by error name, with balances, signers' lamports
// and the pool account unchanged.
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { staking, StakingClient } from "../sdk/src";
import { fundedKeypair } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  expectRejected,
  payRewards,
  providerFor,
  StakingWorld,
  stakingWorld,
  stakeActive,
  TOKEN,
  tokenAccount,
  tokenBalance,
  txEvent,
} from "./harness/fixtures";

const DAY = 24n * 3600n;
const YEAR = 365n * DAY;

describe("staking / update_pool", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 100n * TOKEN, unbondingSecs: 14n * DAY });
    pool = staking.poolPda(w.mint);
  });

  it("changes the minimum stake and the unbonding delay, emitting PoolUpdated with old and new values", async () => {
    const before = (await w.client.fetchPool(w.mint))!;
    const signature = await w.client.updatePool({
      mint: w.mint,
      minStake: 50n * TOKEN,
      unbondingSecs: 7n * DAY,
    });
    const after = (await w.client.fetchPool(w.mint))!;
    expect(after.minStake).to.equal(50n * TOKEN);
    expect(after.unbondingSecs).to.equal(7n * DAY);
    // Nothing else moved.
    expect({
      ...after,
      minStake: before.minStake,
      unbondingSecs: before.unbondingSecs,
    }).to.deep.equal(before);

    const event = await txEvent(w.provider, signature, "poolUpdated");
    expect((event.pool as PublicKey).equals(pool)).to.equal(true);
    expect(event.oldMinStake).to.equal(100n * TOKEN);
    expect(event.newMinStake).to.equal(50n * TOKEN);
    expect(event.oldUnbondingSecs).to.equal(14n * DAY);
    expect(event.newUnbondingSecs).to.equal(7n * DAY);
  });

  it("keeps a parameter left undefined, and accepts an unbonding delay of exactly one year", async () => {
    const signature = await w.client.updatePool({ mint: w.mint, unbondingSecs: YEAR });
    let after = (await w.client.fetchPool(w.mint))!;
    expect(after.minStake).to.equal(100n * TOKEN);
    expect(after.unbondingSecs).to.equal(YEAR);
    const event = await txEvent(w.provider, signature, "poolUpdated");
    expect(event.oldMinStake).to.equal(100n * TOKEN);
    expect(event.newMinStake).to.equal(100n * TOKEN);
    expect(event.oldUnbondingSecs).to.equal(14n * DAY);
    expect(event.newUnbondingSecs).to.equal(YEAR);

    await w.client.updatePool({ mint: w.mint, minStake: 1n });
    after = (await w.client.fetchPool(w.mint))!;
    expect(after.minStake).to.equal(1n);
    expect(after.unbondingSecs).to.equal(YEAR);
  });

  it("leaves the ready time of stake already unbonding as it was", async () => {
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 200n * TOKEN });
    const readyAt = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!.unbondingReadyAt;
    await w.client.updatePool({ mint: w.mint, unbondingSecs: 1n * DAY });
    expect((await w.client.fetchStake(w.mint, w.provider1.publicKey))!.unbondingReadyAt).to.equal(
      readyAt,
    );
  });

  it("rejects a signer that is not the admin (NotAdmin)", async () => {
    const attackerClient = new StakingClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => attackerClient.updatePool({ mint: w.mint, minStake: 1n, unbondingSecs: 0n }),
      "NotAdmin",
      { lamports: [w.attacker.publicKey, w.admin], accounts: [pool] },
    );
  });

  it("rejects a zero minimum stake (InvalidMinStake)", async () => {
    await expectRejected(
      w.provider,
      () => w.client.updatePool({ mint: w.mint, minStake: 0n }),
      "InvalidMinStake",
      {
        lamports: [w.admin],
        accounts: [pool],
      },
    );
  });

  it("rejects an unbonding delay above one year (InvalidUnbondingDelay)", async () => {
    await expectRejected(
      w.provider,
      () => w.client.updatePool({ mint: w.mint, minStake: 5n * TOKEN, unbondingSecs: YEAR + 1n }),
      "InvalidUnbondingDelay",
      { lamports: [w.admin], accounts: [pool] },
    );
  });

  it("rejects an update that changes nothing (NothingToUpdate)", async () => {
    await expectRejected(
      w.provider,
      () => w.client.updatePool({ mint: w.mint }),
      "NothingToUpdate",
      {
        lamports: [w.admin],
        accounts: [pool],
      },
    );
  });
});

describe("staking / propose_admin and accept_admin", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld();
    pool = staking.poolPda(w.mint);
  });

  it("transfers the admin in two steps; the old admin is then refused (NotAdmin)", async () => {
    const next = await fundedKeypair(w.provider, 5);
    const proposed = await w.client.proposeAdmin({ mint: w.mint, newAdmin: next.publicKey });
    let p = (await w.client.fetchPool(w.mint))!;
    expect(p.admin.equals(w.admin)).to.equal(true);
    expect(p.pendingAdmin.equals(next.publicKey)).to.equal(true);
    const proposal = await txEvent(w.provider, proposed, "adminProposed");
    expect((proposal.pool as PublicKey).equals(pool)).to.equal(true);
    expect((proposal.admin as PublicKey).equals(w.admin)).to.equal(true);
    expect((proposal.oldPendingAdmin as PublicKey).equals(PublicKey.default)).to.equal(true);
    expect((proposal.newPendingAdmin as PublicKey).equals(next.publicKey)).to.equal(true);

    const accepted = await w.client.acceptAdmin({ mint: w.mint, newAdmin: next });
    p = (await w.client.fetchPool(w.mint))!;
    expect(p.admin.equals(next.publicKey)).to.equal(true);
    expect(p.pendingAdmin.equals(PublicKey.default)).to.equal(true);
    const transfer = await txEvent(w.provider, accepted, "adminTransferred");
    expect((transfer.oldAdmin as PublicKey).equals(w.admin)).to.equal(true);
    expect((transfer.newAdmin as PublicKey).equals(next.publicKey)).to.equal(true);

    // The old admin (the wallet) has lost every admin power.
    const untouched = { lamports: [w.admin], accounts: [pool] };
    await expectRejected(
      w.provider,
      () => w.client.updatePool({ mint: w.mint, minStake: 1n }),
      "NotAdmin",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => w.client.setPaused({ mint: w.mint, paused: true }),
      "NotAdmin",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => w.client.proposeAdmin({ mint: w.mint, newAdmin: w.admin }),
      "NotAdmin",
      untouched,
    );

    // The new admin has them.
    const nextClient = new StakingClient(providerFor(next));
    await nextClient.updatePool({ mint: w.mint, minStake: 7n });
    expect((await w.client.fetchPool(w.mint))!.minStake).to.equal(7n);
  });

  it("replaces an earlier proposal: only the latest proposed key can accept", async () => {
    const first = await fundedKeypair(w.provider, 1);
    const second = await fundedKeypair(w.provider, 1);
    await w.client.proposeAdmin({ mint: w.mint, newAdmin: first.publicKey });
    const replaced = await w.client.proposeAdmin({ mint: w.mint, newAdmin: second.publicKey });
    const event = await txEvent(w.provider, replaced, "adminProposed");
    expect((event.oldPendingAdmin as PublicKey).equals(first.publicKey)).to.equal(true);
    expect((event.newPendingAdmin as PublicKey).equals(second.publicKey)).to.equal(true);

    await expectRejected(
      w.provider,
      () => w.client.acceptAdmin({ mint: w.mint, newAdmin: first }),
      "NotPendingAdmin",
      {
        lamports: [w.admin, first.publicKey],
        accounts: [pool],
      },
    );
    await w.client.acceptAdmin({ mint: w.mint, newAdmin: second });
    expect((await w.client.fetchPool(w.mint))!.admin.equals(second.publicKey)).to.equal(true);
  });

  it("rejects a proposal by a signer that is not the admin (NotAdmin)", async () => {
    const attackerClient = new StakingClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => attackerClient.proposeAdmin({ mint: w.mint, newAdmin: w.attacker.publicKey }),
      "NotAdmin",
      { lamports: [w.attacker.publicKey, w.admin], accounts: [pool] },
    );
  });

  it("rejects an acceptance by a third key (NotPendingAdmin)", async () => {
    const next = await fundedKeypair(w.provider, 1);
    await w.client.proposeAdmin({ mint: w.mint, newAdmin: next.publicKey });
    await expectRejected(
      w.provider,
      () => w.client.acceptAdmin({ mint: w.mint, newAdmin: w.attacker }),
      "NotPendingAdmin",
      { lamports: [w.admin, w.attacker.publicKey], accounts: [pool] },
    );
    // Also with the attacker paying its own fee.
    const attackerClient = new StakingClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => attackerClient.acceptAdmin({ mint: w.mint }),
      "NotPendingAdmin",
      {
        lamports: [w.attacker.publicKey],
        accounts: [pool],
      },
    );
    expect((await w.client.fetchPool(w.mint))!.admin.equals(w.admin)).to.equal(true);
  });

  it("rejects an acceptance when nothing was proposed (NotPendingAdmin)", async () => {
    const attackerClient = new StakingClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => attackerClient.acceptAdmin({ mint: w.mint }),
      "NotPendingAdmin",
      {
        lamports: [w.attacker.publicKey],
        accounts: [pool],
      },
    );
  });

  it("rejects the default public key as proposed admin (InvalidAdmin)", async () => {
    await expectRejected(
      w.provider,
      () => w.client.proposeAdmin({ mint: w.mint, newAdmin: PublicKey.default }),
      "InvalidAdmin",
      { lamports: [w.admin], accounts: [pool] },
    );
  });
});

describe("staking / set_paused", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let stakeVault: PublicKey;
  let rewardVault: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 100n * TOKEN, unbondingSecs: 14n * DAY });
    pool = staking.poolPda(w.mint);
    const p = (await w.client.fetchPool(w.mint))!;
    stakeVault = p.stakeVault;
    rewardVault = p.rewardVault;
  });

  it("pauses and resumes, emitting PoolPausedSet with old and new values", async () => {
    const paused = await w.client.setPaused({ mint: w.mint, paused: true });
    expect((await w.client.fetchPool(w.mint))!.paused).to.equal(true);
    let event = await txEvent(w.provider, paused, "poolPausedSet");
    expect((event.pool as PublicKey).equals(pool)).to.equal(true);
    expect(event.oldPaused).to.equal(false);
    expect(event.newPaused).to.equal(true);

    const resumed = await w.client.setPaused({ mint: w.mint, paused: false });
    expect((await w.client.fetchPool(w.mint))!.paused).to.equal(false);
    event = await txEvent(w.provider, resumed, "poolPausedSet");
    expect(event.oldPaused).to.equal(true);
    expect(event.newPaused).to.equal(false);

    // Business as usual after resuming.
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

  it("rejects a signer that is not the admin (NotAdmin)", async () => {
    const attackerClient = new StakingClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => attackerClient.setPaused({ mint: w.mint, paused: true }),
      "NotAdmin",
      {
        lamports: [w.attacker.publicKey, w.admin],
        accounts: [pool],
      },
    );
  });

  it("while paused, rejects stake, cancel_unstake and lock_collateral (PoolPaused)", async () => {
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 100n * TOKEN });
    await w.client.setPaused({ mint: w.mint, paused: true });
    const stakeAccount = staking.providerStakePda(pool, w.provider1.publicKey);
    const untouched = {
      tokens: [w.providerSource, stakeVault, rewardVault],
      lamports: [w.admin, w.provider1.publicKey, w.locker],
      accounts: [pool, stakeAccount],
    };

    await expectRejected(
      w.provider,
      () =>
        w.client.stake({
          owner: w.provider1,
          mint: w.mint,
          source: w.providerSource,
          amount: 100n * TOKEN,
        }),
      "PoolPaused",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => w.client.cancelUnstake({ mint: w.mint, owner: w.provider1 }),
      "PoolPaused",
      untouched,
    );
    await expectRejected(
      w.provider,
      () =>
        w.client.lockCollateral({
          locker: w.lockerSigner,
          mint: w.mint,
          owner: w.provider1.publicKey,
          amount: 50n * TOKEN,
        }),
      "PoolPaused",
      untouched,
    );
  });

  it("while paused, still lets providers exit and the locker settle: request_unstake, withdraw, claim_rewards, unlock, slash", async function () {
    await requiresTimeTravel(this);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
    await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner: w.provider1.publicKey,
      amount: 100n * TOKEN,
    });
    await payRewards(w, 1_000n);
    await w.client.setPaused({ mint: w.mint, paused: true });

    // request_unstake (free stake is 400).
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 150n * TOKEN });
    let s = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(s.active).to.equal(350n * TOKEN);
    expect(s.unbonding).to.equal(150n * TOKEN);

    // claim_rewards: the sole staker is owed the 1,000 units, floored through the Q64.64
    // accumulator (request_unstake settled them at 500 TOKEN active).
    const acc = (1_000n << 64n) / (500n * TOKEN);
    const owed = (500n * TOKEN * acc) >> 64n;
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(owed);
    const rewardsTo = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: rewardsTo });
    expect(await tokenBalance(w.provider, rewardsTo)).to.equal(owed);

    // unlock_collateral.
    await w.client.unlockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner: w.provider1.publicKey,
      amount: 60n * TOKEN,
      outcome: "completed",
    });
    s = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(s.locked).to.equal(40n * TOKEN);
    expect(s.jobsCompleted).to.equal(1n);

    // slash: 40 from locked and 10 from unbonding, to the harmed client.
    const harmed = await tokenAccount(
      w.provider,
      w.mint,
      (await fundedKeypair(w.provider, 1)).publicKey,
    );
    await w.client.slash({
      locker: w.lockerSigner,
      mint: w.mint,
      owner: w.provider1.publicKey,
      amount: 50n * TOKEN,
      destination: harmed,
    });
    expect(await tokenBalance(w.provider, harmed)).to.equal(50n * TOKEN);
    s = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(s.locked).to.equal(0n);
    expect(s.active).to.equal(310n * TOKEN);
    expect(s.unbonding).to.equal(140n * TOKEN);

    // withdraw after the delay.
    await warp(w.provider, Number(14n * DAY));
    await w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource });
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(640n * TOKEN);
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(310n * TOKEN);
    const p = (await w.client.fetchPool(w.mint))!;
    expect(p.paused).to.equal(true);
    expect(p.totalActive).to.equal(310n * TOKEN);
    expect(p.totalUnbonding).to.equal(0n);
  });
});
