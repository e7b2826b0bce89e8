// Fees over RPC as a validator charges them, through plain @solana/web3.js: the signature fee
// plus the prioritization fee (ceil(compute-unit price × compute-unit limit / 10^6) lamports),
// quoted by getFeeForMessage, recorded as the transaction's meta.fee, and refused as a whole
// (nothing moves) when the fee payer cannot pay it.
import {
  ComputeBudgetProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import { fundedKeypair, getProvider } from "./harness/env";

describe("localnet fees", () => {
  const provider = getProvider();
  const connection = provider.connection;

  function pricedTransfer(
    from: Keypair,
    to: Keypair,
    lamports: number,
    limit: number,
    microLamports: number | bigint,
  ): TransactionInstruction[] {
    return [
      ComputeBudgetProgram.setComputeUnitLimit({ units: limit }),
      ComputeBudgetProgram.setComputeUnitPrice({ microLamports }),
      SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: to.publicKey, lamports }),
    ];
  }

  it("charges, quotes and records the priority fee with the signature fee", async () => {
    const from = await fundedKeypair(provider, 10);
    const to = Keypair.generate();
    const tx = new Transaction().add(
      ...pricedTransfer(from, to, LAMPORTS_PER_SOL, 150_000, 2_000_000),
    );
    const { blockhash } = await connection.getLatestBlockhash();
    tx.recentBlockhash = blockhash;
    tx.feePayer = from.publicKey;
    // 2 lamports a unit for 150 000 units, plus 5 000 for the one signature.
    const expected = 150_000 * 2 + 5_000;
    expect((await connection.getFeeForMessage(tx.compileMessage(), "confirmed")).value).to.equal(
      expected,
    );
    const before = await connection.getBalance(from.publicKey, "confirmed");
    const signature = await sendAndConfirmTransaction(connection, tx, [from], {
      commitment: "confirmed",
    });
    expect(await connection.getBalance(from.publicKey, "confirmed")).to.equal(
      before - LAMPORTS_PER_SOL - expected,
    );
    const sent = await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(sent?.meta?.fee).to.equal(expected);
    expect(sent!.meta!.preBalances[0] - sent!.meta!.postBalances[0]).to.equal(
      LAMPORTS_PER_SOL + expected,
    );
  });

  it("refuses a transaction whose priority fee the payer cannot pay, and moves nothing", async () => {
    const from = await fundedKeypair(provider, 2);
    const to = Keypair.generate();
    // 2 SOL of priority fee (10^10 micro-lamports × 200 000 units) from a 2 SOL account.
    const tx = new Transaction().add(...pricedTransfer(from, to, 1, 200_000, 10_000_000_000n));
    let failure: unknown;
    try {
      await sendAndConfirmTransaction(connection, tx, [from], { commitment: "confirmed" });
    } catch (err) {
      failure = err;
    }
    expect(String(failure)).to.match(/insufficient funds for fee/i);
    expect(await connection.getBalance(from.publicKey, "confirmed")).to.equal(2 * LAMPORTS_PER_SOL);
    expect(await connection.getBalance(to.publicKey, "confirmed")).to.equal(0);
  });
});
