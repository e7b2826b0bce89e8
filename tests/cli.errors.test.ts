// Every kind of typed error the CLI reports, produced for real against the validator and named
// by the SDK's `translateError` (sdk/src/common/errors.ts), which the CLI prints as
// `error: <what> (<Name>)`: a program error (name and code), an Anchor constraint error, SPL
// Token's InsufficientFunds, the runtime's fee-payer errors, an unknown blockhash, a replayed
// transaction.
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import {
  Keypair,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { expect } from "chai";

import {
  CRUCIBLE_ERRORS,
  CrucibleError,
  sendInstructions,
  STAKING_PROGRAM_ID,
  staking,
  translateError,
} from "../sdk/src";
import { airdrop, fundedKeypair, getProvider } from "./harness/env";
import { expectError, lamportsOf, newStaker, stakingWorld, TOKEN } from "./harness/fixtures";

/** Sends a signed transaction through `sendRawTransaction` (preflight on) and translates what it
 * throws, as a wallet-adapter dApp would. */
async function sendRaw(tx: Transaction): Promise<string> {
  const { connection } = getProvider();
  try {
    return await connection.sendRawTransaction(tx.serialize());
  } catch (err) {
    throw translateError(err, CRUCIBLE_ERRORS);
  }
}

describe("cli / typed errors", function () {
  this.timeout(60_000);
  const provider = getProvider();

  it("names a program error with its code and program (InsufficientFreeStake, 6003)", async () => {
    const w = await stakingWorld({ minStake: TOKEN });
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 10n * TOKEN,
    });
    const e = await expectError(
      w.client.requestUnstake({ owner: w.provider1, mint: w.mint, amount: 11n * TOKEN }),
      "InsufficientFreeStake",
    );
    expect(e).to.be.instanceOf(CrucibleError);
    expect(e.code).to.equal(6003);
    expect(e.programId!.equals(STAKING_PROGRAM_ID)).to.equal(true);
    expect(e.message).to.match(/free stake/);
    expect(e.logs.some((l) => l.includes("InsufficientFreeStake"))).to.equal(true);
  });

  it("names an Anchor constraint error (ConstraintSeeds, 2006)", async () => {
    const w = await stakingWorld({ minStake: TOKEN });
    const other = await newStaker(w);
    await w.client.stake({
      owner: w.provider1,
      mint: w.mint,
      source: w.providerSource,
      amount: 5n * TOKEN,
    });
    await w.client.stake({
      owner: other.keypair,
      mint: w.mint,
      source: other.source,
      amount: 5n * TOKEN,
    });
    // provider1 signs for its own unstake but names the other provider's stake account.
    const ix = staking.instructions.requestUnstake({
      owner: w.provider1.publicKey,
      mint: w.mint,
      amount: TOKEN,
    });
    const pool = staking.poolPda(w.mint);
    const theirs = staking.providerStakePda(pool, other.keypair.publicKey);
    const forged = new TransactionInstruction({
      programId: ix.programId,
      data: ix.data,
      keys: ix.keys.map((k) =>
        k.pubkey.equals(staking.providerStakePda(pool, w.provider1.publicKey))
          ? { ...k, pubkey: theirs }
          : k,
      ),
    });
    const e = await expectError(
      sendInstructions(w.provider, [forged], [w.provider1]),
      "ConstraintSeeds",
    );
    expect(e.code).to.equal(2006);
  });

  it("names SPL Token's InsufficientFunds (staking more than the source holds)", async () => {
    const w = await stakingWorld({ minStake: TOKEN, providerTokens: 3n * TOKEN });
    const e = await expectError(
      w.client.stake({
        owner: w.provider1,
        mint: w.mint,
        source: w.providerSource,
        amount: 4n * TOKEN,
      }),
      "InsufficientFunds",
    );
    expect(e.code).to.equal(1);
    expect(e.programId!.toBase58()).to.equal("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
  });

  it("names a fee payer with no account at all (AccountNotFound)", async () => {
    const broke = Keypair.generate();
    const p = new AnchorProvider(provider.connection, new Wallet(broke), provider.opts);
    const ix = SystemProgram.transfer({
      fromPubkey: broke.publicKey,
      toPubkey: provider.wallet.publicKey,
      lamports: 1,
    });
    await expectError(sendInstructions(p, [ix]), "AccountNotFound");
    expect(await lamportsOf(provider, broke.publicKey)).to.equal(0n);
  });

  it("names a fee payer the fee would leave below rent exemption (InsufficientFundsForRent)", async () => {
    // Rent-exempt and nothing more: the 5 000-lamport fee would leave it below the minimum.
    // (`InsufficientFundsForFee` needs a fee above a rent-exempt balance, i.e. a priority fee;
    // crucible-localnet charges the signature fee only, so it cannot be produced here.)
    const poor = Keypair.generate();
    const rent = await provider.connection.getMinimumBalanceForRentExemption(0);
    await airdrop(provider, poor.publicKey, rent / 1e9);
    expect(await lamportsOf(provider, poor.publicKey)).to.equal(BigInt(rent));
    const p = new AnchorProvider(provider.connection, new Wallet(poor), provider.opts);
    const memo = new TransactionInstruction({
      programId: new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"),
      keys: [{ pubkey: poor.publicKey, isSigner: true, isWritable: false }],
      data: Buffer.from("fee"),
    });
    await expectError(sendInstructions(p, [memo]), "InsufficientFundsForRent");
    expect(await lamportsOf(provider, poor.publicKey)).to.equal(BigInt(rent));
  });

  it("names a transaction with a made-up recent blockhash (BlockhashNotFound)", async () => {
    const payer = await fundedKeypair(provider, 1);
    const tx = new Transaction({
      feePayer: payer.publicKey,
      recentBlockhash: Keypair.generate().publicKey.toBase58(),
    }).add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: provider.wallet.publicKey,
        lamports: 1,
      }),
    );
    tx.sign(payer);
    await expectError(sendRaw(tx), "BlockhashNotFound");
  });

  it("names a transaction sent twice (AlreadyProcessed)", async () => {
    const payer = await fundedKeypair(provider, 1);
    const { blockhash } = await provider.connection.getLatestBlockhash("confirmed");
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: provider.wallet.publicKey,
        lamports: 1,
      }),
    );
    tx.sign(payer);
    const signature = await sendRaw(tx);
    const latest = await provider.connection.getLatestBlockhash("confirmed");
    await provider.connection.confirmTransaction({ signature, ...latest }, "confirmed");
    await expectError(sendRaw(tx), "AlreadyProcessed");
  });
});
