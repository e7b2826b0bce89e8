// Rewards are earned by stake × time (DESIGN.md, "Program: staking"), through the SDK against
// the local validator: an emission vault registered as the pool's reward source pays 1 000
// tokens an hour to the pool, an honest provider has staked through every hour, and an
// attacker tries to take a share of hours it was not staked through by timing the
// permissionless `emit` crank. Each attack leaves the honest provider paid to the unit.
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";

import { emissions, EmissionsClient, sendInstructions, staking, StakingClient } from "../sdk/src";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  chainTime,
  expectRejected,
  newStaker,
  providerFor,
  stakeActive,
  StakingWorld,
  stakingWorld,
  TOKEN,
  tokenAccount,
  tokenBalance,
} from "./harness/fixtures";

const HOUR = 3_600;
const PER_HOUR = 1_000n * TOKEN;
/** The honest stake: a power of two keeps the accumulator exact. */
const UNIT = 1n << 30n;

interface Net {
  w: StakingWorld;
  vault: PublicKey;
  rewardVault: PublicKey;
  attacker: { keypair: Keypair; source: PublicKey };
  emitIx: () => TransactionInstruction;
}

/** A pool paid everything by a registered vault whose hour 0 starts as the honest stake activates. */
async function net(): Promise<Net> {
  const w = await stakingWorld({
    minStake: 1n,
    unbondingSecs: 3_600n,
    providerTokens: UNIT,
  });
  const rewardVault = (await w.client.fetchPool(w.mint))!.rewardVault;
  const cap = 10_000n * PER_HOUR;
  const source = await tokenAccount(w.provider, w.mint, w.admin, cap);
  const { vault } = await new EmissionsClient(w.provider).createVault({
    mint: w.mint,
    source,
    startTs: (await chainTime(w.provider)) + BigInt(HOUR),
    initialPerHour: PER_HOUR,
    decayBps: 0,
    periodHours: 730,
    cap,
    revocable: true,
    recipients: [{ tokenAccount: rewardVault, shareBps: 10_000 }],
  });
  await w.client.addRewardSource({ mint: w.mint, vault });
  await stakeActive(w, {
    owner: w.provider1,
    mint: w.mint,
    source: w.providerSource,
    amount: UNIT,
  });
  const attacker = await newStaker(w, 1_000n * UNIT);
  const v = (await new EmissionsClient(w.provider).fetchVault(vault))!;
  const emitIx = () =>
    emissions.instructions.emit({
      mint: v.mint,
      vaultId: v.vaultId,
      tokenProgram: v.tokenProgram,
      recipients: [rewardVault],
    });
  return { w, vault, rewardVault, attacker, emitIx };
}

async function claimAll(n: Net): Promise<{ honest: bigint }> {
  const dest = await tokenAccount(n.w.provider, n.w.mint, n.w.provider1.publicKey);
  await n.w.client.claimRewards({ mint: n.w.mint, owner: n.w.provider1, destination: dest });
  return { honest: await tokenBalance(n.w.provider, dest) };
}

describe("staking / rewards by time against a crank-timing attacker", () => {
  it("a flash stake → emit → unstake → withdraw → claim in one transaction is refused, and without the withdrawal earns nothing of the five hours", async function () {
    await requiresTimeTravel(this);
    const n = await net();
    const { w, attacker } = n;
    await warp(w.provider, 5 * HOUR);
    const owner = attacker.keypair.publicKey;
    const big = 1_000n * UNIT;
    const ix = staking.instructions;
    const stake = ix.stake({ owner, mint: w.mint, source: attacker.source, amount: big });
    const unstake = ix.requestUnstake({ owner, mint: w.mint, amount: big });
    const withdraw = ix.withdraw({ owner, mint: w.mint, destination: attacker.source });
    const claim = ix.claimRewards({ owner, mint: w.mint, destination: attacker.source });
    const untouched = { tokens: [attacker.source, n.rewardVault], lamports: [owner] };
    await expectRejected(
      w.provider,
      () =>
        sendInstructions(
          w.provider,
          [stake, n.emitIx(), unstake, withdraw, claim],
          [attacker.keypair],
        ),
      "UnbondingNotElapsed",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [stake, n.emitIx(), unstake, claim], [attacker.keypair]),
      "NothingToClaim",
      untouched,
    );
    await sendInstructions(w.provider, [stake, n.emitIx(), unstake], [attacker.keypair]);
    expect(await w.client.pendingRewards(w.mint, owner)).to.equal(0n);
    await warp(w.provider, HOUR);
    await w.client.withdraw({
      mint: w.mint,
      owner: attacker.keypair,
      destination: attacker.source,
    });
    expect(await tokenBalance(w.provider, attacker.source)).to.equal(big);
    expect(await w.client.pendingRewards(w.mint, owner)).to.equal(0n);
    // The honest provider staked through the five hours: every unit of them is its.
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(5n * PER_HOUR);
    expect((await claimAll(n)).honest).to.equal(5n * PER_HOUR);
    expect(await tokenBalance(w.provider, n.rewardVault)).to.equal(0n);
  });

  it("a stake one second before the hour ends gets none of that hour, and only the whole hours it stays through after activation", async function () {
    await requiresTimeTravel(this);
    const n = await net();
    const { w, attacker } = n;
    const owner = attacker.keypair.publicKey;
    await warp(w.provider, 2 * HOUR - 1);
    await w.client.stake({
      owner: attacker.keypair,
      mint: w.mint,
      source: attacker.source,
      amount: 3n * UNIT,
    });
    const stake = (await w.client.fetchStake(w.mint, owner))!;
    expect([stake.active, stake.warming]).to.deep.equal([3n * UNIT, 3n * UNIT]);
    await warp(w.provider, 1);
    // At the hour: crank and activate in one transaction, refused; nothing moves.
    const activate = staking.instructions.activateStake({
      mint: w.mint,
      owner,
      sources: [n.vault],
    });
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [n.emitIx(), activate]),
      "StillWarming",
      { tokens: [n.rewardVault] },
    );
    await sendInstructions(w.provider, [n.emitIx()]);
    // An hour after the deposit: activating before the vault paid hour 2 is refused ...
    await warp(w.provider, HOUR);
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [activate]),
      "RewardSourceBehind",
      { tokens: [n.rewardVault] },
    );
    // ... and the SDK's activation emits first, so hour 2 goes to the stake that was there.
    await w.client.activateStake({ mint: w.mint, owner });
    expect(await w.client.pendingRewards(w.mint, owner)).to.equal(0n);
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(3n * PER_HOUR);
    // Hours 3 and 4 are shared 1 : 3; the attacker leaves at 5:30 and has no part of hour 5.
    await warp(w.provider, 2 * HOUR + HOUR / 2);
    const unstake = staking.instructions.requestUnstake({
      owner,
      mint: w.mint,
      amount: 3n * UNIT,
    });
    await sendInstructions(w.provider, [n.emitIx(), unstake], [attacker.keypair]);
    await warp(w.provider, HOUR);
    await new EmissionsClient(w.provider).emit({ vault: n.vault });
    const dest = await tokenAccount(w.provider, w.mint, owner);
    await w.client.claimRewards({ mint: w.mint, owner: attacker.keypair, destination: dest });
    expect(await tokenBalance(w.provider, dest)).to.equal((2n * 3n * PER_HOUR) / 4n);
    expect((await claimAll(n)).honest).to.equal(3n * PER_HOUR + (2n * PER_HOUR) / 4n + PER_HOUR);
    expect(await tokenBalance(w.provider, n.rewardVault)).to.equal(0n);
  });

  it("an honest unstake through the SDK cranks the sources first, so the hours before it are paid to it", async function () {
    await requiresTimeTravel(this);
    const n = await net();
    const { w } = n;
    await warp(w.provider, 3 * HOUR);
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: UNIT });
    expect(await w.client.pendingRewards(w.mint, w.provider1.publicKey)).to.equal(3n * PER_HOUR);
    // Hours after it leaves go to no one (no earning stake): set aside for the admin to sweep.
    await warp(w.provider, HOUR);
    await new EmissionsClient(w.provider).emit({ vault: n.vault });
    await w.client.syncRewards({ mint: w.mint });
    expect((await w.client.fetchPool(w.mint))!.unallocatedRewards).to.equal(PER_HOUR);
    expect((await claimAll(n)).honest).to.equal(3n * PER_HOUR);
  });

  it("rejects activation by name while warming, without the sources, and while a source is paused with hours due", async function () {
    await requiresTimeTravel(this);
    const n = await net();
    const { w, attacker } = n;
    const owner = attacker.keypair.publicKey;
    await expectRejected(
      w.provider,
      () => w.client.activateStake({ mint: w.mint, owner: w.provider1.publicKey }),
      "NothingWarming",
      { tokens: [n.rewardVault] },
    );
    await w.client.stake({
      owner: attacker.keypair,
      mint: w.mint,
      source: attacker.source,
      amount: UNIT,
    });
    await expectRejected(
      w.provider,
      () => w.client.activateStake({ mint: w.mint, owner }),
      "StillWarming",
      { tokens: [n.rewardVault] },
    );
    await warp(w.provider, HOUR);
    const bare = staking.instructions.activateStake({ mint: w.mint, owner, sources: [] });
    await expectRejected(
      w.provider,
      () => sendInstructions(w.provider, [bare]),
      "RewardSourceMismatch",
      { tokens: [n.rewardVault] },
    );
    const vaults = new EmissionsClient(w.provider);
    await vaults.setPaused({ vault: n.vault, paused: true });
    await expectRejected(
      w.provider,
      () => w.client.activateStake({ mint: w.mint, owner }),
      "RewardSourceBehind",
      { tokens: [n.rewardVault] },
    );
    await vaults.setPaused({ vault: n.vault, paused: false });
    await w.client.activateStake({ mint: w.mint, owner });
    const s = (await w.client.fetchStake(w.mint, owner))!;
    expect([s.active, s.warming]).to.deep.equal([UNIT, 0n]);
  });

  it("lets only the admin register a reward source, and only a vault that pays the pool; removal waits until it has paid everything", async function () {
    await requiresTimeTravel(this);
    const n = await net();
    const { w, attacker } = n;
    const intruder = new StakingClient(providerFor(attacker.keypair));
    await expectRejected(
      w.provider,
      () => intruder.addRewardSource({ mint: w.mint, vault: n.vault }),
      "NotAdmin",
      { accounts: [staking.poolPda(w.mint)] },
    );
    await expectRejected(
      w.provider,
      () => w.client.addRewardSource({ mint: w.mint, vault: n.vault }),
      "RewardSourceAlreadyAdded",
      { accounts: [staking.poolPda(w.mint)] },
    );
    await expectRejected(
      w.provider,
      () => w.client.addRewardSource({ mint: w.mint, vault: n.rewardVault }),
      "NotARewardSource",
      { accounts: [staking.poolPda(w.mint)] },
    );
    await expectRejected(
      w.provider,
      () => w.client.removeRewardSource({ mint: w.mint, vault: n.vault }),
      "RewardSourceStillPaying",
      { accounts: [staking.poolPda(w.mint)] },
    );
    expect(
      (await w.client.fetchPool(w.mint))!.rewardSources.map((s) => s.toBase58()),
    ).to.deep.equal([n.vault.toBase58()]);
  });
});
