// What every mocha suite needs from its environment: the provider that `scripts/mocha.sh` (or
// `anchor test`) points at, raw JSON-RPC and funded keypairs. The clock moves through the
// cheatcodes in ./cheatcodes.ts.
import { AnchorProvider, utils } from "@coral-xyz/anchor";
import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  Transaction,
  VersionedTransaction,
} from "@solana/web3.js";

/** Error code of a JSON-RPC method the endpoint does not implement. */
export const METHOD_NOT_FOUND = -32601;

/** A JSON-RPC error response, with its code, message and data. */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
    readonly data?: unknown,
  ) {
    super(`${method}: JSON-RPC error ${code}: ${rpcMessage}`);
    this.name = "RpcError";
  }
}

/** A JSON-RPC 2.0 response object, as received. */
export interface RpcResponse<T = unknown> {
  jsonrpc: string;
  id: unknown;
  result?: T;
  error?: { code: number; message: string; data?: unknown };
}

let cachedProvider: AnchorProvider | undefined;

/**
 * The provider of `ANCHOR_PROVIDER_URL` and the wallet at `ANCHOR_WALLET`, confirming at
 * "confirmed". The same instance on every call.
 */
export function getProvider(): AnchorProvider {
  if (!cachedProvider) {
    if (!process.env.ANCHOR_PROVIDER_URL || !process.env.ANCHOR_WALLET) {
      throw new Error(
        "ANCHOR_PROVIDER_URL and ANCHOR_WALLET must be set: run the suites with `npm run test:mocha` " +
          "(bash scripts/mocha.sh), which starts crucible-localnet, or under `anchor test`",
      );
    }
    cachedProvider = AnchorProvider.local(process.env.ANCHOR_PROVIDER_URL, {
      commitment: "confirmed",
      preflightCommitment: "confirmed",
    });
  }
  return cachedProvider;
}

/** POSTs a raw body to a JSON-RPC endpoint and returns the parsed JSON answer, whatever it is. */
export async function rpcPost(url: string, body: string): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (_e) {
    throw new Error(
      `${url} answered HTTP ${response.status} with a body that is not JSON: ${text}`,
    );
  }
}

/** Calls a JSON-RPC method and returns the whole response object (result or error). */
export async function rpcRequest<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
  id: string | number = 1,
): Promise<RpcResponse<T>> {
  const answer = await rpcPost(url, JSON.stringify({ jsonrpc: "2.0", id, method, params }));
  return answer as RpcResponse<T>;
}

/** Calls a JSON-RPC method and returns its result; an error response throws an {@link RpcError}. */
export async function rpcCall<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<T> {
  const response = await rpcRequest<T>(url, method, params);
  if (response.error) {
    const { code, message, data } = response.error;
    throw new RpcError(method, code, message, data);
  }
  if (!("result" in response)) {
    throw new Error(
      `${method}: response has neither result nor error: ${JSON.stringify(response)}`,
    );
  }
  return response.result as T;
}

/** Confirms a signature at "confirmed" with the blockhash strategy; throws if it failed. */
export async function confirm(connection: Connection, signature: string): Promise<void> {
  const blockhash = await connection.getLatestBlockhash("confirmed");
  const { value } = await connection.confirmTransaction({ signature, ...blockhash }, "confirmed");
  if (value.err) {
    throw new Error(`transaction ${signature} failed: ${JSON.stringify(value.err)}`);
  }
}

/** Airdrops `sol` SOL to `pubkey` and waits for confirmation. */
export async function airdrop(
  provider: AnchorProvider,
  pubkey: PublicKey,
  sol: number,
): Promise<void> {
  const lamports = Math.round(sol * LAMPORTS_PER_SOL);
  const signature = await provider.connection.requestAirdrop(pubkey, lamports);
  await confirm(provider.connection, signature);
}

/** A new keypair holding `sol` SOL (airdropped and confirmed). */
export async function fundedKeypair(provider: AnchorProvider, sol = 10): Promise<Keypair> {
  const keypair = Keypair.generate();
  await airdrop(provider, keypair.publicKey, sol);
  return keypair;
}

/** The signature (base58) of a signed transaction, known before it is sent. */
export function signatureOf(tx: Transaction | VersionedTransaction): string {
  const signature = tx instanceof Transaction ? tx.signature : tx.signatures[0];
  if (!signature) throw new Error("the transaction is not signed");
  return utils.bytes.bs58.encode(signature);
}

/** Internal state of web3.js 1.x's subscription manager that {@link subscribed} reads. */
interface SubscriptionInternals {
  _subscriptionHashByClientSubscriptionId: Record<number, string | undefined>;
  _subscriptionsByHash: Record<string, { state: string } | undefined>;
}

/**
 * Resolves once the server has acknowledged the subscription `clientSubscriptionId` of
 * `connection` (`onLogs`, `onAccountChange`, `onSignature` ...). A notification only arrives for
 * changes after the acknowledgement, so tests wait for it before they send the transaction.
 * web3.js 1.x has no public API for this; it reads the subscription manager's state.
 */
export async function subscribed(
  connection: Connection,
  clientSubscriptionId: number,
  timeoutMs = 10_000,
): Promise<void> {
  const internals = connection as unknown as SubscriptionInternals;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hash = internals._subscriptionHashByClientSubscriptionId?.[clientSubscriptionId];
    const state = hash !== undefined ? internals._subscriptionsByHash?.[hash]?.state : undefined;
    if (state === "subscribed") return;
    if (Date.now() > deadline) {
      throw new Error(
        `subscription ${clientSubscriptionId} not acknowledged within ${timeoutMs} ms (state: ${state})`,
      );
    }
    await sleep(20);
  }
}

/** Resolves with the first value passed to the returned callback, or rejects after `timeoutMs`. */
export function deferred<T>(
  what: string,
  timeoutMs = 10_000,
): { callback: (value: T) => void; promise: Promise<T> } {
  let callback: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
    callback = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
  });
  return { callback, promise };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once the chain is past `slot` (its block is complete), from slot notifications. */
export function pastSlot(connection: Connection, slot: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void connection.removeSlotChangeListener(id);
      reject(new Error(`no slot after ${slot} within 30 s`));
    }, 30_000);
    const id = connection.onSlotChange((info) => {
      if (info.slot > slot) {
        clearTimeout(timer);
        void connection.removeSlotChangeListener(id);
        resolve();
      }
    });
  });
}
