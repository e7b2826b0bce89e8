// Wallets through the Wallet Standard: every registered wallet that can sign Solana
// transactions (Phantom, Solflare, Backpack, the local key wallet), connected with
// `standard:connect`; the app signs with `solana:signTransaction` and sends itself.
import { AnchorProvider, utils } from "@coral-xyz/anchor";
import {
  Connection,
  PublicKey,
  Signer,
  Transaction,
  TransactionSignature,
  VersionedTransaction,
} from "@solana/web3.js";
import {
  SolanaSignTransaction,
  type SolanaSignTransactionFeature,
} from "@solana/wallet-standard-features";
import { getWallets } from "@wallet-standard/app";
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import {
  StandardConnect,
  type StandardConnectFeature,
  StandardEvents,
  type StandardEventsFeature,
} from "@wallet-standard/features";

export type SigningWallet = Wallet & {
  features: StandardConnectFeature & SolanaSignTransactionFeature;
};

function canSign(w: Wallet): w is SigningWallet {
  return StandardConnect in w.features && SolanaSignTransaction in w.features;
}

/** The registered wallets that can connect and sign Solana transactions. */
export function signingWallets(): SigningWallet[] {
  return getWallets().get().filter(canSign);
}

/** Calls `cb` whenever a wallet registers or unregisters; returns the unsubscribe. */
export function onWalletsChanged(cb: () => void): () => void {
  const w = getWallets();
  const a = w.on("register", cb);
  const b = w.on("unregister", cb);
  return () => {
    a();
    b();
  };
}

/** The connected wallet and account. */
export interface Connected {
  wallet: SigningWallet;
  account: WalletAccount;
  publicKey: PublicKey;
}

let current: Connected | null = null;
const listeners = new Set<() => void>();

export function connected(): Connected | null {
  return current;
}

export function onConnectionChanged(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

function changed(): void {
  for (const cb of listeners) cb();
}

/** Connects `wallet` (its first account, or the one at `address`). */
export async function connect(wallet: SigningWallet, address?: string): Promise<Connected> {
  const { accounts } = await wallet.features[StandardConnect].connect();
  const list = accounts.length ? accounts : wallet.accounts;
  const account = list.find((a) => !address || a.address === address) ?? list[0];
  if (!account) throw new Error(`${wallet.name} gave no account`);
  current = { wallet, account, publicKey: new PublicKey(account.address) };
  if (StandardEvents in wallet.features) {
    (wallet.features as unknown as StandardEventsFeature)[StandardEvents].on(
      "change",
      ({ accounts }) => {
        if (!accounts || current?.wallet !== wallet) return;
        const next = accounts[0];
        current = next ? { wallet, account: next, publicKey: new PublicKey(next.address) } : null;
        changed();
      },
    );
  }
  changed();
  return current;
}

export function disconnect(): void {
  current = null;
  changed();
}

/** The chain id a wallet expects for an RPC URL. */
export function chainOf(rpc: string): `solana:${string}` {
  if (/devnet/.test(rpc)) return "solana:devnet";
  if (/testnet/.test(rpc)) return "solana:testnet";
  if (/mainnet/.test(rpc)) return "solana:mainnet";
  return "solana:localnet";
}

/** Signs a legacy transaction with the connected wallet. */
async function signWith(c: Connected, tx: Transaction, chain: string): Promise<Transaction> {
  const bytes = tx.serialize({ requireAllSignatures: false, verifySignatures: false });
  const [out] = await c.wallet.features[SolanaSignTransaction].signTransaction({
    account: c.account,
    transaction: bytes,
    chain: chain as `${string}:${string}`,
  });
  return Transaction.from(out.signedTransaction);
}

/** The failure of a transaction that landed: its logs, for the SDK's `translateError`. */
class LandedError extends Error {
  constructor(
    message: string,
    readonly logs: string[],
  ) {
    super(message);
  }
}

/**
 * An Anchor provider whose wallet is the connected Wallet Standard account: the SDK's clients
 * build their instructions (and name failures after the programs' errors), this signs with
 * `solana:signTransaction`, sends with `sendRawTransaction` (preflight on, so a failing
 * transaction is refused with its logs) and confirms. `onSignature` hears each signature as
 * soon as the wallet has signed.
 */
export class WalletProvider extends AnchorProvider {
  constructor(
    connection: Connection,
    private readonly c: Connected,
    private readonly chain: string,
    private readonly onSignature: (sig: TransactionSignature) => void,
  ) {
    super(
      connection,
      {
        publicKey: c.publicKey,
        signTransaction: async <T extends Transaction | VersionedTransaction>(tx: T) => {
          if (tx instanceof VersionedTransaction) throw new Error("legacy transactions only");
          return (await signWith(c, tx, chain)) as T;
        },
        signAllTransactions: async <T extends Transaction | VersionedTransaction>(txs: T[]) => {
          const out: T[] = [];
          for (const tx of txs) {
            if (tx instanceof VersionedTransaction) throw new Error("legacy transactions only");
            out.push((await signWith(c, tx, chain)) as T);
          }
          return out;
        },
      },
      { commitment: "confirmed", preflightCommitment: "confirmed" },
    );
  }

  override async sendAndConfirm(
    tx: Transaction | VersionedTransaction,
    signers: Signer[] = [],
  ): Promise<TransactionSignature> {
    if (tx instanceof VersionedTransaction) throw new Error("legacy transactions only");
    const conn = this.connection;
    const { blockhash, lastValidBlockHeight } = await conn.getLatestBlockhash("confirmed");
    tx.feePayer = this.c.publicKey;
    tx.recentBlockhash = blockhash;
    if (signers.length) tx.partialSign(...signers);
    const signed = await signWith(this.c, tx, this.chain);
    const sig = signed.signature ? utils.bytes.bs58.encode(signed.signature) : "";
    if (sig) this.onSignature(sig);
    await conn.sendRawTransaction(signed.serialize(), { preflightCommitment: "confirmed" });
    const res = await conn.confirmTransaction(
      { signature: sig, blockhash, lastValidBlockHeight },
      "confirmed",
    );
    if (res.value.err) {
      const landed = await conn.getTransaction(sig, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
      });
      throw new LandedError(JSON.stringify(res.value.err), landed?.meta?.logMessages ?? []);
    }
    return sig;
  }
}
