// PubSub through unmodified @solana/web3.js 1.98 and @solana/kit: root and slot updates, block
// notifications, and account, program, logs and signature notifications at each commitment, in
// the order agave 2.3 sends them as a block closes (rpc/src/rpc_subscriptions.rs).
import {
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  SOLANA_ERROR__JSON_RPC__METHOD_NOT_FOUND,
  address,
  createSolanaRpcSubscriptions_UNSTABLE,
  isSolanaError,
} from "@solana/kit";
import {
  AccountInfo,
  Connection,
  KeyedAccountInfo,
  Keypair,
  LAMPORTS_PER_SOL,
  Logs,
  PublicKey,
  SignatureResult,
  SlotUpdate,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";

import { deferred, fundedKeypair, getProvider, signatureOf, sleep } from "./harness/env";

const SYSTEM_PROGRAM = SystemProgram.programId.toBase58();
const COMMITMENTS = ["processed", "confirmed", "finalized"] as const;

/** The PubSub endpoint web3.js derives from an HTTP one: the next port. */
function wsEndpoint(http: string): string {
  const url = new URL(http);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.port = String(Number(url.port) + 1);
  return url.toString();
}

function transferTx(from: PublicKey, to: PublicKey, lamports: number): Transaction {
  return new Transaction().add(
    SystemProgram.transfer({ fromPubkey: from, toPubkey: to, lamports }),
  );
}

/** Waits (bounded) until `done()` holds, for notifications the server pushes. */
async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

/**
 * The first value of a kit notification stream. The iteration starts at once: kit keeps only the
 * notifications that arrive once a stream is being iterated.
 */
async function first<T>(stream: AsyncIterable<T>): Promise<T> {
  for await (const value of stream) return value;
  throw new Error("the stream ended");
}

/** The server's message of a -32602 kit error. */
function invalidParams(e: unknown): string {
  if (isSolanaError(e, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS)) return e.context.__serverMessage;
  throw e;
}

describe("localnet / pubsub", () => {
  const provider = getProvider();
  const connection = provider.connection;
  const ws = wsEndpoint(connection.rpcEndpoint);

  describe("web3.js", () => {
    it("fires onAccountChange at processed, confirmed and finalized, in that order, for a transaction sent at once", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const amount = LAMPORTS_PER_SOL / 10;
      // A new client: its socket opens with its first subscription.
      const app = new Connection(connection.rpcEndpoint, "confirmed");
      const order: string[] = [];
      const changes = COMMITMENTS.map((c) => deferred<AccountInfo<Buffer>>(`onAccountChange ${c}`));
      const ids = COMMITMENTS.map((commitment, i) =>
        app.onAccountChange(
          recipient,
          (info) => {
            order.push(commitment);
            changes[i].callback(info);
          },
          { commitment },
        ),
      );
      try {
        // The ordinary flow: no waiting for the subscriptions' acknowledgement. web3.js sends
        // them once its socket is open, after the transfer has executed; the block that holds
        // it is still open, so they hear of it (as on a validator, where they are checked
        // against each bank as it is frozen, confirmed and rooted).
        await sendAndConfirmTransaction(
          app,
          transferTx(payer.publicKey, recipient, amount),
          [payer],
          { commitment: "confirmed" },
        );
        const infos = await Promise.all(changes.map((c) => c.promise));
        for (const info of infos) {
          expect(info.lamports).to.equal(amount);
          expect(info.owner.toBase58()).to.equal(SYSTEM_PROGRAM);
          expect(info.data.length).to.equal(0);
        }
        expect(order).to.deep.equal(COMMITMENTS);
      } finally {
        await Promise.all(ids.map((id) => app.removeAccountChangeListener(id)));
      }
    });

    it("fires onProgramAccountChange, onLogs and onSignature at finalized", async () => {
      const payer = await fundedKeypair(provider, 1);
      const recipient = Keypair.generate().publicKey;
      const amount = LAMPORTS_PER_SOL / 20;
      const { blockhash } = await connection.getLatestBlockhash("confirmed");
      const tx = transferTx(payer.publicKey, recipient, amount);
      tx.feePayer = payer.publicKey;
      tx.recentBlockhash = blockhash;
      tx.sign(payer);
      const signature = signatureOf(tx);

      const program = deferred<KeyedAccountInfo>("onProgramAccountChange");
      const logs = deferred<Logs>("onLogs");
      const processed = deferred<SignatureResult>("onSignature processed");
      const finalized = deferred<SignatureResult>("onSignature finalized");
      const programId = connection.onProgramAccountChange(
        SystemProgram.programId,
        (keyed) => {
          if (keyed.accountId.equals(recipient)) program.callback(keyed);
        },
        { commitment: "finalized", filters: [{ dataSize: 0 }] },
      );
      const logsId = connection.onLogs(recipient, logs.callback, "finalized");
      connection.onSignature(signature, processed.callback, "processed");
      connection.onSignature(signature, finalized.callback, "finalized");
      try {
        expect(await connection.sendRawTransaction(tx.serialize())).to.equal(signature);
        const keyed = await program.promise;
        expect(keyed.accountInfo.lamports).to.equal(amount);
        const logged = await logs.promise;
        expect(logged.signature).to.equal(signature);
        expect(logged.err).to.equal(null);
        expect(logged.logs).to.include(`Program ${SYSTEM_PROGRAM} success`);
        expect((await processed.promise).err).to.equal(null);
        expect((await finalized.promise).err).to.equal(null);
      } finally {
        await connection.removeProgramAccountChangeListener(programId);
        await connection.removeOnLogsListener(logsId);
      }
    });

    it("closes a block with onSlotUpdate's completed, frozen, optimisticConfirmation and root, onRootChange, then the next bank", async () => {
      const updates: SlotUpdate[] = [];
      const roots: number[] = [];
      const updatesId = connection.onSlotUpdate((u) => updates.push(u));
      const rootId = connection.onRootChange((r) => roots.push(r));
      try {
        // The first block closed entirely after both subscriptions were made.
        let slot = -1;
        await until("a whole block's slot updates", () => {
          const completed = updates.find(
            (u) => u.type === "completed" && roots.some((r) => r < u.slot),
          );
          if (!completed) return false;
          slot = completed.slot;
          return updates.some((u) => u.type === "createdBank" && u.parent === slot);
        });
        const ofSlot = updates.filter(
          (u) => (u.type === "createdBank" ? u.parent : u.slot) === slot,
        );
        expect(ofSlot.map((u) => u.type)).to.deep.equal([
          "completed",
          "frozen",
          "optimisticConfirmation",
          "root",
          "createdBank",
        ]);
        const frozen = ofSlot[1];
        if (frozen.type !== "frozen") throw new Error("not frozen");
        expect(frozen.stats.numFailedTransactions).to.be.a("number");
        expect(frozen.stats.numSuccessfulTransactions).to.be.a("number");
        const created = ofSlot[4];
        expect(created.slot).to.equal(slot + 1);
        expect(created.timestamp).to.be.greaterThan(1_600_000_000_000);
        expect(roots).to.include(slot);
      } finally {
        await connection.removeSlotUpdateListener(updatesId);
        await connection.removeRootChangeListener(rootId);
      }
    });
  });

  describe("kit", () => {
    const subscriptions = createSolanaRpcSubscriptions_UNSTABLE(ws);

    it("streams rootNotifications, slotsUpdatesNotifications and accountNotifications at each commitment", async () => {
      const abort = new AbortController();
      try {
        const payer = await fundedKeypair(provider, 1);
        const recipient = Keypair.generate().publicKey;
        const amount = LAMPORTS_PER_SOL / 10;
        const roots = first(
          await subscriptions.rootNotifications().subscribe({ abortSignal: abort.signal }),
        );
        const updates = first(
          await subscriptions.slotsUpdatesNotifications().subscribe({ abortSignal: abort.signal }),
        );
        const streams = await Promise.all(
          COMMITMENTS.map((commitment) =>
            subscriptions
              .accountNotifications(address(recipient.toBase58()), {
                commitment,
                encoding: "base64",
              })
              .subscribe({ abortSignal: abort.signal }),
          ),
        );
        const accounts = streams.map((stream) => first(stream));
        await sendAndConfirmTransaction(
          connection,
          transferTx(payer.publicKey, recipient, amount),
          [payer],
          { commitment: "confirmed" },
        );
        for (const notification of await Promise.all(accounts)) {
          expect(notification.value.lamports).to.equal(BigInt(amount));
          expect(notification.value.owner).to.equal(SYSTEM_PROGRAM);
          expect(notification.context.slot).to.be.a("bigint");
        }
        expect(await roots).to.be.a("bigint");
        const update = await updates;
        expect(update.slot).to.be.a("bigint");
        expect(update.timestamp).to.be.a("bigint");
      } finally {
        abort.abort();
      }
    });

    it("streams blockNotifications of the blocks that mention an account", async function () {
      const abort = new AbortController();
      try {
        const payer = await fundedKeypair(provider, 1);
        const recipient = Keypair.generate().publicKey;
        let blocks;
        try {
          blocks = await subscriptions
            .blockNotifications(
              { mentionsAccountOrProgram: address(recipient.toBase58()) },
              { commitment: "confirmed", transactionDetails: "signatures", showRewards: false },
            )
            .subscribe({ abortSignal: abort.signal });
        } catch (e) {
          if (isSolanaError(e, SOLANA_ERROR__JSON_RPC__METHOD_NOT_FOUND)) {
            console.log(
              "      skipped: blockSubscribe needs --rpc-pubsub-enable-block-subscription",
            );
            this.skip();
          }
          throw e;
        }
        const blockNotification = first(blocks);
        const signature = await sendAndConfirmTransaction(
          connection,
          transferTx(payer.publicKey, recipient, LAMPORTS_PER_SOL / 10),
          [payer],
          { commitment: "confirmed" },
        );
        const status = await connection.getSignatureStatus(signature);
        const notification = await blockNotification;
        expect(notification.value.err).to.equal(null);
        expect(notification.value.slot).to.equal(BigInt(status.value?.slot ?? -1));
        const block = notification.value.block;
        if (!block) throw new Error("no block");
        expect(block.signatures).to.deep.equal([signature]);
        expect(block.parentSlot < notification.value.slot).to.equal(true);
        expect(block.blockhash).to.not.equal(block.previousBlockhash);
      } finally {
        abort.abort();
      }
    });

    it("rejects an unknown commitment, and blockSubscribe below confirmed", async () => {
      const abort = new AbortController();
      try {
        const unknown = await rejection(
          subscriptions
            .accountNotifications(address(Keypair.generate().publicKey.toBase58()), {
              commitment: "recent" as unknown as "confirmed",
            })
            .subscribe({ abortSignal: abort.signal }),
        );
        expect(invalidParams(unknown)).to.include("unknown variant `recent`");
        const processed = await rejection(
          subscriptions
            .blockNotifications("all", {
              commitment: "processed",
              transactionDetails: "none",
              showRewards: false,
            })
            .subscribe({ abortSignal: abort.signal }),
        );
        const methodNotFound = isSolanaError(processed, SOLANA_ERROR__JSON_RPC__METHOD_NOT_FOUND);
        if (!methodNotFound) {
          expect(invalidParams(processed)).to.equal(
            "Method does not support commitment below `confirmed`",
          );
        }
      } finally {
        abort.abort();
      }
    });
  });
});
