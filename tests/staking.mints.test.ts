// Which mints a pool accepts (DESIGN.md: Token-2022 mints with dangerous extensions are refused
// at init_pool), staking with a Token-2022 mint end to end, and accounts of a foreign pool.
import {
  createAccount,
  createInitializeMetadataPointerInstruction,
  ExtensionType,
  getAccount,
  mintTo,
  TOKEN_2022_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";

import { sendInstructions, staking, StakingClient } from "../sdk/src";
import { getProvider } from "./harness/env";
import { requiresTimeTravel, warp } from "./harness/cheatcodes";
import {
  classicFreezableMint,
  closableMint,
  freezableMint,
  REFUSED_EXTENSIONS,
  token2022Mint,
} from "./harness/mints";
import { expectError, payerOf, stakingWorld, TOKEN } from "./harness/fixtures";

describe("staking / init_pool with Token-2022 mints", () => {
  for (const [what, extensions, init] of REFUSED_EXTENSIONS) {
    it(`rejects a mint with ${what} (UnsupportedMintExtension), creating nothing`, async () => {
      const provider = getProvider();
      const mint = await token2022Mint(extensions, init);
      const client = new StakingClient(provider);
      const before = await provider.connection.getBalance(provider.wallet.publicKey);
      await expectError(
        client.initPool({
          mint,
          minStake: 1n,
          unbondingSecs: 3600n,
          locker: Keypair.generate().publicKey,
          tokenProgram: TOKEN_2022_PROGRAM_ID,
        }),
        "UnsupportedMintExtension",
      );
      expect(await client.fetchPool(mint)).to.equal(null);
      expect(await provider.connection.getBalance(provider.wallet.publicKey)).to.equal(before);
    });
  }

  for (const [what, make, error] of [
    ["a freeze authority (Token-2022)", freezableMint, "MintHasFreezeAuthority"],
    ["a freeze authority (SPL Token)", classicFreezableMint, "MintHasFreezeAuthority"],
    ["a close authority", closableMint, "MintHasCloseAuthority"],
  ] as const) {
    it(`rejects a mint with ${what} (${error}): whoever holds it could stop every exit`, async () => {
      const provider = getProvider();
      const mint = await make();
      const info = await provider.connection.getAccountInfo(mint, "confirmed");
      const client = new StakingClient(provider);
      const before = await provider.connection.getBalance(provider.wallet.publicKey);
      await expectError(
        client.initPool({
          mint,
          minStake: 1n,
          unbondingSecs: 3600n,
          locker: Keypair.generate().publicKey,
          tokenProgram: info!.owner,
        }),
        error,
      );
      expect(await client.fetchPool(mint)).to.equal(null);
      expect(await provider.connection.getBalance(provider.wallet.publicKey)).to.equal(before);
    });
  }

  it("accepts a mint with a harmless extension (metadata pointer) and stakes and withdraws with it", async function () {
    await requiresTimeTravel(this);
    const provider = getProvider();
    const payer = payerOf(provider);
    const mint = await token2022Mint([ExtensionType.MetadataPointer], (m, a) => [
      createInitializeMetadataPointerInstruction(m, a, null, TOKEN_2022_PROGRAM_ID),
    ]);
    const client = new StakingClient(provider);
    await client.initPool({
      mint,
      minStake: 10n,
      unbondingSecs: 3600n,
      locker: Keypair.generate().publicKey,
      tokenProgram: TOKEN_2022_PROGRAM_ID,
    });
    const pool = (await client.fetchPool(mint))!;
    expect(pool.tokenProgram.equals(TOKEN_2022_PROGRAM_ID)).to.equal(true);
    const account = await createAccount(
      provider.connection,
      payer,
      mint,
      payer.publicKey,
      Keypair.generate(),
      undefined,
      TOKEN_2022_PROGRAM_ID,
    );
    await mintTo(
      provider.connection,
      payer,
      mint,
      account,
      payer,
      1_000n * TOKEN,
      [],
      undefined,
      TOKEN_2022_PROGRAM_ID,
    );
    const balance = async (a: PublicKey) =>
      (await getAccount(provider.connection, a, "confirmed", TOKEN_2022_PROGRAM_ID)).amount;
    await client.stake({
      mint,
      source: account,
      amount: 400n * TOKEN,
      tokenProgram: TOKEN_2022_PROGRAM_ID,
    });
    expect(await balance(pool.stakeVault)).to.equal(400n * TOKEN);
    await client.requestUnstake({ mint, amount: 400n * TOKEN });
    await warp(provider, 3600);
    await client.withdraw({ mint, destination: account, tokenProgram: TOKEN_2022_PROGRAM_ID });
    expect(await balance(account)).to.equal(1_000n * TOKEN);
    expect(await balance(pool.stakeVault)).to.equal(0n);
  });

  it("rejects the classic token program for a Token-2022 mint (the vaults cannot be created)", async () => {
    const provider = getProvider();
    const mint = await token2022Mint([], () => []);
    const client = new StakingClient(provider);
    await expectError(
      client.initPool({
        mint,
        minStake: 1n,
        unbondingSecs: 3600n,
        locker: Keypair.generate().publicKey,
      }),
      "IncorrectProgramId",
    );
    expect(await client.fetchPool(mint)).to.equal(null);
  });
});

describe("staking / accounts of a foreign pool", () => {
  it("rejects a provider stake of pool A presented with pool B (ConstraintSeeds), moving nothing", async () => {
    const a = await stakingWorld();
    const b = await stakingWorld();
    await a.client.stake({
      owner: a.provider1,
      mint: a.mint,
      source: a.providerSource,
      amount: 200n * TOKEN,
    });
    const stakeA = staking.providerStakePda(staking.poolPda(a.mint), a.provider1.publicKey);
    // request_unstake against pool B naming the stake account of pool A.
    const ix = staking.instructions.requestUnstake({
      owner: a.provider1.publicKey,
      mint: b.mint,
      amount: 100n * TOKEN,
    });
    ix.keys[2].pubkey = stakeA;
    await expectError(sendInstructions(a.provider, [ix], [a.provider1]), "ConstraintSeeds");
    // Pool B's locker cannot lock collateral of pool A's provider through pool B.
    const lock = staking.instructions.lockCollateral({
      locker: b.lockerSigner.publicKey,
      mint: b.mint,
      owner: a.provider1.publicKey,
      amount: 1n,
    });
    lock.keys[2].pubkey = stakeA;
    await expectError(sendInstructions(a.provider, [lock], [b.lockerSigner]), "ConstraintSeeds");
    const stake = (await a.client.fetchStake(a.mint, a.provider1.publicKey))!;
    expect([stake.active, stake.locked, stake.unbonding]).to.deep.equal([200n * TOKEN, 0n, 0n]);
  });
});
