// The environment of a command: which cluster (--url), which key (--keypair), the network read
// from the chain (the market config names the one mint; the staking pool is the mint's), and
// sending with every Crucible program's errors named.
import { existsSync, readFileSync } from "fs";
import { homedir } from "os";
import { join } from "path";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
  unpackAccount,
  unpackMint,
} from "@solana/spl-token";
import {
  Connection,
  Keypair,
  PublicKey,
  Signer,
  SYSVAR_CLOCK_PUBKEY,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";

import {
  CRUCIBLE_ERRORS,
  emissions as emissionsSdk,
  market as marketSdk,
  PriorityFee,
  staking as stakingSdk,
  translateError,
  withComputeBudget,
} from "../../sdk/src";
import { CliError, UsageError } from "./errors";
import { formatAmount, parseMarketRef, parsePubkey, readKeypairBytes } from "./parse";

const DEFAULT_URL = "http://127.0.0.1:8899";
const MONIKERS: Record<string, string> = {
  localhost: DEFAULT_URL,
  l: DEFAULT_URL,
  devnet: "https://api.devnet.solana.com",
  d: "https://api.devnet.solana.com",
  testnet: "https://api.testnet.solana.com",
  t: "https://api.testnet.solana.com",
  "mainnet-beta": "https://api.mainnet-beta.solana.com",
  m: "https://api.mainnet-beta.solana.com",
};

/** The Solana CLI's config file (`~/.config/solana/cli/config.yml`), the two keys we read. */
export function solanaCliConfig(): { jsonRpcUrl?: string; keypairPath?: string; file: string } {
  const file = join(homedir(), ".config", "solana", "cli", "config.yml");
  if (!existsSync(file)) return { file };
  const text = readFileSync(file, "utf8");
  const value = (key: string) => {
    const m = new RegExp(`^${key}:\\s*(.*)$`, "m").exec(text);
    if (!m) return undefined;
    const v = m[1].trim().replace(/^(["'])(.*)\1$/, "$2");
    return v === "" ? undefined : v;
  };
  return { jsonRpcUrl: value("json_rpc_url"), keypairPath: value("keypair_path"), file };
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/** --url: a URL or a moniker (localhost, devnet, testnet, mainnet-beta); else the Solana CLI
 * config's json_rpc_url; else http://127.0.0.1:8899. */
export function resolveUrl(flag: string | undefined): string {
  const url = flag ?? solanaCliConfig().jsonRpcUrl ?? DEFAULT_URL;
  const resolved = MONIKERS[url] ?? url;
  if (!/^https?:\/\/[^\s]+$/.test(resolved))
    throw new UsageError(
      `--url: "${url}" is not an http(s) URL or a cluster moniker`,
      "InvalidUrl",
    );
  return resolved;
}

/** --keypair: the flag; else the Solana CLI config's keypair_path; else ~/.config/solana/id.json. */
export function resolveKeypairPath(flag: string | undefined): string {
  return expandHome(
    flag ?? solanaCliConfig().keypairPath ?? join(homedir(), ".config", "solana", "id.json"),
  );
}

/** The cluster's `Clock::unix_timestamp`: "now" as the programs see it. */
export async function clusterNow(connection: Connection): Promise<bigint> {
  const info = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, "confirmed");
  if (!info) throw new CliError("the cluster has no Clock sysvar", "AccountNotFound");
  return info.data.readBigInt64LE(32);
}

/** The network token and the accounts every command needs, read from the chain. */
export interface Network {
  /** The market config PDA and its contents. */
  configAddress: PublicKey;
  config: marketSdk.MarketConfig;
  mint: PublicKey;
  decimals: number;
  tokenProgram: PublicKey;
  /** The mint's staking pool `["pool", mint]`. */
  pool: PublicKey;
}

export interface MarketInfo {
  address: PublicKey;
  account: marketSdk.Market;
  ctx: marketSdk.MarketContext;
}

/** A parsed event of a confirmed transaction (market, staking or emissions). */
export interface TxEvent {
  name: string;
  data: Record<string, unknown>;
}

export class Env {
  private conn?: Connection;
  private keypair?: Keypair;
  private net?: Promise<Network>;

  constructor(
    readonly url: string,
    readonly keypairPath: string,
    readonly json: boolean,
    /** --with-compute-unit-price (and the SDK's default cap): every transaction's priority fee. */
    readonly priorityFee: PriorityFee = {},
  ) {}

  get connection(): Connection {
    this.conn ??= new Connection(this.url, { commitment: "confirmed" });
    return this.conn;
  }

  /** The signing key (--keypair). */
  signer(): Keypair {
    if (!this.keypair) {
      if (!existsSync(this.keypairPath))
        throw new UsageError(
          `no keypair at ${this.keypairPath}: pass --keypair <file> (or create one with \`crucible keygen --outfile <file>\`)`,
          "NoKeypair",
        );
      this.keypair = Keypair.fromSecretKey(readKeypairBytes(this.keypairPath, "--keypair"));
    }
    return this.keypair;
  }

  /** The signer's public key. */
  get me(): PublicKey {
    return this.signer().publicKey;
  }

  /** An Anchor provider whose wallet is the signer. */
  provider(): AnchorProvider {
    return new AnchorProvider(this.connection, new Wallet(this.signer()), {
      commitment: "confirmed",
      preflightCommitment: "confirmed",
    });
  }

  /** The network: the market config (global), its mint and the mint's staking pool. */
  network(): Promise<Network> {
    this.net ??= (async () => {
      const configAddress = marketSdk.configPda();
      const config = await marketSdk.fetchMarketConfig(this.connection, configAddress);
      if (!config)
        throw new CliError(
          `the network is not initialized on ${this.url}: no market config at ${configAddress.toBase58()} (run \`crucible init --config <file>\`)`,
          "NotInitialized",
        );
      const mint = await this.mintInfo(config.mint);
      return {
        configAddress,
        config,
        mint: config.mint,
        decimals: mint.decimals,
        tokenProgram: mint.tokenProgram,
        pool: stakingSdk.poolPda(config.mint),
      };
    })();
    return this.net;
  }

  /** A mint's decimals, supply, authority and token program (the account's owner). */
  async mintInfo(address: PublicKey): Promise<{
    decimals: number;
    supply: bigint;
    mintAuthority: PublicKey | null;
    tokenProgram: PublicKey;
  }> {
    const info = await this.connection.getAccountInfo(address, "confirmed");
    if (!info) throw new CliError(`no mint at ${address.toBase58()}`, "AccountNotFound");
    const mint = unpackMint(address, info, info.owner);
    return {
      decimals: mint.decimals,
      supply: mint.supply,
      mintAuthority: mint.mintAuthority,
      tokenProgram: info.owner,
    };
  }

  /** The associated token account of `owner` for the network's mint. */
  ata(owner: PublicKey, net: Network): PublicKey {
    return getAssociatedTokenAddressSync(net.mint, owner, true, net.tokenProgram);
  }

  /** A token account's balance and owner, or null when it does not exist. */
  async tokenAccount(
    address: PublicKey,
  ): Promise<{ amount: bigint; owner: PublicKey; mint: PublicKey } | null> {
    const info = await this.connection.getAccountInfo(address, "confirmed");
    if (!info) return null;
    try {
      const a = unpackAccount(address, info, info.owner);
      return { amount: a.amount, owner: a.owner, mint: a.mint };
    } catch (_e) {
      throw new CliError(`${address.toBase58()} is not a token account`, "InvalidAccountData");
    }
  }

  /**
   * The account tokens are taken from: --token-account, else the owner's associated token
   * account. It must exist, hold the network's mint and, if `need` is given, that much.
   */
  async sourceAccount(
    owner: PublicKey,
    flag: string | undefined,
    need?: bigint,
  ): Promise<PublicKey> {
    const net = await this.network();
    const address = flag ? parsePubkey(flag, "--token-account") : this.ata(owner, net);
    const account = await this.tokenAccount(address);
    if (!account)
      throw new CliError(
        flag
          ? `no token account at ${address.toBase58()}`
          : `${owner.toBase58()} has no token account for the mint ${net.mint.toBase58()} (its associated token account ${address.toBase58()} does not exist): receive tokens first, or pass --token-account`,
        "TokenAccountNotFound",
      );
    if (!account.mint.equals(net.mint))
      throw new CliError(
        `${address.toBase58()} holds the mint ${account.mint.toBase58()}, not the network's ${net.mint.toBase58()}`,
        "WrongMint",
      );
    if (need !== undefined && account.amount < need)
      throw new CliError(
        `${address.toBase58()} holds ${formatAmount(account.amount, net.decimals)} tokens, less than the ${formatAmount(need, net.decimals)} needed`,
        "InsufficientFunds",
      );
    return address;
  }

  /**
   * The account tokens are paid to: --token-account, else `owner`'s associated token account,
   * with an instruction that creates it if missing (idempotent, paid by the signer).
   */
  async receivingAccount(
    owner: PublicKey,
    flag?: string,
  ): Promise<{ address: PublicKey; create: TransactionInstruction[] }> {
    const net = await this.network();
    if (flag) return { address: parsePubkey(flag, "--token-account"), create: [] };
    const address = this.ata(owner, net);
    const exists = await this.connection.getAccountInfo(address, "confirmed");
    return {
      address,
      create: exists
        ? []
        : [
            createAssociatedTokenAccountIdempotentInstruction(
              this.me,
              address,
              owner,
              net.mint,
              net.tokenProgram,
            ),
          ],
    };
  }

  /**
   * A token account `owner` owns, for payouts a program sends only to the owner's accounts: its
   * associated token account if it exists, else any account of the mint it owns, else the
   * associated token account created by the signer (idempotent).
   */
  async payoutAccount(
    owner: PublicKey,
  ): Promise<{ address: PublicKey; create: TransactionInstruction[] }> {
    const net = await this.network();
    const ata = this.ata(owner, net);
    if (await this.connection.getAccountInfo(ata, "confirmed")) return { address: ata, create: [] };
    const owned = await this.connection.getTokenAccountsByOwner(
      owner,
      { mint: net.mint },
      "confirmed",
    );
    if (owned.value.length > 0) {
      const sorted = owned.value
        .map((a) => a.pubkey)
        .sort((a, b) => a.toBase58().localeCompare(b.toBase58()));
      return { address: sorted[0], create: [] };
    }
    return this.receivingAccount(owner);
  }

  /** A market by `--market` (id or address); without it, the only market if there is one. */
  async market(ref: string | undefined): Promise<MarketInfo> {
    const net = await this.network();
    let address: PublicKey;
    if (ref === undefined) {
      const all = await marketSdk.listMarkets(this.connection);
      if (all.length !== 1)
        throw new UsageError(
          `--market is required (${all.length} markets: ids ${all
            .slice(0, 10)
            .map((m) => m.account.marketId.toString())
            .join(", ")}${all.length > 10 ? ", ..." : ""}; see \`crucible market list\`)`,
          "MissingValue",
        );
      address = all[0].address;
    } else {
      const r = parseMarketRef(ref);
      address = "id" in r ? marketSdk.marketPda(r.id) : r.address;
    }
    const account = await marketSdk.fetchMarket(this.connection, address).catch(() => null);
    if (!account)
      throw new CliError(
        `no market${ref === undefined ? "" : ` ${ref}`} at ${address.toBase58()}`,
        "MarketNotFound",
      );
    return {
      address,
      account,
      ctx: {
        market: address,
        mint: account.mint,
        tokenProgram: account.tokenProgram,
        stakingPool: account.stakingPool,
        feeVault: net.config.feeVault,
        ...(account.workPool ? { workPool: account.workPool } : {}),
      },
    };
  }

  /** A job by address; closed (settled, cancelled) jobs no longer exist. */
  async job(text: string | undefined): Promise<{ address: PublicKey; job: marketSdk.Job }> {
    const address = parsePubkey(text, "<job>");
    const job = await marketSdk.fetchJob(this.connection, address).catch(() => {
      throw new CliError(
        `${address.toBase58()} is not a job (not an account of the market program)`,
        "NotAJob",
      );
    });
    if (!job)
      throw new CliError(
        `no job at ${address.toBase58()} (settled and cancelled jobs are closed)`,
        "JobNotFound",
      );
    return { address, job };
  }

  /** The market context of a job's market. */
  async jobContext(job: marketSdk.Job): Promise<marketSdk.MarketContext> {
    return (await this.market(job.market.toBase58())).ctx;
  }

  /**
   * A settlement's work-pool accounts on a market that records work (`{ work }`, the records'
   * rent paid by `payer`, the settlement's signer), or nothing on one that does not.
   */
  async settlementWork(
    ctx: marketSdk.MarketContext,
    provider: PublicKey,
    payer: PublicKey,
  ): Promise<{ work?: emissionsSdk.WorkAccounts }> {
    if (!ctx.workPool) return {};
    const work = await emissionsSdk.fetchWorkAccounts(this.connection, {
      pool: ctx.workPool,
      provider,
      payer,
      recorder: marketSdk.workRecorderPda(),
    });
    return { work };
  }

  /** The cluster's `Clock::unix_timestamp`: "now" as the programs see it. */
  now(): Promise<bigint> {
    return clusterNow(this.connection);
  }

  /**
   * Sends `instructions` as one transaction signed by the signer (fee payer) and `signers`,
   * after the RPC node's preflight, and waits for confirmation. The transaction starts with its
   * compute-unit limit and, with --with-compute-unit-price, its price (the SDK's
   * `withComputeBudget`: a fee above the cap is refused before sending). Failures are
   * `CrucibleError`s named after the program, Anchor or runtime error.
   */
  async send(instructions: TransactionInstruction[], signers: Signer[] = []): Promise<string> {
    const tx = new Transaction().add(...this.budgeted(instructions));
    try {
      return await this.provider().sendAndConfirm(tx, signers, { commitment: "confirmed" });
    } catch (err) {
      throw translateError(err, CRUCIBLE_ERRORS);
    }
  }

  /** `instructions` after their compute-budget instructions; a priority fee above the cap is a
   * usage error (exit 2, nothing sent). */
  private budgeted(instructions: TransactionInstruction[]): TransactionInstruction[] {
    try {
      return withComputeBudget(instructions, this.priorityFee);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name !== "PriorityFeeTooHigh") throw err;
      throw new UsageError(
        `--with-compute-unit-price: ${e.message?.replace(/ \(maxPriorityFeeLamports\)$/, "")}: lower the price`,
        "PriorityFeeTooHigh",
      );
    }
  }

  /** The Crucible events of a confirmed transaction, in order. */
  async events(signature: string): Promise<TxEvent[]> {
    const tx = await this.connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const logs = tx?.meta?.logMessages ?? [];
    return [
      ...marketSdk.parseEvents(logs),
      ...stakingSdk.parseEvents(logs),
      ...emissionsSdk.parseEvents(logs),
    ];
  }

  /** The data of the first event `name` of a transaction, or undefined. */
  async event(signature: string, name: string): Promise<Record<string, unknown> | undefined> {
    return (await this.events(signature)).find((e) => e.name === name)?.data;
  }
}
