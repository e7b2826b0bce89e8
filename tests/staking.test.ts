// The first staking slice through the SDK, over RPC, against the local validator:
// init_pool, stake, request_unstake, withdraw; their rejections by error name with balances
// unchanged; time moved through the validator's clock; events through addEventListener.
import { createMint, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { sendInstructions, staking, StakingClient } from "../sdk/src";
import { fundedKeypair, getProvider } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  DECIMALS,
  expectError,
  snapshot,
  StakingWorld,
  stakingWorld,
  TOKEN,
  tokenAccount,
  tokenBalance,
} from "./harness/fixtures";

const DAY = 24n * 3600n;

describe("staking / init_pool", () => {
  it("creates the pool of a mint with its two vaults, the wallet as admin", async () => {
    const w = await stakingWorld({ minStake: 5n * TOKEN, unbondingSecs: 7n * DAY });
    const pool = await w.client.fetchPool(w.mint);
    expect(pool).to.not.equal(null);
    expect(pool!.admin.equals(w.admin)).to.equal(true);
    expect(pool!.mint.equals(w.mint)).to.equal(true);
    expect(pool!.locker.equals(w.locker)).to.equal(true);
    expect(pool!.minStake).to.equal(5n * TOKEN);
    expect(pool!.unbondingSecs).to.equal(7n * DAY);
    expect(pool!.totalActive).to.equal(0n);
    const poolKey = staking.poolPda(w.mint);
    expect(pool!.stakeVault.equals(staking.stakeVaultPda(poolKey))).to.equal(true);
    expect(await tokenBalance(w.provider, pool!.stakeVault)).to.equal(0n);
    expect(await tokenBalance(w.provider, pool!.rewardVault)).to.equal(0n);
  });

  it("rejects a signer that is not the mint authority, creating nothing", async () => {
    const provider = getProvider();
    const payer = (provider.wallet as unknown as { payer: Keypair }).payer;
    const mint = await createMint(
      provider.connection,
      payer,
      payer.publicKey,
      null,
      DECIMALS,
      Keypair.generate(),
      undefined,
      TOKEN_PROGRAM_ID,
    );
    const attacker = await fundedKeypair(provider, 5);
    const ix = staking.instructions.initPool({
      admin: attacker.publicKey,
      mint,
      minStake: 1n,
      unbondingSecs: 3600n,
      locker: attacker.publicKey,
    });
    const before = await provider.connection.getBalance(attacker.publicKey);
    const client = new StakingClient(provider);
    // Sent by the attacker as fee payer, so the wallet cannot be the one paying.
    const attackerProvider = new AnchorProvider(
      provider.connection,
      new Wallet(attacker),
      provider.opts,
    );
    await expectError(sendInstructions(attackerProvider, [ix]), "NotMintAuthority");
    expect(await client.fetchPool(mint)).to.equal(null);
    expect(await provider.connection.getBalance(attacker.publicKey)).to.equal(before);
  });

  it("rejects a zero minimum stake and an unbonding delay above a year", async () => {
    const provider = getProvider();
    const payer = (provider.wallet as unknown as { payer: Keypair }).payer;
    const mint = await createMint(provider.connection, payer, payer.publicKey, null, DECIMALS);
    const client = new StakingClient(provider);
    await expectError(
      client.initPool({ mint, minStake: 0n, unbondingSecs: 3600n, locker: payer.publicKey }),
      "InvalidMinStake",
    );
    await expectError(
      client.initPool({ mint, minStake: 1n, unbondingSecs: 366n * DAY, locker: payer.publicKey }),
      "InvalidUnbondingDelay",
    );
    expect(await client.fetchPool(mint)).to.equal(null);
  });

  it("rejects a second pool for the same mint", async () => {
    const w = await stakingWorld();
    const before = await snapshot(w.provider, [], [w.admin]);
    const err = await expectError(
      w.client.initPool({ mint: w.mint, minStake: 1n, unbondingSecs: 3600n, locker: w.locker }),
      "AccountAlreadyInUse",
    );
    // The System program refused to create the pool account again.
    expect(err.programId?.toBase58()).to.equal("11111111111111111111111111111111");
    // Refused at preflight: not even a fee left the wallet.
    expect(await snapshot(w.provider, [], [w.admin])).to.deep.equal(before);
  });
});

describe("staking / stake", () => {
  let w: StakingWorld;
  beforeEach(async () => {
    w = await stakingWorld();
  });

  it("moves tokens into the stake vault and counts them as active stake", async () => {
    const pool = (await w.client.fetchPool(w.mint))!;
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 400n * TOKEN,
    });
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(600n * TOKEN);
    expect(await tokenBalance(w.provider, pool.stakeVault)).to.equal(400n * TOKEN);
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 1n,
    });
    const stake = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(stake.active).to.equal(400n * TOKEN + 1n);
    expect(stake.locked).to.equal(0n);
    expect(stake.owner.equals(w.provider1.publicKey)).to.equal(true);
    expect((await w.client.fetchPool(w.mint))!.totalActive).to.equal(400n * TOKEN + 1n);
  });

  it("emits Staked, received through the Anchor program's addEventListener", async () => {
    type Staked = { amount: { toString(): string }; active: { toString(): string } };
    // With their signatures: a logs subscription hears of every transaction of the blocks that
    // close after it is made, including a block's transactions from before it (as on agave).
    const heard: Array<{ event: Staked; signature: string }> = [];
    const listener = w.client.program.addEventListener("staked", (event, _slot, signature) =>
      heard.push({ event, signature }),
    );
    try {
      // Let the logs subscription be acknowledged before sending.
      await new Promise((r) => setTimeout(r, 300));
      const signature = await w.client.stake({
        owner: w.provider1,
        mint: w.mint,
        source: w.providerSource,
        amount: 250n * TOKEN,
      });
      const events = (): Staked[] =>
        heard.filter((h) => h.signature === signature).map((h) => h.event);
      for (let i = 0; i < 100 && events().length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(events()).to.have.length(1);
      expect(events()[0].amount.toString()).to.equal((250n * TOKEN).toString());
      // The same event parsed from the transaction's logs by the SDK.
      const tx = await w.provider.connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      const parsed = staking.parseEvents(tx!.meta!.logMessages!);
      expect(parsed.map((e) => e.name)).to.deep.equal(["staked"]);
      expect(staking.eventsNamed(parsed, "staked")[0].active).to.equal(250n * TOKEN);
    } finally {
      await w.client.program.removeEventListener(listener);
    }
  });

  it("rejects a first stake below the pool minimum, moving nothing", async () => {
    const before = await snapshot(w.provider, [w.providerSource]);
    await expectError(
      w.client.stake({
        owner: w.provider1,
        mint: w.mint,
        source: w.providerSource,
        amount: 99n * TOKEN,
      }),
      "BelowMinStake",
    );
    expect(await snapshot(w.provider, [w.providerSource])).to.deep.equal(before);
    expect(await w.client.fetchStake(w.mint, w.provider1.publicKey)).to.equal(null);
  });

  it("rejects a zero amount", async () => {
    await expectError(
      w.client.stake({ owner: w.provider1, mint: w.mint, source: w.providerSource, amount: 0n }),
      "ZeroAmount",
    );
  });

  it("rejects a source account of another mint", async () => {
    const payer = (w.provider.wallet as unknown as { payer: Keypair }).payer;
    const otherMint = await createMint(
      w.provider.connection,
      payer,
      payer.publicKey,
      null,
      DECIMALS,
    );
    const foreign = await tokenAccount(w.provider, otherMint, w.provider1.publicKey, 500n * TOKEN);
    await expectError(
      w.client.stake({ owner: w.provider1, mint: w.mint, source: foreign, amount: 200n * TOKEN }),
      "WrongMint",
    );
    expect(await tokenBalance(w.provider, foreign)).to.equal(500n * TOKEN);
  });

  it("rejects staking from someone else's token account (the owner must sign for it)", async () => {
    const before = await snapshot(w.provider, [w.providerSource]);
    // The attacker signs as owner of its own stake, with the provider's tokens as source.
    await expectError(
      w.client.stake({
        owner: w.attacker,
        mint: w.mint,
        source: w.providerSource,
        amount: 200n * TOKEN,
      }),
      "OwnerMismatch",
    );
    expect(await snapshot(w.provider, [w.providerSource])).to.deep.equal(before);
  });

  it("rejects amounts beyond u64 before sending anything", async () => {
    expect(() =>
      staking.instructions.stake({
        owner: w.provider1.publicKey,
        mint: w.mint,
        source: w.providerSource,
        amount: 1n << 64n,
      }),
    ).to.throw(RangeError);
    await expectError(
      w.client.stake({
        owner: w.provider1,
        mint: w.mint,
        source: w.providerSource,
        amount: (1n << 64n) - 1n,
      }),
      "InsufficientFunds",
    );
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(1_000n * TOKEN);
  });
});

describe("staking / request_unstake and withdraw", () => {
  let w: StakingWorld;
  let stakeVault: PublicKey;
  beforeEach(async () => {
    w = await stakingWorld({ unbondingSecs: 14n * DAY });
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 500n * TOKEN,
    });
    stakeVault = (await w.client.fetchPool(w.mint))!.stakeVault;
  });

  it("unbonds, refuses an early withdrawal by name, and pays out after the delay", async function () {
    await requiresTimeTravel(this);
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 200n * TOKEN });
    let stake = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(stake.active).to.equal(300n * TOKEN);
    expect(stake.unbonding).to.equal(200n * TOKEN);
    let pool = (await w.client.fetchPool(w.mint))!;
    expect(pool.totalActive).to.equal(300n * TOKEN);
    expect(pool.totalUnbonding).to.equal(200n * TOKEN);

    const before = await snapshot(w.provider, [w.providerSource, stakeVault]);
    await warp(w.provider, Number(14n * DAY) - 60);
    await expectError(
      w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource }),
      "UnbondingNotElapsed",
    );
    expect(await snapshot(w.provider, [w.providerSource, stakeVault])).to.deep.equal(before);

    await warp(w.provider, 60);
    await w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource });
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(700n * TOKEN);
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(300n * TOKEN);
    stake = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(stake.unbonding).to.equal(0n);
    pool = (await w.client.fetchPool(w.mint))!;
    expect(pool.totalUnbonding).to.equal(0n);
    // Vault = Σ active + Σ unbonding.
    expect(await tokenBalance(w.provider, stakeVault)).to.equal(
      pool.totalActive + pool.totalUnbonding,
    );
  });

  it("restarts the timer when more is unbonded", async function () {
    await requiresTimeTravel(this);
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 100n * TOKEN });
    await warp(w.provider, Number(10n * DAY));
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 100n * TOKEN });
    await warp(w.provider, Number(5n * DAY));
    await expectError(
      w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource }),
      "UnbondingNotElapsed",
    );
    await warp(w.provider, Number(9n * DAY));
    await w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource });
    expect(await tokenBalance(w.provider, w.providerSource)).to.equal(700n * TOKEN);
  });

  it("rejects a second withdrawal", async function () {
    await requiresTimeTravel(this);
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 500n * TOKEN });
    await warp(w.provider, Number(14n * DAY));
    await w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource });
    const before = await snapshot(w.provider, [w.providerSource, stakeVault]);
    await expectError(
      w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: w.providerSource }),
      "NothingUnbonding",
    );
    expect(await snapshot(w.provider, [w.providerSource, stakeVault])).to.deep.equal(before);
  });

  it("rejects paying a withdrawal or a claim into the pool's own vaults", async function () {
    await requiresTimeTravel(this);
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 500n * TOKEN });
    await warp(w.provider, Number(14n * DAY));
    const pool = (await w.client.fetchPool(w.mint))!;
    const before = await snapshot(w.provider, [pool.stakeVault, pool.rewardVault]);
    for (const vault of [pool.stakeVault, pool.rewardVault]) {
      await expectError(
        w.client.withdraw({ owner: w.provider1, mint: w.mint, destination: vault }),
        "DestinationIsPoolVault",
      );
      await expectError(
        w.client.claimRewards({ owner: w.provider1, mint: w.mint, destination: vault }),
        "DestinationIsPoolVault",
      );
    }
    expect(await snapshot(w.provider, [pool.stakeVault, pool.rewardVault])).to.deep.equal(before);
  });

  it("rejects unstaking more than the free stake, or leaving less than the minimum", async () => {
    await expectError(
      w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 500n * TOKEN + 1n }),
      "InsufficientFreeStake",
    );
    await expectError(
      w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 450n * TOKEN }),
      "BelowMinStake",
    );
    await expectError(
      w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 0n }),
      "ZeroAmount",
    );
    const stake = (await w.client.fetchStake(w.mint, w.provider1.publicKey))!;
    expect(stake.active).to.equal(500n * TOKEN);
    expect(stake.unbonding).to.equal(0n);
  });

  it("rejects an attacker withdrawing a provider's unbonded stake to itself", async function () {
    await requiresTimeTravel(this);
    await w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 200n * TOKEN });
    await warp(w.provider, Number(14n * DAY));
    const loot = await tokenAccount(w.provider, w.mint, w.attacker.publicKey);
    const before = await snapshot(w.provider, [loot, stakeVault]);
    // Signing as itself, the attacker only reaches its own (nonexistent) stake account.
    await expectError(
      w.client.withdraw({ owner: w.attacker, mint: w.mint, destination: loot }),
      "AccountNotInitialized",
    );
    // Naming the provider's stake account with its own signature breaks the PDA seeds.
    const ix = staking.instructions.withdraw({
      owner: w.attacker.publicKey,
      mint: w.mint,
      destination: loot,
    });
    ix.keys[2].pubkey = staking.providerStakePda(staking.poolPda(w.mint), w.provider1.publicKey);
    await expectError(sendInstructions(w.provider, [ix], [w.attacker]), "ConstraintSeeds");
    expect(await snapshot(w.provider, [loot, stakeVault])).to.deep.equal(before);
  });
});
