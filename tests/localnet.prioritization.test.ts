// getRecentPrioritizationFees through plain @solana/web3.js, as agave's prioritization-fee cache
// answers it: per recent block with transactions, the lowest compute-unit price paid in it,
// raised to what the transactions writing the accounts asked for paid; at most 128 accounts.
import {
  ComputeBudgetProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import { fundedKeypair, getProvider, pastSlot, rpcRequest } from "./harness/env";

describe("localnet / recent prioritization fees", () => {
  const provider = getProvider();
  const connection = provider.connection;

  it("reports the price paid to write an account in its block", async () => {
    const payer = await fundedKeypair(provider, 2);
    const hot = Keypair.generate().publicKey;
    const tx = new Transaction().add(
      ComputeBudgetProgram.setComputeUnitLimit({ units: 10_000 }),
      ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 123_456 }),
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: hot,
        lamports: LAMPORTS_PER_SOL / 10,
      }),
    );
    const signature = await sendAndConfirmTransaction(connection, tx, [payer], {
      commitment: "confirmed",
    });
    const { slot } = (await connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    }))!;
    await pastSlot(connection, slot);
    const fees = await connection.getRecentPrioritizationFees({ lockedWritableAccounts: [hot] });
    expect(fees.length).to.be.within(1, 150);
    expect(fees.map((f) => f.slot)).to.deep.equal(
      [...fees.map((f) => f.slot)].sort((a, b) => a - b),
    );
    expect(fees.find((f) => f.slot === slot)?.prioritizationFee).to.equal(123_456);
  });

  it("refuses more than 128 accounts, as the validator does", async () => {
    const keys = Array.from({ length: 129 }, () => Keypair.generate().publicKey.toBase58());
    const reply = await rpcRequest(connection.rpcEndpoint, "getRecentPrioritizationFees", [keys]);
    expect(reply.error).to.deep.equal({
      code: -32602,
      message: "Too many inputs provided; max 128",
    });
  });
});
