// Stake-weighted rewards through the SDK, against the local validator: claim_rewards,
// sync_rewards (permissionless) and sweep_unallocated (admin). Rewards arrive the way an
// emission vault pays them: tokens minted straight into the pool's reward vault. Expected
// amounts are recomputed here from DESIGN.md (acc += new * 2^64 / total_active, floor;
// owed = floor(active * acc / 2^64) - debt), independently of the SDK's math mirror.
import { createMint } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { sendInstructions, staking, StakingClient } from "../sdk/src";
import { fundedKeypair } from "./harness/env";
import { requiresTimeTravel } from "./harness/cheatcodes";
import {
  DECIMALS,
  expectRejected,
  lamportsOf,
  newStaker,
  payerOf,
  payRewards,
  providerFor,
  StakingWorld,
  stakingWorld,
  stakeActive,
  TOKEN,
  tokenAccount,
  tokenBalance,
  txEvent,
  txEvents,
} from "./harness/fixtures";

const Q64 = 1n << 64n;
/** Stake amounts whose total is a power of two, so that the accumulator is exact. */
const UNIT = 1n << 27n;

/** floor(arrived * 2^64 / totalActive): what a sync adds to the accumulator. */
const accAdd = (arrived: bigint, totalActive: bigint) => (arrived * Q64) / totalActive;
/** floor(active * acc / 2^64). */
const share = (active: bigint, acc: bigint) => (active * acc) / Q64;

describe("staking / claim_rewards", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let rewardVault: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 1n });
    pool = staking.poolPda(w.mint);
    rewardVault = (await w.client.fetchPool(w.mint))!.rewardVault;
  });

  it("pays two providers staking 1:3 exactly 1:3, and exactly what pendingRewards announced", async function () {
    await requiresTimeTravel(this);
    const p2 = await newStaker(w);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await stakeActive(w, { owner: p2.keypair, mint: w.mint, source: p2.source, amount: 3n * UNIT });
    await payRewards(w, 1_000_000n);

    const owed1 = await w.client.pendingRewards(w.mint, w.provider1.publicKey);
    const owed2 = await w.client.pendingRewards(w.mint, p2.keypair.publicKey);
    expect(owed1).to.equal(250_000n);
    expect(owed2).to.equal(750_000n);

    const dest1 = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    const sig1 = await w.client.claimRewards({
      mint: w.mint,
      owner: w.provider1,
      destination: dest1,
    });
    expect(await tokenBalance(w.provider, dest1)).to.equal(owed1);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(1_000_000n - owed1);
    const claimed = await txEvent(w.provider, sig1, "rewardsClaimed");
    expect((claimed.pool as PublicKey).equals(pool)).to.equal(true);
    expect((claimed.owner as PublicKey).equals(w.provider1.publicKey)).to.equal(true);
    expect(claimed.amount).to.equal(owed1);
    expect((claimed.destination as PublicKey).equals(dest1)).to.equal(true);
    expect(claimed.rewardsClaimed).to.equal(owed1);
    // The claim synced first: the pool saw the 1,000,000 arrive.
    const synced = (await txEvents(w.provider, sig1)).filter((e) => e.name === "rewardsSynced");
    expect(synced).to.have.length(1);
    expect(synced[0].data.amount).to.equal(1_000_000n);
    expect(synced[0].data.unallocated).to.equal(0n);

    // p2 claims to the same kind of account; paid exactly its announced amount.
    const dest2 = await tokenAccount(w.provider, w.mint, p2.keypair.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: p2.keypair, destination: dest2 });
    expect(await tokenBalance(w.provider, dest2)).to.equal(owed2);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(0n);

    const s1 = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(s1.rewardsPending).to.equal(0n);
    expect(s1.rewardsClaimed).to.equal(250_000n);
    expect(s1.active).to.equal(UNIT);
    const s2 = (await w.client.fetchStake(w.mint, p2.keypair.publicKey))!;
    expect(s2.rewardsClaimed).to.equal(750_000n);
    const p = (await w.client.fetchPool(w.mint))!;
    expect(p.accRewardPerShare).to.equal(accAdd(1_000_000n, 4n * UNIT));
    expect(p.rewardAccounted).to.equal(0n);
    expect(p.unallocatedRewards).to.equal(0n);
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(0n);
    expect(await w.client.pendingRewards(w.mint, p2.keypair.publicKey)).to.equal(0n);
  });

  it("floors each share, leaving the dust in the vault (never owing more than it holds)", async function () {
    await requiresTimeTravel(this);
    const p2 = await newStaker(w);
    const a1 = 100n * TOKEN;
    const a2 = 300n * TOKEN;
    const arrived = 1_000_003n;
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: a1,
    });
    await stakeActive(w, { owner: p2.keypair, mint: w.mint, source: p2.source, amount: a2 });
    await payRewards(w, arrived);

    const acc = accAdd(arrived, a1 + a2);
    const want1 = share(a1, acc);
    const want2 = share(a2, acc);
    expect(want1 + want2 <= arrived).to.equal(true);
    expect(want1 <= arrived / 4n && want2 <= (3n * arrived) / 4n).to.equal(true);
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(want1);
    expect(await w.client.pendingRewards(w.mint, p2.keypair.publicKey)).to.equal(want2);

    const dest1 = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    const dest2 = await tokenAccount(w.provider, w.mint, p2.keypair.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest1 });
    await w.client.claimRewards({ mint: w.mint, owner: p2.keypair, destination: dest2 });
    expect(await tokenBalance(w.provider, dest1)).to.equal(want1);
    expect(await tokenBalance(w.provider, dest2)).to.equal(want2);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(arrived - want1 - want2);
    // The dust stays accounted for (still in reward_accounted), so it is never paid twice.
    expect((await w.client.fetchPool(w.mint))!.rewardAccounted).to.equal(arrived - want1 - want2);
  });

  it("gives a late staker nothing of what arrived before it joined", async function () {
    await requiresTimeTravel(this);
    const p2 = await newStaker(w);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await payRewards(w, 1_000n);
    // The stake syncs first: the 1,000 are provider1's alone.
    await stakeActive(w, { owner: p2.keypair, mint: w.mint, source: p2.source, amount: 3n * UNIT });
    expect(await w.client.pendingRewards(w.mint, p2.keypair.publicKey)).to.equal(0n);
    await payRewards(w, 4_000n);
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(2_000n);
    expect(await w.client.pendingRewards(w.mint, p2.keypair.publicKey)).to.equal(3_000n);

    const dest2 = await tokenAccount(w.provider, w.mint, p2.keypair.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: p2.keypair, destination: dest2 });
    expect(await tokenBalance(w.provider, dest2)).to.equal(3_000n);
    const dest1 = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest1 });
    expect(await tokenBalance(w.provider, dest1)).to.equal(2_000n);
  });

  it("rejects a claim with nothing owed (NothingToClaim), also right after a claim", async function () {
    await requiresTimeTravel(this);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    const dest = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    const stakeAccount = staking.providerStakePda(pool, w.provider1.publicKey);
    const untouched = {
      tokens: [dest, rewardVault],
      lamports: [w.admin, w.provider1.publicKey],
      accounts: [pool, stakeAccount],
    };
    await expectRejected(
      w.provider,
      () => w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest }),
      "NothingToClaim",
      untouched,
    );

    await payRewards(w, 500n);
    await w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest });
    expect(await tokenBalance(w.provider, dest)).to.equal(500n);
    await expectRejected(
      w.provider,
      () => w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest }),
      "NothingToClaim",
      untouched,
    );
  });

  it("rejects a claim of rewards that arrived while nobody was staked: they go to unallocatedRewards (NothingToClaim)", async function () {
    await requiresTimeTravel(this);
    await payRewards(w, 777n);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    let p = (await w.client.fetchPool(w.mint))!;
    expect(p.unallocatedRewards).to.equal(777n);
    expect(p.rewardAccounted).to.equal(777n);
    expect(p.accRewardPerShare).to.equal(0n);
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(0n);

    const dest = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    await expectRejected(
      w.provider,
      () => w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest }),
      "NothingToClaim",
      {
        tokens: [dest, rewardVault],
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, staking.providerStakePda(pool, w.provider1.publicKey)],
      },
    );
    p = (await w.client.fetchPool(w.mint))!;
    expect(p.unallocatedRewards).to.equal(777n);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(777n);
  });

  it("rejects a destination of another mint (WrongMint)", async function () {
    await requiresTimeTravel(this);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await payRewards(w, 1_000n);
    const payer = payerOf(w.provider);
    const otherMint = await createMint(
      w.provider.connection,
      payer,
      payer.publicKey,
      null,
      DECIMALS,
    );
    const foreign = await tokenAccount(w.provider, otherMint, w.provider1.publicKey, 5n);
    await expectRejected(
      w.provider,
      () => w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: foreign }),
      "WrongMint",
      {
        tokens: [foreign, rewardVault],
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, staking.providerStakePda(pool, w.provider1.publicKey)],
      },
    );
  });

  it("rejects an attacker claiming: signing as itself it only reaches its own, nonexistent stake (AccountNotInitialized)", async function () {
    await requiresTimeTravel(this);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await payRewards(w, 1_000n);
    const loot = await tokenAccount(w.provider, w.mint, w.attacker.publicKey);
    await expectRejected(
      w.provider,
      () => w.client.claimRewards({ mint: w.mint, owner: w.attacker, destination: loot }),
      "AccountNotInitialized",
      {
        tokens: [loot, rewardVault],
        lamports: [w.admin, w.attacker.publicKey],
        accounts: [pool, staking.providerStakePda(pool, w.provider1.publicKey)],
      },
    );
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(1_000n);
  });
});

describe("staking / sync_rewards", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 1n });
    pool = staking.poolPda(w.mint);
  });

  it("is permissionless: a random funded key adds what arrived to the accumulator, paying only its fee", async function () {
    await requiresTimeTravel(this);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 4n * UNIT,
    });
    await payRewards(w, 1_000n);
    const cranker = await fundedKeypair(w.provider, 1);
    const before = await lamportsOf(w.provider, cranker.publicKey);
    const signature = await sendInstructions(providerFor(cranker), [
      staking.instructions.syncRewards({ mint: w.mint }),
    ]);
    expect(before - (await lamportsOf(w.provider, cranker.publicKey))).to.equal(5_000n);

    const p = (await w.client.fetchPool(w.mint))!;
    expect(p.accRewardPerShare).to.equal(accAdd(1_000n, 4n * UNIT));
    expect(p.rewardAccounted).to.equal(1_000n);
    expect(p.unallocatedRewards).to.equal(0n);
    const event = await txEvent(w.provider, signature, "rewardsSynced");
    expect((event.pool as PublicKey).equals(pool)).to.equal(true);
    expect(event.amount).to.equal(1_000n);
    expect(event.unallocated).to.equal(0n);
    expect(event.accRewardPerShare).to.equal(accAdd(1_000n, 4n * UNIT));
    // Syncing moved no token and settled nothing on the provider; what it is owed is unchanged.
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(1_000n);
  });

  it("sets rewards aside as unallocated when nobody is staked", async () => {
    await payRewards(w, 321n);
    const signature = await w.client.syncRewards({ mint: w.mint });
    const p = (await w.client.fetchPool(w.mint))!;
    expect(p.accRewardPerShare).to.equal(0n);
    expect(p.unallocatedRewards).to.equal(321n);
    expect(p.rewardAccounted).to.equal(321n);
    const event = await txEvent(w.provider, signature, "rewardsSynced");
    expect(event.amount).to.equal(321n);
    expect(event.unallocated).to.equal(321n);
  });

  it("changes nothing and emits nothing when nothing arrived", async function () {
    await requiresTimeTravel(this);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    const before = (await w.client.fetchPool(w.mint))!;
    const signature = await w.client.syncRewards({ mint: w.mint });
    expect(await w.client.fetchPool(w.mint)).to.deep.equal(before);
    expect(await txEvents(w.provider, signature)).to.deep.equal([]);
  });

  it("gives the same totals however often it is called", async function () {
    await requiresTimeTravel(this);
    const p2 = await newStaker(w);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await stakeActive(w, { owner: p2.keypair, mint: w.mint, source: p2.source, amount: 3n * UNIT });
    await payRewards(w, 4_000n);
    await w.client.syncRewards({ mint: w.mint });
    await payRewards(w, 8_000n);
    await sendInstructions(providerFor(w.attacker), [
      staking.instructions.syncRewards({ mint: w.mint }),
    ]);
    await payRewards(w, 400n);
    // The last 400 are not synced: pendingRewards and claim_rewards sync first.
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(3_100n);
    expect(await w.client.pendingRewards(w.mint, p2.keypair.publicKey)).to.equal(9_300n);
    const dest = await tokenAccount(w.provider, w.mint, p2.keypair.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: p2.keypair, destination: dest });
    expect(await tokenBalance(w.provider, dest)).to.equal(9_300n);
  });

  it("rejects a reward vault that is not the pool's (ConstraintHasOne)", async function () {
    await requiresTimeTravel(this);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    // A token account of the right mint stuffed with tokens, named as the reward vault.
    const fake = await tokenAccount(w.provider, w.mint, w.attacker.publicKey, 1_000_000n);
    const ix = staking.instructions.syncRewards({ mint: w.mint });
    ix.keys[1].pubkey = fake;
    await expectRejected(
      w.provider,
      () => sendInstructions(providerFor(w.attacker), [ix]),
      "ConstraintHasOne",
      {
        tokens: [fake],
        lamports: [w.attacker.publicKey],
        accounts: [pool],
      },
    );
  });
});

describe("staking / sweep_unallocated", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let rewardVault: PublicKey;
  let treasury: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 1n });
    pool = staking.poolPda(w.mint);
    rewardVault = (await w.client.fetchPool(w.mint))!.rewardVault;
    treasury = await tokenAccount(w.provider, w.mint, w.admin);
  });

  it("pays the rewards that arrived while nobody was staked to the admin's destination", async () => {
    await payRewards(w, 777n);
    // No sync before: the sweep syncs first.
    const signature = await w.client.sweepUnallocated({ mint: w.mint, destination: treasury });
    expect(await tokenBalance(w.provider, treasury)).to.equal(777n);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(0n);
    const p = (await w.client.fetchPool(w.mint))!;
    expect(p.unallocatedRewards).to.equal(0n);
    expect(p.rewardAccounted).to.equal(0n);
    const event = await txEvent(w.provider, signature, "unallocatedSwept");
    expect((event.pool as PublicKey).equals(pool)).to.equal(true);
    expect(event.amount).to.equal(777n);
    expect((event.destination as PublicKey).equals(treasury)).to.equal(true);
  });

  it("sweeps only the unallocated part, never what providers are owed", async function () {
    await requiresTimeTravel(this);
    await payRewards(w, 777n);
    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await payRewards(w, 1_000n);
    await w.client.sweepUnallocated({ mint: w.mint, destination: treasury });
    expect(await tokenBalance(w.provider, treasury)).to.equal(777n);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(1_000n);
    const p = (await w.client.fetchPool(w.mint))!;
    expect(p.unallocatedRewards).to.equal(0n);
    expect(p.rewardAccounted).to.equal(1_000n);

    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(1_000n);
    const dest = await tokenAccount(w.provider, w.mint, w.provider1.publicKey);
    await w.client.claimRewards({ mint: w.mint, owner: w.provider1, destination: dest });
    expect(await tokenBalance(w.provider, dest)).to.equal(1_000n);
    expect(await tokenBalance(w.provider, rewardVault)).to.equal(0n);
  });

  it("rejects a sweep with nothing unallocated (NothingToSweep): on a fresh pool, after a sweep, and when all rewards are owed", async function () {
    await requiresTimeTravel(this);
    const untouched = { tokens: [treasury, rewardVault], lamports: [w.admin], accounts: [pool] };
    await expectRejected(
      w.provider,
      () => w.client.sweepUnallocated({ mint: w.mint, destination: treasury }),
      "NothingToSweep",
      untouched,
    );

    await payRewards(w, 50n);
    await w.client.sweepUnallocated({ mint: w.mint, destination: treasury });
    await expectRejected(
      w.provider,
      () => w.client.sweepUnallocated({ mint: w.mint, destination: treasury }),
      "NothingToSweep",
      untouched,
    );

    await stakeActive(w, {
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: UNIT,
    });
    await payRewards(w, 2_000n);
    await expectRejected(
      w.provider,
      () => w.client.sweepUnallocated({ mint: w.mint, destination: treasury }),
      "NothingToSweep",
      untouched,
    );
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(2_000n);
  });

  it("rejects a signer that is not the admin (NotAdmin)", async () => {
    await payRewards(w, 777n);
    const loot = await tokenAccount(w.provider, w.mint, w.attacker.publicKey);
    const attackerClient = new StakingClient(providerFor(w.attacker));
    await expectRejected(
      w.provider,
      () => attackerClient.sweepUnallocated({ mint: w.mint, destination: loot }),
      "NotAdmin",
      {
        tokens: [loot, rewardVault],
        lamports: [w.attacker.publicKey, w.admin],
        accounts: [pool],
      },
    );
  });

  it("rejects a destination of another mint (WrongMint)", async () => {
    await payRewards(w, 777n);
    const payer = payerOf(w.provider);
    const otherMint = await createMint(
      w.provider.connection,
      payer,
      payer.publicKey,
      null,
      DECIMALS,
    );
    const foreign = await tokenAccount(w.provider, otherMint, w.admin);
    await expectRejected(
      w.provider,
      () => w.client.sweepUnallocated({ mint: w.mint, destination: foreign }),
      "WrongMint",
      {
        tokens: [foreign, rewardVault],
        lamports: [w.admin],
        accounts: [pool],
      },
    );
  });
});
