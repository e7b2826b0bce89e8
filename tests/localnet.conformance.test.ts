// Conformance of the local validator with what @solana/web3.js 1.x and @solana/spl-token expect
// from a Solana RPC endpoint: JSON-RPC shapes, confirmation, errors, PubSub. Plain web3.js and
// spl-token only (no Crucible SDK): when a suite fails, this one tells whether the validator or
// the SDK is at fault. It also passes against solana-test-validator. Surfpool's cheatcodes (the
// clock, accounts set directly) have theirs in localnet.cheatcodes.test.ts.
import {
  ACCOUNT_SIZE,
  MINT_SIZE,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  burn,
  createAccount,
  createMint,
  createTransferInstruction,
  getAccount,
  getMint,
  mintTo,
  transfer,
  transferChecked,
} from "@solana/spl-token";
import {
  AccountInfo,
  Keypair,
  LAMPORTS_PER_SOL,
  Logs,
  PublicKey,
  SendTransactionError,
  SignatureResult,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import {
  RpcResponse,
  deferred,
  fundedKeypair,
  getProvider,
  rpcCall,
  rpcPost,
  rpcRequest,
  signatureOf,
  subscribed,
} from "./harness/env";

const FEE_PER_SIGNATURE = 5_000;
const SYSTEM_PROGRAM = SystemProgram.programId.toBase58();
const MEMO_PROGRAM_ID = new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
const ASSOCIATED_TOKEN_PROGRAM_ID = new PublicKey("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
const BPF_LOADERS = [
  "BPFLoader1111111111111111111111111111111111",
  "BPFLoader2111111111111111111111111111111111",
  "BPFLoaderUpgradeab1e11111111111111111111111",
  "LoaderV411111111111111111111111111111111111",
];

/** The JSON-RPC error of a failed preflight: code -32002 with `data.err` and `data.logs`. */
interface PreflightFailure {
  err: unknown;
  logs: string[] | null;
}

function transferTx(from: PublicKey, to: PublicKey, lamports: number): Transaction {
  return new Transaction().add(
    SystemProgram.transfer({ fromPubkey: from, toPubkey: to, lamports }),
  );
}

async function expectRejected(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    expect(e).to.be.instanceOf(Error);
    return e as Error;
  }
  throw new Error("expected the promise to be rejected, but it resolved");
}

describe("localnet / conformance", () => {
  const provider = getProvider();
  const connection = provider.connection;
  const url = connection.rpcEndpoint;

  describe("node", () => {
    it("answers getHealth and getVersion (raw JSON-RPC)", async () => {
      expect(await rpcCall(url, "getHealth")).to.equal("ok");
      const version = await rpcCall<Record<string, unknown>>(url, "getVersion");
      expect(version["solana-core"])
        .to.be.a("string")
        .and.match(/^\d+\.\d+\.\d+/);
      // Through web3.js too, which validates the shape.
      const viaWeb3 = await connection.getVersion();
      expect(viaWeb3["solana-core"]).to.equal(version["solana-core"]);
    });

    it("funds the wallet at ANCHOR_WALLET", async () => {
      const balance = await connection.getBalance(provider.wallet.publicKey, "confirmed");
      expect(balance).to.be.greaterThan(LAMPORTS_PER_SOL);
    });

    it("serves the read-only methods web3.js uses", async () => {
      const slot = await connection.getSlot("confirmed");
      expect(slot).to.be.a("number").and.at.least(0);
      expect(await connection.getBlockHeight("confirmed"))
        .to.be.a("number")
        .and.at.least(0);

      const genesis = await connection.getGenesisHash();
      expect(new PublicKey(genesis).toBytes()).to.have.length(32);

      const epochInfo = await connection.getEpochInfo("confirmed");
      expect(epochInfo.absoluteSlot).to.be.at.least(slot);
      expect(epochInfo.slotIndex).to.be.lessThan(epochInfo.slotsInEpoch);

      const latest = await connection.getLatestBlockhash("confirmed");
      expect(new PublicKey(latest.blockhash).toBytes()).to.have.length(32);
      expect(latest.lastValidBlockHeight).to.be.at.least(await connection.getBlockHeight());
      expect(
        (await connection.isBlockhashValid(latest.blockhash, { commitment: "confirmed" })).value,
      ).to.be.true;
      const unknown = Keypair.generate().publicKey.toBase58();
      expect((await connection.isBlockhashValid(unknown, { commitment: "confirmed" })).value).to.be
        .false;

      const payer = Keypair.generate().publicKey;
      const message = new TransactionMessage({
        payerKey: payer,
        recentBlockhash: latest.blockhash,
        instructions: [SystemProgram.transfer({ fromPubkey: payer, toPubkey: payer, lamports: 1 })],
      }).compileToV0Message();
      expect((await connection.getFeeForMessage(message, "confirmed")).value).to.equal(
        FEE_PER_SIGNATURE,
      );

      // Rent: the exact mainnet figures.
      expect(await connection.getMinimumBalanceForRentExemption(0)).to.equal(890_880);
      expect(await connection.getMinimumBalanceForRentExemption(ACCOUNT_SIZE)).to.equal(2_039_280);
      expect(await connection.getMinimumBalanceForRentExemption(MINT_SIZE)).to.equal(1_461_600);

      const nobody = Keypair.generate().publicKey;
      expect(await connection.getBalance(nobody)).to.equal(0);
      expect(await connection.getAccountInfo(nobody)).to.equal(null);
      const [token, missing] = await connection.getMultipleAccountsInfo([TOKEN_PROGRAM_ID, nobody]);
      expect(token?.executable).to.be.true;
      expect(missing).to.equal(null);
    });

    it("has the SPL programs loaded as executable SBF programs", async () => {
      for (const programId of [
        TOKEN_PROGRAM_ID,
        TOKEN_2022_PROGRAM_ID,
        ASSOCIATED_TOKEN_PROGRAM_ID,
        MEMO_PROGRAM_ID,
      ]) {
        const info = await connection.getAccountInfo(programId, "confirmed");
        expect(info, programId.toBase58()).to.not.equal(null);
        expect(info!.executable, `${programId.toBase58()} is executable`).to.be.true;
        expect(BPF_LOADERS, `owner of ${programId.toBase58()}`).to.include(info!.owner.toBase58());
      }
    });
  });

  describe("airdrop and confirmation", () => {
    it("confirms an airdrop with the blockhash strategy", async () => {
      const recipient = Keypair.generate().publicKey;
      const signature = await connection.requestAirdrop(recipient, 2 * LAMPORTS_PER_SOL);
      const blockhash = await connection.getLatestBlockhash("confirmed");
      const { value } = await connection.confirmTransaction(
        { signature, ...blockhash },
        "confirmed",
      );
      expect(value.err).to.equal(null);
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(2 * LAMPORTS_PER_SOL);
    });

    it("confirms an airdrop with the legacy signature-only form", async () => {
      const recipient = Keypair.generate().publicKey;
      const signature = await connection.requestAirdrop(recipient, LAMPORTS_PER_SOL);
      // The deprecated overload: web3.js waits on signatureSubscribe with a timeout only.
      const { value } = await connection.confirmTransaction(signature, "confirmed");
      expect(value.err).to.equal(null);
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(LAMPORTS_PER_SOL);
      const { value: statuses } = await connection.getSignatureStatuses([signature]);
      expect(statuses[0]?.err).to.equal(null);
      expect(statuses[0]?.confirmationStatus).to.be.oneOf(["confirmed", "finalized"]);
    });
  });

  describe("transfers", () => {
    it("transfers lamports with sendAndConfirmTransaction, charging 5000 lamports per signature", async () => {
      const payer = await fundedKeypair(provider, 2);
      const recipient = Keypair.generate().publicKey;
      const amount = LAMPORTS_PER_SOL / 10;
      const before = await connection.getBalance(payer.publicKey, "confirmed");

      const signature = await sendAndConfirmTransaction(
        connection,
        transferTx(payer.publicKey, recipient, amount),
        [payer],
        { commitment: "confirmed" },
      );

      expect(await connection.getBalance(payer.publicKey, "confirmed")).to.equal(
        before - amount - FEE_PER_SIGNATURE,
      );
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(amount);

      // History: getTransaction and getSignaturesForAddress know it.
      const tx = await connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      expect(tx, "getTransaction finds the transfer").to.not.equal(null);
      expect(tx!.meta?.err).to.equal(null);
      expect(tx!.meta?.fee).to.equal(FEE_PER_SIGNATURE);
      expect(tx!.meta?.preBalances[0]).to.equal(before);
      expect(tx!.meta?.postBalances[0]).to.equal(before - amount - FEE_PER_SIGNATURE);
      expect(tx!.meta?.postBalances[1]).to.equal(amount);
      expect(tx!.meta?.logMessages).to.include(`Program ${SYSTEM_PROGRAM} invoke [1]`);
      expect(tx!.meta?.logMessages).to.include(`Program ${SYSTEM_PROGRAM} success`);
      expect(tx!.transaction.signatures[0]).to.equal(signature);
      expect(tx!.slot).to.be.a("number");
      expect(tx!.blockTime).to.be.a("number");

      const history = await connection.getSignaturesForAddress(recipient, {}, "confirmed");
      expect(history.map((entry) => entry.signature)).to.include(signature);
    });

    it("confirms a sendAndConfirmTransaction round trip in under 5 s, even for identical transactions", async () => {
      // Three identical transfers have the same signature under one blockhash: web3.js asks for
      // a new blockhash each time, which only works if the validator advances it.
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const amount = LAMPORTS_PER_SOL / 100;
      const signatures = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        signatures.add(
          await sendAndConfirmTransaction(
            connection,
            transferTx(payer.publicKey, recipient, amount),
            [payer],
            { commitment: "confirmed" },
          ),
        );
        const elapsed = Date.now() - started;
        expect(elapsed, `round trip ${i + 1} took ${elapsed} ms`).to.be.lessThan(5_000);
      }
      expect(signatures.size).to.equal(3);
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(3 * amount);
    });

    it("rejects a duplicate of an executed transaction (AlreadyProcessed) without moving funds", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const amount = LAMPORTS_PER_SOL / 10;
      const blockhash = await connection.getLatestBlockhash("confirmed");
      const tx = transferTx(payer.publicKey, recipient, amount);
      tx.feePayer = payer.publicKey;
      tx.recentBlockhash = blockhash.blockhash;
      tx.sign(payer);
      const raw = tx.serialize();

      const signature = await connection.sendRawTransaction(raw);
      await connection.confirmTransaction({ signature, ...blockhash }, "confirmed");
      const payerBalance = await connection.getBalance(payer.publicKey, "confirmed");
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(amount);

      const err = await expectRejected(connection.sendRawTransaction(raw));
      expect(err).to.be.instanceOf(SendTransactionError);
      expect(err.message).to.match(/already been processed/i);

      const response = await rpcRequest<string>(url, "sendTransaction", [
        raw.toString("base64"),
        { encoding: "base64" },
      ]);
      expect(response.error?.code, JSON.stringify(response)).to.equal(-32002);
      expect((response.error?.data as PreflightFailure).err).to.equal("AlreadyProcessed");

      expect(await connection.getBalance(payer.publicKey, "confirmed")).to.equal(payerBalance);
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(amount);
    });

    it("rejects a transaction with an unknown blockhash (BlockhashNotFound)", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const tx = transferTx(payer.publicKey, recipient, LAMPORTS_PER_SOL / 10);
      tx.feePayer = payer.publicKey;
      tx.recentBlockhash = Keypair.generate().publicKey.toBase58();
      tx.sign(payer);
      const raw = tx.serialize();
      const before = await connection.getBalance(payer.publicKey, "confirmed");

      const err = await expectRejected(connection.sendRawTransaction(raw));
      expect(err).to.be.instanceOf(SendTransactionError);
      expect(err.message).to.match(/blockhash not found/i);

      const response = await rpcRequest<string>(url, "sendTransaction", [
        raw.toString("base64"),
        { encoding: "base64" },
      ]);
      expect(response.error?.code, JSON.stringify(response)).to.equal(-32002);
      expect((response.error?.data as PreflightFailure).err).to.equal("BlockhashNotFound");

      expect(await connection.getBalance(payer.publicKey, "confirmed")).to.equal(before);
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(0);
    });

    it("reports a failed preflight as -32002 with err and logs, and does not execute the transaction", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const before = await connection.getBalance(payer.publicKey, "confirmed");

      const err = await expectRejected(
        sendAndConfirmTransaction(
          connection,
          transferTx(payer.publicKey, recipient, 2 * LAMPORTS_PER_SOL),
          [payer],
          { commitment: "confirmed" },
        ),
      );
      expect(err).to.be.instanceOf(SendTransactionError);
      const logs = (err as SendTransactionError).logs;
      expect(logs, "SendTransactionError.logs").to.be.an("array");
      expect(logs).to.include(`Program ${SYSTEM_PROGRAM} invoke [1]`);
      expect(
        logs!.some((line) => /insufficient lamports/.test(line)),
        logs!.join("\n"),
      ).to.be.true;
      expect(err.message).to.match(/custom program error: 0x1/);

      // The raw answer, and what a failed preflight leaves behind: nothing at all.
      const { blockhash } = await connection.getLatestBlockhash("confirmed");
      const tx = transferTx(payer.publicKey, recipient, 3 * LAMPORTS_PER_SOL);
      tx.feePayer = payer.publicKey;
      tx.recentBlockhash = blockhash;
      tx.sign(payer);
      const response = await rpcRequest<string>(url, "sendTransaction", [
        tx.serialize().toString("base64"),
        { encoding: "base64", preflightCommitment: "confirmed" },
      ]);
      expect(response.error?.code, JSON.stringify(response)).to.equal(-32002);
      const data = response.error?.data as PreflightFailure;
      expect(data.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
      expect(data.logs).to.include(`Program ${SYSTEM_PROGRAM} invoke [1]`);

      const { value: statuses } = await connection.getSignatureStatuses([signatureOf(tx)], {
        searchTransactionHistory: true,
      });
      expect(statuses[0], "no status for a transaction refused at preflight").to.equal(null);
      expect(await connection.getBalance(payer.publicKey, "confirmed"), "no fee charged").to.equal(
        before,
      );
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(0);
    });

    it("executes a failing transaction sent with skipPreflight: fee charged, err in status and history", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const before = await connection.getBalance(payer.publicKey, "confirmed");
      const blockhash = await connection.getLatestBlockhash("confirmed");
      const tx = transferTx(payer.publicKey, recipient, 2 * LAMPORTS_PER_SOL);
      tx.feePayer = payer.publicKey;
      tx.recentBlockhash = blockhash.blockhash;
      tx.sign(payer);

      const signature = await connection.sendRawTransaction(tx.serialize(), {
        skipPreflight: true,
      });
      expect(signature).to.equal(signatureOf(tx));
      const { value } = await connection.confirmTransaction(
        { signature, ...blockhash },
        "confirmed",
      );
      expect(value.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });

      const recorded = await connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      expect(recorded?.meta?.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
      expect(recorded?.meta?.fee).to.equal(FEE_PER_SIGNATURE);
      expect(recorded?.meta?.logMessages?.some((line) => /insufficient lamports/.test(line))).to.be
        .true;
      expect(await connection.getBalance(payer.publicKey, "confirmed")).to.equal(
        before - FEE_PER_SIGNATURE,
      );
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(0);
    });
  });

  describe("simulateTransaction", () => {
    it("returns err and logs for a failing transfer (unsigned legacy transaction)", async () => {
      const payer = await fundedKeypair(provider, 1);
      const tx = transferTx(payer.publicKey, Keypair.generate().publicKey, 2 * LAMPORTS_PER_SOL);
      tx.feePayer = payer.publicKey;
      const before = await connection.getBalance(payer.publicKey, "confirmed");

      const { value } = await connection.simulateTransaction(tx);

      expect(value.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
      expect(value.logs).to.be.an("array");
      expect(value.logs).to.include(`Program ${SYSTEM_PROGRAM} invoke [1]`);
      expect(
        value.logs!.some((line) => /insufficient lamports/.test(line)),
        value.logs!.join("\n"),
      ).to.be.true;
      expect(await connection.getBalance(payer.publicKey, "confirmed")).to.equal(before);
    });

    it("simulates a signed versioned transaction with sigVerify, success and failure", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const { blockhash } = await connection.getLatestBlockhash("confirmed");
      const build = (lamports: number) => {
        const message = new TransactionMessage({
          payerKey: payer.publicKey,
          recentBlockhash: blockhash,
          instructions: [
            SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: recipient, lamports }),
          ],
        }).compileToV0Message();
        const tx = new VersionedTransaction(message);
        tx.sign([payer]);
        return tx;
      };

      const ok = await connection.simulateTransaction(build(LAMPORTS_PER_SOL / 10), {
        sigVerify: true,
        commitment: "confirmed",
      });
      expect(ok.value.err).to.equal(null);
      expect(ok.value.logs).to.include(`Program ${SYSTEM_PROGRAM} success`);
      expect(ok.value.unitsConsumed).to.be.a("number").and.greaterThan(0);

      const failed = await connection.simulateTransaction(build(2 * LAMPORTS_PER_SOL), {
        sigVerify: true,
        commitment: "confirmed",
      });
      expect(failed.value.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });

      // Simulation never changes state.
      expect(await connection.getBalance(recipient, "confirmed")).to.equal(0);
    });

    it("returns the SPL Token error for a transfer exceeding the balance", async () => {
      const payer = await fundedKeypair(provider, 2);
      const mint = await createMint(connection, payer, payer.publicKey, null, 6);
      const source = await createAccount(connection, payer, mint, payer.publicKey);
      const destination = await createAccount(
        connection,
        payer,
        mint,
        Keypair.generate().publicKey,
      );
      await mintTo(connection, payer, mint, source, payer, 100n);

      const tx = new Transaction().add(
        createTransferInstruction(source, destination, payer.publicKey, 101n),
      );
      tx.feePayer = payer.publicKey;
      const { value } = await connection.simulateTransaction(tx);

      expect(value.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
      expect(value.logs).to.include("Program log: Error: insufficient funds");
      expect((await getAccount(connection, source, "confirmed")).amount).to.equal(100n);
    });
  });

  describe("SPL Token", () => {
    it("creates a mint and accounts, mints, transfers and burns with exact supply and balances", async () => {
      const payer = await fundedKeypair(provider, 5);
      const alice = Keypair.generate();
      const bob = Keypair.generate();
      const mint = await createMint(connection, payer, payer.publicKey, payer.publicKey, 6);
      const aliceAta = await createAccount(connection, payer, mint, alice.publicKey);
      const bobAccount = await createAccount(
        connection,
        payer,
        mint,
        bob.publicKey,
        Keypair.generate(),
      );

      // Two identical mintTo calls: the second needs a fresh blockhash (same signature otherwise).
      await mintTo(connection, payer, mint, aliceAta, payer, 500_000n);
      await mintTo(connection, payer, mint, aliceAta, payer, 500_000n);
      expect((await getMint(connection, mint, "confirmed")).supply).to.equal(1_000_000n);

      await transfer(connection, payer, aliceAta, bobAccount, alice, 250_000n);
      await burn(connection, payer, aliceAta, mint, alice, 100_000n);

      const mintInfo = await getMint(connection, mint, "confirmed");
      expect(mintInfo.supply).to.equal(900_000n);
      expect(mintInfo.decimals).to.equal(6);
      expect(mintInfo.mintAuthority?.toBase58()).to.equal(payer.publicKey.toBase58());
      expect(mintInfo.freezeAuthority?.toBase58()).to.equal(payer.publicKey.toBase58());

      const aliceAccount = await getAccount(connection, aliceAta, "confirmed");
      expect(aliceAccount.amount).to.equal(650_000n);
      expect(aliceAccount.owner.toBase58()).to.equal(alice.publicKey.toBase58());
      expect(aliceAccount.mint.toBase58()).to.equal(mint.toBase58());
      expect((await getAccount(connection, bobAccount, "confirmed")).amount).to.equal(250_000n);
    });

    it("answers getTokenAccountBalance and getTokenSupply", async () => {
      const payer = await fundedKeypair(provider, 2);
      const mint = await createMint(connection, payer, payer.publicKey, null, 6);
      const account = await createAccount(connection, payer, mint, payer.publicKey);
      await mintTo(connection, payer, mint, account, payer, 1_234_567n);

      const balance = await connection.getTokenAccountBalance(account, "confirmed");
      expect(balance.value.amount).to.equal("1234567");
      expect(balance.value.decimals).to.equal(6);
      expect(balance.value.uiAmountString).to.equal("1.234567");
      const supply = await connection.getTokenSupply(mint, "confirmed");
      expect(supply.value.amount).to.equal("1234567");
      expect(supply.value.decimals).to.equal(6);
    });

    it("runs Token-2022: mint, associated account, transfer_checked", async () => {
      const payer = await fundedKeypair(provider, 5);
      const owner = Keypair.generate();
      const mint = await createMint(
        connection,
        payer,
        payer.publicKey,
        null,
        9,
        undefined,
        undefined,
        TOKEN_2022_PROGRAM_ID,
      );
      const from = await createAccount(
        connection,
        payer,
        mint,
        owner.publicKey,
        undefined,
        undefined,
        TOKEN_2022_PROGRAM_ID,
      );
      const to = await createAccount(
        connection,
        payer,
        mint,
        Keypair.generate().publicKey,
        undefined,
        undefined,
        TOKEN_2022_PROGRAM_ID,
      );
      await mintTo(
        connection,
        payer,
        mint,
        from,
        payer,
        10n ** 9n,
        [],
        undefined,
        TOKEN_2022_PROGRAM_ID,
      );
      await transferChecked(
        connection,
        payer,
        from,
        mint,
        to,
        owner,
        4n,
        9,
        [],
        undefined,
        TOKEN_2022_PROGRAM_ID,
      );

      expect(
        (await getAccount(connection, from, "confirmed", TOKEN_2022_PROGRAM_ID)).amount,
      ).to.equal(10n ** 9n - 4n);
      expect(
        (await getAccount(connection, to, "confirmed", TOKEN_2022_PROGRAM_ID)).amount,
      ).to.equal(4n);
      expect((await getMint(connection, mint, "confirmed", TOKEN_2022_PROGRAM_ID)).supply).to.equal(
        10n ** 9n,
      );
    });

    it("runs the Memo program", async () => {
      const payer = await fundedKeypair(provider, 1);
      const tx = new Transaction().add(
        new TransactionInstruction({
          programId: MEMO_PROGRAM_ID,
          keys: [{ pubkey: payer.publicKey, isSigner: true, isWritable: false }],
          data: Buffer.from("crucible", "utf8"),
        }),
      );
      const signature = await sendAndConfirmTransaction(connection, tx, [payer], {
        commitment: "confirmed",
      });
      const result = await connection.getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      expect(result?.meta?.logMessages).to.include('Program log: Memo (len 8): "crucible"');
    });
  });

  describe("getProgramAccounts", () => {
    it("filters token accounts by memcmp (mint at offset 0, owner at 32) and dataSize", async () => {
      const payer = await fundedKeypair(provider, 5);
      const owner = Keypair.generate().publicKey;
      const mintA = await createMint(connection, payer, payer.publicKey, null, 0);
      const mintB = await createMint(connection, payer, payer.publicKey, null, 0);
      const accountA = await createAccount(connection, payer, mintA, owner);
      const accountB = await createAccount(connection, payer, mintB, owner);
      const keys = (list: readonly { pubkey: PublicKey }[]) =>
        list.map((a) => a.pubkey.toBase58()).sort();

      const byMintA = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
        commitment: "confirmed",
        filters: [{ dataSize: ACCOUNT_SIZE }, { memcmp: { offset: 0, bytes: mintA.toBase58() } }],
      });
      expect(keys(byMintA)).to.deep.equal([accountA.toBase58()]);
      expect(byMintA[0].account.owner.toBase58()).to.equal(TOKEN_PROGRAM_ID.toBase58());
      expect(byMintA[0].account.data.length).to.equal(ACCOUNT_SIZE);
      expect(byMintA[0].account.data.subarray(0, 32).equals(mintA.toBuffer())).to.be.true;

      const byMintOnly = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
        commitment: "confirmed",
        filters: [{ memcmp: { offset: 0, bytes: mintB.toBase58() } }],
      });
      // The mint account itself starts with its (optional) authority, not its own key: only B's account.
      expect(keys(byMintOnly)).to.deep.equal([accountB.toBase58()]);

      const byOwner = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
        commitment: "confirmed",
        filters: [{ dataSize: ACCOUNT_SIZE }, { memcmp: { offset: 32, bytes: owner.toBase58() } }],
      });
      expect(keys(byOwner)).to.deep.equal([accountA.toBase58(), accountB.toBase58()].sort());

      const allAccounts = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
        commitment: "confirmed",
        filters: [{ dataSize: ACCOUNT_SIZE }],
      });
      const allKeys = keys(allAccounts);
      expect(allKeys).to.include(accountA.toBase58()).and.include(accountB.toBase58());
      expect(allKeys).to.not.include(mintA.toBase58());
      expect(allAccounts.every((a) => a.account.data.length === ACCOUNT_SIZE)).to.be.true;

      const mints = keys(
        await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
          commitment: "confirmed",
          filters: [{ dataSize: MINT_SIZE }],
        }),
      );
      expect(mints).to.include(mintA.toBase58()).and.include(mintB.toBase58());
      expect(mints).to.not.include(accountA.toBase58());
    });
  });

  describe("PubSub", () => {
    it("fires onSignature and onLogs for a transfer", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const { blockhash } = await connection.getLatestBlockhash("confirmed");
      const tx = transferTx(payer.publicKey, recipient, LAMPORTS_PER_SOL / 10);
      tx.feePayer = payer.publicKey;
      tx.recentBlockhash = blockhash;
      tx.sign(payer);
      const signature = signatureOf(tx);

      const onSignature = deferred<SignatureResult>("onSignature");
      const onLogs = deferred<Logs>("onLogs");
      const signatureId = connection.onSignature(signature, onSignature.callback, "confirmed");
      const logsId = connection.onLogs(
        payer.publicKey,
        (logs) => {
          if (logs.signature === signature) onLogs.callback(logs);
        },
        "confirmed",
      );
      try {
        await subscribed(connection, signatureId);
        await subscribed(connection, logsId);
        expect(await connection.sendRawTransaction(tx.serialize())).to.equal(signature);

        const [signatureResult, logs] = await Promise.all([onSignature.promise, onLogs.promise]);
        expect(signatureResult.err).to.equal(null);
        expect(logs.err).to.equal(null);
        expect(logs.logs).to.include(`Program ${SYSTEM_PROGRAM} invoke [1]`);
        expect(logs.logs).to.include(`Program ${SYSTEM_PROGRAM} success`);
      } finally {
        await connection.removeOnLogsListener(logsId);
      }
    });

    it("fires onAccountChange for a transfer's recipient", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const amount = LAMPORTS_PER_SOL / 10;

      const onChange = deferred<AccountInfo<Buffer>>("onAccountChange");
      const id = connection.onAccountChange(recipient, (info) => onChange.callback(info), {
        commitment: "confirmed",
      });
      try {
        await subscribed(connection, id);
        await sendAndConfirmTransaction(
          connection,
          transferTx(payer.publicKey, recipient, amount),
          [payer],
          {
            commitment: "confirmed",
          },
        );
        const info = await onChange.promise;
        expect(info.lamports).to.equal(amount);
        expect(info.owner.toBase58()).to.equal(SYSTEM_PROGRAM);
        expect(info.executable).to.be.false;
        expect(info.data.length).to.equal(0);
      } finally {
        await connection.removeAccountChangeListener(id);
      }
    });
  });

  describe("raw JSON-RPC robustness", () => {
    it("answers malformed JSON with -32700", async () => {
      const answer = (await rpcPost(url, '{"jsonrpc":"2.0","id":1,"method":')) as RpcResponse;
      expect(answer.error?.code, JSON.stringify(answer)).to.equal(-32700);
    });

    it("answers an unknown method with -32601", async () => {
      const answer = await rpcRequest(url, "getNoSuchThing", []);
      expect(answer.error?.code, JSON.stringify(answer)).to.equal(-32601);
      expect(answer.id).to.equal(1);
    });

    it("answers invalid params with -32602", async () => {
      const answer = await rpcRequest(url, "getBalance", ["not-a-key"]);
      expect(answer.error?.code, JSON.stringify(answer)).to.equal(-32602);
    });

    it("echoes string and numeric ids exactly and answers batches", async () => {
      expect((await rpcRequest(url, "getHealth", [], "a1b2-c3")).id).to.equal("a1b2-c3");
      expect((await rpcRequest(url, "getHealth", [], 4_294_967_296)).id).to.equal(4_294_967_296);
      const batch = (await rpcPost(
        url,
        JSON.stringify([
          { jsonrpc: "2.0", id: "x", method: "getHealth", params: [] },
          { jsonrpc: "2.0", id: "y", method: "getSlot", params: [] },
        ]),
      )) as RpcResponse[];
      expect(batch, JSON.stringify(batch)).to.be.an("array").with.length(2);
      const byId = new Map(batch.map((response) => [response.id, response]));
      expect(byId.get("x")?.result).to.equal("ok");
      expect(byId.get("y")?.result).to.be.a("number");
    });

    it("still answers getHealth after bad requests", async () => {
      await rpcPost(url, "not json at all");
      await rpcPost(url, "[]");
      await rpcPost(url, '{"jsonrpc":"2.0","id":1,"method":"getAccountInfo","params":[null]}');
      expect(await rpcCall(url, "getHealth")).to.equal("ok");
    });
  });
});
