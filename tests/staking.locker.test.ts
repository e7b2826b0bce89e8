// The locker's instructions through the SDK, against the local validator: lock_collateral,
// unlock_collateral and slash. In production the locker is the market's ["collateral"] PDA
// signing through CPI; here the pool registers a keypair as locker so the tests can sign for it.
import { createMint, getMint } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { staking } from "../sdk/src";
import { fundedKeypair } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  DECIMALS,
  expectRejected,
  payerOf,
  StakingWorld,
  stakingWorld,
  TOKEN,
  tokenAccount,
  tokenBalance,
  txEvent,
} from "./harness/fixtures";

const DAY = 24n * 3600n;

/** Vault = Σ active + Σ unbonding and locked ≤ active (DESIGN.md invariant 3), over the pool's providers. */
async function expectVaultBacksStake(w: StakingWorld, stakeVault: PublicKey): Promise<void> {
  const p = (await w.client.fetchPool(w.mint))!;
  expect(await tokenBalance(w.provider, stakeVault)).to.equal(p.totalActive + p.totalUnbonding);
  for (const { account } of await w.client.listProviders(w.mint)) {
    expect(account.locked <= account.active).to.equal(true);
  }
}

/** Σ locked over the pool's providers (the pool keeps no total: locks never write it). */
async function totalLocked(w: StakingWorld): Promise<bigint> {
  return (await w.client.listProviders(w.mint)).reduce(
    (sum, { account }) => sum + account.locked,
    0n,
  );
}

describe("staking / lock_collateral", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let stakeVault: PublicKey;
  let stakeAccount: PublicKey;
  let owner: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 100n * TOKEN, locker: Keypair.generate() });
    pool = staking.poolPda(w.mint);
    stakeVault = (await w.client.fetchPool(w.mint))!.stakeVault;
    owner = w.provider1.publicKey;
    stakeAccount = staking.providerStakePda(pool, owner);
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
  });

  it("registers the fixture's locker keypair on the pool", async () => {
    expect((await w.client.fetchPool(w.mint))!.locker.equals(w.lockerSigner.publicKey)).to.equal(
      true,
    );
    expect(w.locker.equals(w.lockerSigner.publicKey)).to.equal(true);
  });

  it("locks part of the free stake: locked and the pool's total grow, no token moves", async () => {
    const signature = await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 100n * TOKEN,
    });
    let s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.active).to.equal(500n * TOKEN);
    expect(s.locked).to.equal(100n * TOKEN);
    let p = (await w.client.fetchPool(w.mint))!;
    expect(await totalLocked(w)).to.equal(100n * TOKEN);
    expect(p.totalActive).to.equal(500n * TOKEN);
    const event = await txEvent(w.provider, signature, "collateralLocked");
    expect((event.pool as PublicKey).equals(pool)).to.equal(true);
    expect((event.owner as PublicKey).equals(owner)).to.equal(true);
    expect(event.amount).to.equal(100n * TOKEN);
    expect(event.locked).to.equal(100n * TOKEN);

    // Up to all of the free stake.
    await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 400n * TOKEN,
    });
    s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.locked).to.equal(500n * TOKEN);
    p = (await w.client.fetchPool(w.mint))!;
    expect(await totalLocked(w)).to.equal(500n * TOKEN);
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(500n * TOKEN);
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(500n * TOKEN);
    await expectVaultBacksStake(w, stakeVault);
  });

  it("rejects locking more than the free stake (InsufficientFreeStake)", async () => {
    await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 100n * TOKEN,
    });
    await expectRejected(
      w.provider,
      () =>
        w.client.lockCollateral({
          locker: w.lockerSigner,
          mint: w.mint,
          owner,
          amount: 400n * TOKEN + 1n,
        }),
      "InsufficientFreeStake",
      { tokens: [stakeVault], lamports: [w.admin, w.locker], accounts: [pool, stakeAccount] },
    );
  });

  it("rejects unstaking locked stake (InsufficientFreeStake), while the free part can still go", async () => {
    await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 450n * TOKEN,
    });
    await expectRejected(
      w.provider,
      () => w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 100n * TOKEN }),
      "InsufficientFreeStake",
      {
        tokens: [stakeVault, w.providerSource],
        lamports: [w.admin, w.provider1.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 50n * TOKEN });
    const s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.active).to.equal(450n * TOKEN);
    expect(s.locked).to.equal(450n * TOKEN);
    expect(s.unbonding).to.equal(50n * TOKEN);
  });

  it("rejects a signer that is not the locker (NotLocker)", async () => {
    await expectRejected(
      w.provider,
      () =>
        w.client.lockCollateral({ locker: w.attacker, mint: w.mint, owner, amount: 100n * TOKEN }),
      "NotLocker",
      {
        tokens: [stakeVault],
        lamports: [w.admin, w.attacker.publicKey],
        accounts: [pool, stakeAccount],
      },
    );
  });

  it("rejects a zero amount (ZeroAmount)", async () => {
    await expectRejected(
      w.provider,
      () => w.client.lockCollateral({ locker: w.lockerSigner, mint: w.mint, owner, amount: 0n }),
      "ZeroAmount",
      {
        lamports: [w.admin, w.locker],
        accounts: [pool, stakeAccount],
      },
    );
  });
});

describe("staking / unlock_collateral", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let stakeAccount: PublicKey;
  let owner: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 100n * TOKEN });
    pool = staking.poolPda(w.mint);
    owner = w.provider1.publicKey;
    stakeAccount = staking.providerStakePda(pool, owner);
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
    await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 300n * TOKEN,
    });
  });

  it("unlocks and counts 'completed' in jobsCompleted, 'failed' in jobsFailed, 'released' in neither", async () => {
    const completed = await w.client.unlockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 100n * TOKEN,
      outcome: "completed",
    });
    let s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.locked).to.equal(200n * TOKEN);
    expect([s.jobsCompleted, s.jobsFailed]).to.deep.equal([1n, 0n]);
    expect(await totalLocked(w)).to.equal(200n * TOKEN);
    const event = await txEvent(w.provider, completed, "collateralUnlocked");
    expect((event.owner as PublicKey).equals(owner)).to.equal(true);
    expect(event.amount).to.equal(100n * TOKEN);
    expect(event.outcome).to.deep.equal({ completed: {} });
    expect(event.locked).to.equal(200n * TOKEN);
    expect(event.jobsCompleted).to.equal(1n);
    expect(event.jobsFailed).to.equal(0n);

    await w.client.unlockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 120n * TOKEN,
      outcome: "failed",
    });
    s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.locked).to.equal(80n * TOKEN);
    expect([s.jobsCompleted, s.jobsFailed]).to.deep.equal([1n, 1n]);

    await w.client.unlockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 80n * TOKEN,
      outcome: "released",
    });
    s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.locked).to.equal(0n);
    expect(s.active).to.equal(500n * TOKEN);
    expect([s.jobsCompleted, s.jobsFailed]).to.deep.equal([1n, 1n]);
    expect(await totalLocked(w)).to.equal(0n);

    // Unlocked stake is free again.
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 400n * TOKEN });
  });

  it("with a zero amount only records the outcome (a job whose collateral was slashed in full)", async () => {
    await w.client.unlockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 0n,
      outcome: "failed",
    });
    const s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.locked).to.equal(300n * TOKEN);
    expect([s.jobsCompleted, s.jobsFailed]).to.deep.equal([0n, 1n]);
  });

  it("rejects unlocking more than is locked (UnlockExceedsLocked)", async () => {
    await expectRejected(
      w.provider,
      () =>
        w.client.unlockCollateral({
          locker: w.lockerSigner,
          mint: w.mint,
          owner,
          amount: 300n * TOKEN + 1n,
          outcome: "completed",
        }),
      "UnlockExceedsLocked",
      { lamports: [w.admin, w.locker], accounts: [pool, stakeAccount] },
    );
  });

  it("rejects a signer that is not the locker (NotLocker)", async () => {
    await expectRejected(
      w.provider,
      () =>
        w.client.unlockCollateral({
          locker: w.attacker,
          mint: w.mint,
          owner,
          amount: 300n * TOKEN,
          outcome: "released",
        }),
      "NotLocker",
      { lamports: [w.admin, w.attacker.publicKey], accounts: [pool, stakeAccount] },
    );
  });
});

describe("staking / slash", () => {
  let w: StakingWorld;
  let pool: PublicKey;
  let stakeVault: PublicKey;
  let stakeAccount: PublicKey;
  let owner: PublicKey;
  let harmed: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ minStake: 100n * TOKEN, unbondingSecs: 14n * DAY });
    pool = staking.poolPda(w.mint);
    stakeVault = (await w.client.fetchPool(w.mint))!.stakeVault;
    owner = w.provider1.publicKey;
    stakeAccount = staking.providerStakePda(pool, owner);
    harmed = await tokenAccount(w.provider, w.mint, (await fundedKeypair(w.provider, 1)).publicKey);
    // active 300 (of which 100 locked), unbonding 200.
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
    await w.client.lockCollateral({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 100n * TOKEN,
    });
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 200n * TOKEN });
  });

  it("pays the harmed client exactly the amount from the stake vault, taking locked first, then unbonding", async function () {
    await requiresTimeTravel(this);
    const supply = (await getMint(w.provider.connection, w.mint, "confirmed")).supply;
    const signature = await w.client.slash({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 150n * TOKEN,
      destination: harmed,
    });
    expect(await tokenBalance(w.provider, harmed)).to.equal(150n * TOKEN);
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(350n * TOKEN);
    expect((await getMint(w.provider.connection, w.mint, "confirmed")).supply).to.equal(supply);

    const s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.active).to.equal(200n * TOKEN);
    expect(s.locked).to.equal(0n);
    expect(s.unbonding).to.equal(150n * TOKEN);
    expect(s.slashedTotal).to.equal(150n * TOKEN);
    const p = (await w.client.fetchPool(w.mint))!;
    expect(p.totalActive).to.equal(200n * TOKEN);
    expect(await totalLocked(w)).to.equal(0n);
    expect(p.totalUnbonding).to.equal(150n * TOKEN);
    await expectVaultBacksStake(w, stakeVault);

    const event = await txEvent(w.provider, signature, "slashed");
    expect((event.pool as PublicKey).equals(pool)).to.equal(true);
    expect((event.owner as PublicKey).equals(owner)).to.equal(true);
    expect(event.amount).to.equal(150n * TOKEN);
    expect(event.fromLocked).to.equal(100n * TOKEN);
    expect(event.fromUnbonding).to.equal(50n * TOKEN);
    expect(event.burned).to.equal(false);
    expect((event.destination as PublicKey).equals(harmed)).to.equal(true);
    expect(event.slashedTotal).to.equal(150n * TOKEN);

    // What is left unbonding is still the provider's to withdraw.
    await warp(w.provider, Number(14n * DAY));
    await w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource });
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(650n * TOKEN);
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(200n * TOKEN);
  });

  it("takes only from locked collateral while it covers the amount", async () => {
    const signature = await w.client.slash({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 60n * TOKEN,
      destination: harmed,
    });
    const s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.active).to.equal(240n * TOKEN);
    expect(s.locked).to.equal(40n * TOKEN);
    expect(s.unbonding).to.equal(200n * TOKEN);
    const event = await txEvent(w.provider, signature, "slashed");
    expect(event.fromLocked).to.equal(60n * TOKEN);
    expect(event.fromUnbonding).to.equal(0n);
    const p = (await w.client.fetchPool(w.mint))!;
    expect(await totalLocked(w)).to.equal(40n * TOKEN);
    expect(p.totalActive).to.equal(240n * TOKEN);
    expect(await tokenBalance(w.provider, harmed)).to.equal(60n * TOKEN);
    await expectVaultBacksStake(w, stakeVault);
  });

  it("burns the amount when no destination is given, lowering the mint supply by exactly that", async () => {
    const supply = (await getMint(w.provider.connection, w.mint, "confirmed")).supply;
    const signature = await w.client.slash({
      locker: w.lockerSigner,
      mint: w.mint,
      owner,
      amount: 130n * TOKEN,
    });
    expect((await getMint(w.provider.connection, w.mint, "confirmed")).supply).to.equal(
      supply - 130n * TOKEN,
    );
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(370n * TOKEN);
    expect(await tokenBalance(w.provider, harmed)).to.equal(0n);
    const s = (await w.client.fetchStake(w.mint, owner))!;
    expect(s.locked).to.equal(0n);
    expect(s.active).to.equal(200n * TOKEN);
    expect(s.unbonding).to.equal(170n * TOKEN);
    expect(s.slashedTotal).to.equal(130n * TOKEN);
    const event = await txEvent(w.provider, signature, "slashed");
    expect(event.burned).to.equal(true);
    expect((event.destination as PublicKey).equals(PublicKey.default)).to.equal(true);
    expect(event.fromLocked).to.equal(100n * TOKEN);
    expect(event.fromUnbonding).to.equal(30n * TOKEN);
    await expectVaultBacksStake(w, stakeVault);
  });

  it("rejects slashing more than locked plus unbonding (SlashExceedsSlashable): free active stake is not slashable", async () => {
    const untouched = {
      tokens: [stakeVault, harmed],
      lamports: [w.admin, w.locker],
      accounts: [pool, stakeAccount, w.mint],
    };
    await expectRejected(
      w.provider,
      () =>
        w.client.slash({
          locker: w.lockerSigner,
          mint: w.mint,
          owner,
          amount: 300n * TOKEN + 1n,
          destination: harmed,
        }),
      "SlashExceedsSlashable",
      untouched,
    );
    await expectRejected(
      w.provider,
      () =>
        w.client.slash({ locker: w.lockerSigner, mint: w.mint, owner, amount: 300n * TOKEN + 1n }),
      "SlashExceedsSlashable",
      untouched,
    );
  });

  it("rejects a destination of another mint (WrongMint)", async () => {
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
      () =>
        w.client.slash({
          locker: w.lockerSigner,
          mint: w.mint,
          owner,
          amount: 50n * TOKEN,
          destination: foreign,
        }),
      "WrongMint",
      {
        tokens: [stakeVault, foreign],
        lamports: [w.admin, w.locker],
        accounts: [pool, stakeAccount, w.mint],
      },
    );
  });

  it("rejects a signer that is not the locker (NotLocker), slashing to itself or burning", async () => {
    const loot = await tokenAccount(w.provider, w.mint, w.attacker.publicKey);
    const untouched = {
      tokens: [stakeVault, loot],
      lamports: [w.admin, w.attacker.publicKey],
      accounts: [pool, stakeAccount, w.mint],
    };
    await expectRejected(
      w.provider,
      () =>
        w.client.slash({
          locker: w.attacker,
          mint: w.mint,
          owner,
          amount: 100n * TOKEN,
          destination: loot,
        }),
      "NotLocker",
      untouched,
    );
    await expectRejected(
      w.provider,
      () => w.client.slash({ locker: w.attacker, mint: w.mint, owner, amount: 100n * TOKEN }),
      "NotLocker",
      untouched,
    );
  });

  it("rejects a zero amount (ZeroAmount)", async () => {
    await expectRejected(
      w.provider,
      () =>
        w.client.slash({
          locker: w.lockerSigner,
          mint: w.mint,
          owner,
          amount: 0n,
          destination: harmed,
        }),
      "ZeroAmount",
      {
        tokens: [stakeVault, harmed],
        lamports: [w.admin, w.locker],
        accounts: [pool, stakeAccount],
      },
    );
  });
});
