// The SDK's builders with transactions signed elsewhere, as a wallet-adapter dApp (or the CLI)
// uses them: the instructions need no wallet; the transaction is assembled, each party signs
// its part on its own (partialSign, possibly after a serialize/deserialize round trip between
// machines), and the raw bytes go through sendRawTransaction.
import { Keypair, Transaction } from "@solana/web3.js";
import { expect } from "chai";

import { market } from "../sdk/src";
import { fundedKeypair } from "./harness/env";
import { TOKEN } from "./harness/fixtures";
import { tokenBalance, HOUR, marketWorld } from "./harness/market";

describe("cli / SDK builders with separately signed transactions", function () {
  this.timeout(60_000);

  it("a relayer pays the fee, the client signs its job posting apart; both signatures serialized", async () => {
    const w = await marketWorld();
    const { connection } = w.provider;
    const relayer = await fundedKeypair(w.provider, 2);
    const ctx = await w.markets.context(w.market);
    const client = w.client.key.publicKey;
    const nonces = [market.randomNonce(), market.randomNonce()];
    // Two jobs in one transaction, built without any wallet.
    const instructions = nonces.map((nonce, i) =>
      market.instructions.createJob({
        ctx,
        client,
        clientToken: w.client.token,
        nonce,
        price: BigInt(i + 1) * 10n * TOKEN,
        durationSecs: HOUR,
        specHash: new Uint8Array(32).fill(i + 1),
      }),
    );
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    const tx = new Transaction({
      feePayer: relayer.publicKey,
      blockhash,
      lastValidBlockHeight,
    }).add(...instructions);

    // The client's wallet signs first and hands the bytes on, the relayer's signature missing.
    tx.partialSign(w.client.key);
    const handedOver = tx.serialize({ requireAllSignatures: false, verifySignatures: true });
    const received = Transaction.from(handedOver);
    expect(
      received.signatures.find((s) => s.publicKey.equals(relayer.publicKey))!.signature,
    ).to.equal(null);
    received.partialSign(relayer);
    expect(received.verifySignatures()).to.equal(true);

    const relayerBefore = BigInt(await connection.getBalance(relayer.publicKey, "confirmed"));
    const clientTokensBefore = await tokenBalance(w.provider, w.client.token);
    const signature = await connection.sendRawTransaction(received.serialize());
    const { value } = await connection.confirmTransaction(
      { signature, blockhash, lastValidBlockHeight },
      "confirmed",
    );
    expect(value.err).to.equal(null);

    for (const [i, nonce] of nonces.entries()) {
      const job = market.jobPda(w.market, client, nonce);
      const j = await w.markets.fetchJob(job);
      expect(j!.state).to.equal("open");
      expect(j!.client.equals(client)).to.equal(true);
      expect(j!.price).to.equal(BigInt(i + 1) * 10n * TOKEN);
      expect(await tokenBalance(w.provider, market.escrowPda(job))).to.equal(
        BigInt(i + 1) * 10n * TOKEN,
      );
    }
    expect(clientTokensBefore - (await tokenBalance(w.provider, w.client.token))).to.equal(
      30n * TOKEN,
    );
    // The relayer paid the fee (two signatures); the client paid the rents.
    const relayerAfter = BigInt(await connection.getBalance(relayer.publicKey, "confirmed"));
    expect(relayerBefore - relayerAfter).to.equal(10_000n);
  });

  it("the provider accepts and submits with transactions it signs alone, sent raw", async () => {
    const w = await marketWorld();
    const { connection } = w.provider;
    const { job } = await w.markets.createJob({
      market: w.market,
      price: 8n * TOKEN,
      durationSecs: HOUR,
      clientToken: w.client.token,
      client: w.client.key,
    });
    const ctx = await w.markets.context(w.market);
    const provider = w.worker.key;
    const sendAlone = async (signer: Keypair, ...ixs: Parameters<Transaction["add"]>) => {
      const latest = await connection.getLatestBlockhash("confirmed");
      const tx = new Transaction({ feePayer: signer.publicKey, ...latest }).add(...ixs);
      tx.sign(signer);
      const signature = await connection.sendRawTransaction(tx.serialize());
      const { value } = await connection.confirmTransaction({ signature, ...latest }, "confirmed");
      expect(value.err).to.equal(null);
      return signature;
    };
    await sendAlone(
      provider,
      market.instructions.acceptJob({ ctx, provider: provider.publicKey, job }),
    );
    expect((await w.markets.fetchJob(job))!.state).to.equal("running");
    await sendAlone(
      provider,
      market.instructions.submitResult({
        provider: provider.publicKey,
        job,
        resultHash: new Uint8Array(32).fill(5),
      }),
    );
    const j = await w.markets.fetchJob(job);
    expect(j!.state).to.equal("submitted");
    expect(Buffer.from(j!.resultHash).equals(Buffer.alloc(32, 5))).to.equal(true);
    expect(j!.provider!.equals(provider.publicKey)).to.equal(true);
  });
});
