// A local keypair wallet that implements the Wallet Standard (connect, events, sign
// transaction) and registers itself like any browser wallet, so the app treats Phantom,
// Solflare, Backpack and this one the same way. For tests and `npm start` (a demo key): the
// secret key comes from `?key=` or the settings box and lives only in this page.
import { utils } from "@coral-xyz/anchor";
import { Keypair, VersionedTransaction } from "@solana/web3.js";
import {
  SolanaSignTransaction,
  type SolanaSignTransactionFeature,
  type SolanaSignTransactionInput,
} from "@solana/wallet-standard-features";
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import {
  StandardConnect,
  type StandardConnectFeature,
  StandardDisconnect,
  type StandardDisconnectFeature,
  StandardEvents,
  type StandardEventsFeature,
  type StandardEventsListeners,
} from "@wallet-standard/features";
import { registerWallet } from "@wallet-standard/wallet";

export const KEY_WALLET_NAME = "Local key";
export const CHAINS = ["solana:localnet", "solana:devnet", "solana:testnet"] as const;

const ICON =
  "data:image/svg+xml;base64," +
  btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#333"/><circle cx="12" cy="16" r="5" fill="none" stroke="#fc6" stroke-width="3"/><path d="M17 16h10v4M23 16v3" stroke="#fc6" stroke-width="3" fill="none"/></svg>',
  );

/** A secret key as base58 or a JSON byte array (a Solana CLI keypair file's content). */
export function keypairFrom(text: string): Keypair {
  const s = text.trim();
  const bytes = s.startsWith("[")
    ? Uint8Array.from(JSON.parse(s) as number[])
    : utils.bytes.bs58.decode(s);
  if (bytes.length !== 64) throw new Error(`a secret key has 64 bytes, got ${bytes.length}`);
  return Keypair.fromSecretKey(bytes);
}

class KeyAccount implements WalletAccount {
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly chains = CHAINS;
  readonly features = [SolanaSignTransaction] as const;
  readonly label = KEY_WALLET_NAME;
  constructor(key: Keypair) {
    this.address = key.publicKey.toBase58();
    this.publicKey = key.publicKey.toBytes();
  }
}

class KeyWallet implements Wallet {
  readonly version = "1.0.0" as const;
  readonly name = KEY_WALLET_NAME;
  readonly icon = ICON as Wallet["icon"];
  readonly chains = CHAINS;
  private connected = false;
  private readonly account: KeyAccount;
  private readonly listeners: Array<StandardEventsListeners["change"]> = [];

  constructor(private readonly key: Keypair) {
    this.account = new KeyAccount(key);
  }

  get accounts(): readonly WalletAccount[] {
    return this.connected ? [this.account] : [];
  }

  get features(): StandardConnectFeature &
    StandardDisconnectFeature &
    StandardEventsFeature &
    SolanaSignTransactionFeature {
    return {
      [StandardConnect]: {
        version: "1.0.0",
        connect: async () => {
          this.connected = true;
          this.emit();
          return { accounts: this.accounts };
        },
      },
      [StandardDisconnect]: {
        version: "1.0.0",
        disconnect: async () => {
          this.connected = false;
          this.emit();
        },
      },
      [StandardEvents]: {
        version: "1.0.0",
        on: (_event, listener) => {
          this.listeners.push(listener);
          return () => {
            const i = this.listeners.indexOf(listener);
            if (i >= 0) this.listeners.splice(i, 1);
          };
        },
      },
      [SolanaSignTransaction]: {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: async (...inputs: readonly SolanaSignTransactionInput[]) =>
          inputs.map((input) => {
            if (input.account.address !== this.account.address) throw new Error("unknown account");
            const tx = VersionedTransaction.deserialize(input.transaction);
            tx.sign([this.key]);
            return { signedTransaction: tx.serialize() };
          }),
      },
    };
  }

  private emit(): void {
    for (const l of this.listeners) l({ accounts: this.accounts });
  }
}

/** Registers a local-key wallet for `key` (one per page: a second key replaces nothing, the
 * app picks by address). */
export function registerKeyWallet(key: Keypair): void {
  registerWallet(new KeyWallet(key));
}
