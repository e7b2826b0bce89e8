// Idempotent bootstrap of a Crucible network from a JSON config: the mint, its staking pool,
// the treasury, the market config, markets and emission vaults. Shared by `crucible init` and
// `migrations/deploy.ts`.
//
// 1. The whole config is validated first; a bad one is rejected with the field's path named
//    (`markets[0].params.burnBps: must be 0..10000`).
// 2. The chain is read and a plan made: each item is "create", "nothing to do", "update" or
//    "differs". Nothing is sent while anything differs without --update, or differs in what
//    cannot change (the mint, a vault's schedule, a market's name).
// 3. The plan is applied, one transaction per item, in order. A second run finds everything
//    and sends nothing.
import { readFileSync } from "fs";
import { AnchorProvider } from "@coral-xyz/anchor";
import {
  ACCOUNT_SIZE,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAccountLenForMint,
  getAssociatedTokenAddressSync,
  getMintCloseAuthority,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  unpackAccount,
  unpackMint,
} from "@solana/spl-token";
import {
  Connection,
  Keypair,
  PublicKey,
  Signer,
  SystemProgram,
  SYSVAR_CLOCK_PUBKEY,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";

import {
  CRUCIBLE_ERRORS,
  EMISSIONS_PROGRAM_ID,
  emissions as emissionsSdk,
  market as marketSdk,
  MARKET_PROGRAM_ID,
  staking as stakingSdk,
  STAKING_PROGRAM_ID,
  translateError,
} from "../../sdk/src";
import { CliError, UsageError } from "./errors";
import {
  formatAmount,
  formatDuration,
  MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS,
  parseAmount,
  parseDuration,
  recipientsDelayProblem,
  U64_MAX,
} from "./parse";

// ---------------------------------------------------------------------------------------------
// The config

/** Where a vault's recipient share goes. */
export type RecipientTarget = "stakingRewardVault" | "treasury" | PublicKey;

export interface MarketConfigEntry {
  id: bigint;
  name: string;
  /** Default: the admin (the wallet). */
  arbiter?: PublicKey;
  params: marketSdk.MarketParams;
}

export interface VaultConfigEntry {
  id: bigint;
  /** Unix time of hour 0; default: the cluster's clock when the vault is created. */
  startTs?: bigint;
  initialPerHour: bigint;
  decayBps: number;
  periodHours: number;
  cap: bigint;
  revocable: boolean;
  /** Seconds a recipients proposal waits before it can be executed (default 48 h; at least
   * 48 h for a non-revocable vault, at most 30 days). */
  recipientsDelaySecs: number;
  /** Where the cap comes from: the wallet's token account as it is ("wallet"), or topped up
   * by minting the shortfall first ("mint": the wallet must be the mint authority). */
  fundFrom: "wallet" | "mint";
  recipients: Array<{ to: RecipientTarget; shareBps: number }>;
}

/** A validated config; amounts in base units. */
export interface BootstrapConfig {
  mint: { decimals: number; address?: PublicKey; keypair?: Keypair };
  /** A token account, or an owner whose associated token account is the treasury. */
  treasury?: { account: PublicKey } | { owner: PublicKey };
  staking: { minStake: bigint; unbondingSecs: bigint };
  markets: MarketConfigEntry[];
  vaults: VaultConfigEntry[];
}

/** A config that does not validate: the message starts with the field's path. */
export class ConfigError extends UsageError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`, "InvalidConfig");
  }
}

const DAY = 86_400n;

/** The seed of the default treasury: a token account of the admin at
 * `createWithSeed(admin, TREASURY_SEED, tokenProgram)`. */
export const TREASURY_SEED = "crucible-treasury";

/** DESIGN.md's default market economics, in base units for `decimals`. */
export function defaultMarketParams(decimals: number): marketSdk.MarketParams {
  const unit = 10n ** BigInt(decimals);
  return {
    minProviderStake: 100n * unit,
    collateralBps: 5_000,
    minCollateral: unit,
    burnBps: 2_000,
    feeBps: 500,
    maxDurationSecs: 7n * DAY,
    disputeWindowSecs: 3n * DAY,
    arbitrationWindowSecs: 7n * DAY,
    defaultDisputeSplitBps: 5_000,
    expirySlashBps: 1_000,
    jobLifetimeSecs: 14n * DAY,
    quitGraceSecs: 15n * 60n,
  };
}

/** The market program's bounds (programs/market/README.md), checked before sending. */
export function checkMarketParams(
  p: marketSdk.MarketParams,
  at: string,
  field = (k: string) => `${at}.${k}`,
): void {
  for (const k of [
    "collateralBps",
    "burnBps",
    "feeBps",
    "defaultDisputeSplitBps",
    "expirySlashBps",
  ] as const) {
    if (p[k] < 0 || p[k] > 10_000) throw new ConfigError(field(k), `must be 0..10000, got ${p[k]}`);
  }
  if (p.burnBps + p.feeBps > 10_000)
    throw new ConfigError(
      field("feeBps"),
      `burnBps + feeBps must be at most 10000, got ${p.burnBps + p.feeBps}`,
    );
  if (p.minProviderStake <= 0n)
    throw new ConfigError(field("minProviderStake"), "must be greater than zero");
  for (const [k, max] of [
    ["maxDurationSecs", 30n * DAY],
    ["disputeWindowSecs", 30n * DAY],
    ["arbitrationWindowSecs", 90n * DAY],
  ] as const) {
    if (p[k] < 60n || p[k] > max)
      throw new ConfigError(field(k), `must be between 60 s and ${max / DAY} days, got ${p[k]} s`);
  }
  if (p.jobLifetimeSecs < p.maxDurationSecs || p.jobLifetimeSecs > 120n * DAY)
    throw new ConfigError(
      field("jobLifetimeSecs"),
      `must be between maxDurationSecs (${p.maxDurationSecs} s) and 120 days, got ${p.jobLifetimeSecs} s`,
    );
  if (p.quitGraceSecs > DAY || p.quitGraceSecs > p.maxDurationSecs)
    throw new ConfigError(
      field("quitGraceSecs"),
      `must be at most 1 day and at most maxDurationSecs (${p.maxDurationSecs} s), got ${p.quitGraceSecs} s`,
    );
}

type Json = unknown;

class Reader {
  constructor(
    readonly value: Json,
    readonly path: string,
  ) {}

  fail(problem: string): never {
    throw new ConfigError(this.path, problem);
  }

  object(keys: string[]): Record<string, Json> {
    const v = this.value;
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail("must be an object");
    for (const k of Object.keys(v as object))
      if (!keys.includes(k))
        throw new ConfigError(
          this.at(k).path,
          `unknown field (expected one of: ${keys.join(", ")})`,
        );
    return v as Record<string, Json>;
  }

  at(key: string | number): Reader {
    const path =
      typeof key === "number" ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    const v = this.value as Record<string | number, Json>;
    return new Reader(v?.[key], path);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  array(): Reader[] {
    if (!Array.isArray(this.value)) this.fail("must be an array");
    return (this.value as Json[]).map((_v, i) => this.at(i));
  }

  string(): string {
    if (typeof this.value !== "string") this.fail("must be a string");
    return this.value as string;
  }

  bool(): boolean {
    if (typeof this.value !== "boolean") this.fail("must be true or false");
    return this.value as boolean;
  }

  /** An integer given as a JSON number or a string of digits. */
  uint(max: bigint = U64_MAX, min = 0n): bigint {
    const v = this.value;
    let n: bigint;
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) this.fail(`must be a whole number, got ${v}`);
      n = BigInt(v);
    } else if (typeof v === "string" && /^-?\d+$/.test(v)) {
      n = BigInt(v);
    } else this.fail("must be a whole number");
    if (n < min || n > max) this.fail(`must be ${min}..${max}, got ${n}`);
    return n;
  }

  bps(): number {
    return Number(this.uint(10_000n));
  }

  pubkey(): PublicKey {
    const s = this.string();
    try {
      if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(s)) throw new Error();
      return new PublicKey(s);
    } catch (_e) {
      this.fail(`"${s}" is not a base58 public key`);
    }
  }

  /** A token amount as a decimal string (or a whole JSON number), in base units. */
  amount(decimals: number, allowZero = false): bigint {
    const v = this.value;
    if (typeof v === "number" && !Number.isSafeInteger(v))
      this.fail(`write fractional amounts as strings ("12.5"), got ${v}`);
    if (typeof v !== "string" && typeof v !== "number")
      this.fail('must be a decimal string, e.g. "12.5"');
    try {
      return parseAmount(String(v), decimals, this.path, { allowZero });
    } catch (e) {
      this.fail((e as Error).message.replace(`${this.path}: `, ""));
    }
  }

  /** Seconds: a whole number, or a duration string (`72h`, `7d`). */
  /** A duration: seconds as a number or a string like "15m", "7d"; `zero` allows 0. */
  seconds(zero = false): bigint {
    if (zero && (this.value === 0 || this.value === "0")) return 0n;
    if (
      typeof this.value === "number" ||
      (typeof this.value === "string" && /^\d+$/.test(this.value))
    )
      return this.uint();
    try {
      return parseDuration(this.string(), this.path);
    } catch (e) {
      this.fail((e as Error).message.replace(`${this.path}: `, ""));
    }
  }
}

function readKeypairFile(r: Reader): Keypair {
  const path = r.string();
  let bytes: unknown;
  try {
    bytes = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    r.fail(`cannot read a keypair from ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(bytes) || bytes.length !== 64)
    r.fail(`${path} is not a keypair file (64 bytes)`);
  return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
}

/** Validates a parsed config; throws a `ConfigError` naming the first bad field. */
export function validateConfig(raw: Json): BootstrapConfig {
  const root = new Reader(raw, "");
  root.object(["$schema", "description", "mint", "treasury", "staking", "markets", "vaults"]);

  const m = root.at("mint");
  if (!m.present) m.fail("is required");
  m.object(["decimals", "address", "keypair"]);
  const decimals = Number(m.at("decimals").uint(255n));
  const mint: BootstrapConfig["mint"] = { decimals };
  if (m.at("address").present) mint.address = m.at("address").pubkey();
  if (m.at("keypair").present) {
    mint.keypair = readKeypairFile(m.at("keypair"));
    if (mint.address && !mint.address.equals(mint.keypair.publicKey))
      m.at("keypair").fail(
        `is the key of ${mint.keypair.publicKey.toBase58()}, not of mint.address`,
      );
  }

  let treasury: BootstrapConfig["treasury"];
  const t = root.at("treasury");
  if (t.present) {
    if (typeof t.value === "string") treasury = { account: t.pubkey() };
    else {
      t.object(["owner"]);
      treasury = { owner: t.at("owner").pubkey() };
    }
  }

  const s = root.at("staking");
  if (!s.present) s.fail("is required");
  s.object(["minStake", "unbondingSecs"]);
  const minStake = s.at("minStake").amount(decimals);
  const unbondingSecs = s.at("unbondingSecs").present ? s.at("unbondingSecs").seconds() : 14n * DAY;
  if (unbondingSecs > 365n * DAY) s.at("unbondingSecs").fail("must be at most 365 days");
  // One emission hour at least: stake must not enter and leave inside the hour it is paid for.
  if (unbondingSecs < 3_600n) s.at("unbondingSecs").fail("must be at least 3600 seconds (1 hour)");

  const markets: MarketConfigEntry[] = [];
  const mk = root.at("markets");
  for (const r of mk.present ? mk.array() : []) {
    r.object(["id", "name", "arbiter", "params"]);
    const id = r.at("id").uint();
    if (markets.some((x) => x.id === id)) r.at("id").fail(`market ${id} appears twice`);
    const name = r.at("name").string();
    const bytes = Buffer.byteLength(name, "utf8");
    if (bytes < 1 || bytes > 32) r.at("name").fail(`must be 1 to 32 bytes, got ${bytes}`);
    const params = defaultMarketParams(decimals);
    const p = r.at("params");
    if (p.present) {
      const keys = Object.keys(params) as Array<keyof marketSdk.MarketParams>;
      p.object(keys);
      for (const k of keys) {
        const f = p.at(k);
        if (!f.present) continue;
        if (k === "minProviderStake") params[k] = f.amount(decimals);
        else if (k === "minCollateral") params[k] = f.amount(decimals, true);
        else if (
          k === "maxDurationSecs" ||
          k === "disputeWindowSecs" ||
          k === "arbitrationWindowSecs" ||
          k === "jobLifetimeSecs"
        )
          params[k] = f.seconds();
        else if (k === "quitGraceSecs") params[k] = f.seconds(true);
        else params[k] = f.bps();
      }
    }
    checkMarketParams(params, p.path);
    markets.push({
      id,
      name,
      arbiter: r.at("arbiter").present ? r.at("arbiter").pubkey() : undefined,
      params,
    });
  }

  const vaults: VaultConfigEntry[] = [];
  const vk = root.at("vaults");
  for (const r of vk.present ? vk.array() : []) {
    r.object([
      "id",
      "startTs",
      "initialPerHour",
      "decayBps",
      "periodHours",
      "cap",
      "revocable",
      "recipientsDelaySecs",
      "fundFrom",
      "recipients",
    ]);
    const id = r.at("id").uint();
    if (vaults.some((x) => x.id === id)) r.at("id").fail(`vault ${id} appears twice`);
    let startTs: bigint | undefined;
    const st = r.at("startTs");
    if (st.present) {
      if (typeof st.value === "string" && !/^\d+$/.test(st.value)) {
        const ms = Date.parse(st.value);
        if (Number.isNaN(ms)) st.fail(`"${st.value}" is neither a unix time nor an ISO-8601 date`);
        startTs = BigInt(Math.floor(ms / 1000));
      } else startTs = st.uint((1n << 63n) - 1n);
    }
    const initialPerHour = r.at("initialPerHour").amount(decimals);
    const decayBps = r.at("decayBps").present ? r.at("decayBps").bps() : 102;
    const periodHours = r.at("periodHours").present
      ? Number(r.at("periodHours").uint(0xffff_ffffn, 1n))
      : 730;
    const cap = r.at("cap").amount(decimals);
    const revocable = r.at("revocable").present ? r.at("revocable").bool() : false;
    const rd = r.at("recipientsDelaySecs");
    const delay = rd.present ? rd.seconds() : MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS;
    const delayProblem = recipientsDelayProblem(delay, revocable);
    if (delayProblem) rd.fail(delayProblem);
    let fundFrom: VaultConfigEntry["fundFrom"] = "wallet";
    if (r.at("fundFrom").present) {
      const f = r.at("fundFrom").string();
      if (f !== "wallet" && f !== "mint")
        r.at("fundFrom").fail(`must be "wallet" or "mint", got "${f}"`);
      fundFrom = f as VaultConfigEntry["fundFrom"];
    }
    const rr = r.at("recipients");
    if (!rr.present) rr.fail("is required");
    const list = rr.array();
    if (list.length < 1 || list.length > 8)
      rr.fail(`must have 1 to 8 recipients, got ${list.length}`);
    const recipients: VaultConfigEntry["recipients"] = [];
    for (const x of list) {
      x.object(["to", "shareBps"]);
      const toText = x.at("to").string();
      const to: RecipientTarget =
        toText === "stakingRewardVault" || toText === "treasury" ? toText : x.at("to").pubkey();
      const shareBps = x.at("shareBps").bps();
      if (shareBps === 0) x.at("shareBps").fail("must be greater than zero");
      const key = typeof to === "string" ? to : to.toBase58();
      if (recipients.some((y) => (typeof y.to === "string" ? y.to : y.to.toBase58()) === key))
        x.at("to").fail(`${key} appears twice`);
      recipients.push({ to, shareBps });
    }
    const sum = recipients.reduce((a, x) => a + x.shareBps, 0);
    if (sum !== 10_000) rr.fail(`shares sum to ${sum}, must be 10000`);
    vaults.push({
      id,
      startTs,
      initialPerHour,
      decayBps,
      periodHours,
      cap,
      revocable,
      recipientsDelaySecs: Number(delay),
      fundFrom,
      recipients,
    });
  }

  return { mint, treasury, staking: { minStake, unbondingSecs }, markets, vaults };
}

/** Reads and validates a config file. */
export function loadConfig(path: string): BootstrapConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--config: cannot read ${path}: ${(e as Error).message}`, "InvalidConfig");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config: ${path} is not JSON: ${(e as Error).message}`, "InvalidConfig");
  }
  return validateConfig(raw);
}

// ---------------------------------------------------------------------------------------------
// The plan

export type ItemStatus = "create" | "update" | "nothing to do" | "differs";

export interface Change {
  field: string;
  chain: string;
  config: string;
  /** Whether an instruction can bring the chain to the config (with --update). */
  updatable: boolean;
}

export interface PlanItem {
  item: string;
  address: PublicKey;
  status: ItemStatus;
  changes: Change[];
  /** Why, when there is something to say. */
  note?: string;
  /** The transaction that creates or updates the item; built when applied. */
  build?: () => Promise<{ instructions: TransactionInstruction[]; signers: Signer[] }>;
}

export interface Plan {
  admin: PublicKey;
  mint: PublicKey;
  items: PlanItem[];
  /** Problems that stop the plan whatever the flags (not the admin, immutable differences). */
  refusals: string[];
}

export interface BootstrapOptions {
  /** Apply updates to items that exist with other parameters. */
  update?: boolean;
  /** Plan only. */
  dryRun?: boolean;
  /** Progress lines (e.g. console.error). */
  log?: (line: string) => void;
}

export interface ReportItem {
  item: string;
  address: PublicKey;
  status: "created" | "updated" | "nothing to do" | "differs" | "would create" | "would update";
  changes: Change[];
  signature?: string;
  note?: string;
}

export interface Report {
  admin: PublicKey;
  mint: PublicKey;
  items: ReportItem[];
  /** Every transaction sent, in order (none on a second run). */
  signatures: string[];
  nothingToDo: boolean;
  dryRun: boolean;
}

const str = (v: unknown) =>
  v instanceof PublicKey ? v.toBase58() : typeof v === "bigint" ? v.toString() : String(v);

function diff(
  field: string,
  chain: unknown,
  config: unknown,
  updatable: boolean,
  out: Change[],
): void {
  if (str(chain) !== str(config))
    out.push({ field, chain: str(chain), config: str(config), updatable });
}

async function clock(connection: Connection): Promise<bigint> {
  const info = await connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY, "confirmed");
  if (!info) throw new CliError("the cluster has no Clock sysvar", "AccountNotFound");
  return info.data.readBigInt64LE(32);
}

function statusOf(changes: Change[], update: boolean): ItemStatus {
  if (changes.length === 0) return "nothing to do";
  if (update && changes.every((c) => c.updatable)) return "update";
  return "differs";
}

/** Reads the chain and decides, item by item, what the config needs. Sends nothing. */
export async function plan(
  provider: AnchorProvider,
  cfg: BootstrapConfig,
  o: BootstrapOptions = {},
): Promise<Plan> {
  const { connection } = provider;
  const admin = provider.wallet.publicKey;
  const update = o.update === true;
  const refusals: string[] = [];
  const items: PlanItem[] = [];

  for (const [name, id] of [
    ["crucible_staking", STAKING_PROGRAM_ID],
    ["crucible_market", MARKET_PROGRAM_ID],
    ["crucible_emissions", EMISSIONS_PROGRAM_ID],
  ] as const) {
    if (name === "crucible_emissions" && cfg.vaults.length === 0) continue;
    const info = await connection.getAccountInfo(id);
    if (!info?.executable)
      throw new CliError(
        `${name} is not deployed at ${id.toBase58()} on ${connection.rpcEndpoint}`,
        "ProgramNotDeployed",
      );
  }

  // --- the market config (read first: it names the network's mint) ---
  const configAddress = marketSdk.configPda();
  const existingConfig = await marketSdk.fetchMarketConfig(connection, configAddress);

  // --- mint ---
  let mintKey: PublicKey;
  let mintSigner: Keypair | undefined;
  if (cfg.mint.address) mintKey = cfg.mint.address;
  else if (cfg.mint.keypair) mintKey = cfg.mint.keypair.publicKey;
  else if (existingConfig) mintKey = existingConfig.mint;
  else {
    mintSigner = Keypair.generate();
    mintKey = mintSigner.publicKey;
  }
  if (existingConfig && !existingConfig.mint.equals(mintKey))
    refusals.push(
      `mint.${cfg.mint.address ? "address" : "keypair"}: the network's market config (${configAddress.toBase58()}) uses the mint ${existingConfig.mint.toBase58()}, not ${mintKey.toBase58()}; there is one network token per cluster`,
    );
  const mintInfo = await connection.getAccountInfo(mintKey, "confirmed");
  let tokenProgram = TOKEN_PROGRAM_ID;
  let mintAuthority: PublicKey | null = admin;
  let tokenAccountSize = ACCOUNT_SIZE;
  if (mintInfo) {
    tokenProgram = mintInfo.owner;
    let decoded;
    try {
      decoded = unpackMint(mintKey, mintInfo, mintInfo.owner);
    } catch (_e) {
      throw new ConfigError("mint.address", `${mintKey.toBase58()} is not a mint`);
    }
    mintAuthority = decoded.mintAuthority;
    tokenAccountSize = getAccountLenForMint(decoded);
    // init_config refuses both (MintHasFreezeAuthority, MintHasCloseAuthority): whoever holds
    // either could stop every exit.
    if (!existingConfig && decoded.freezeAuthority)
      refusals.push(
        `mint.address: the mint ${mintKey.toBase58()} has a freeze authority (${decoded.freezeAuthority.toBase58()}); the market config refuses it`,
      );
    const closeAuthority = getMintCloseAuthority(decoded)?.closeAuthority;
    if (!existingConfig && closeAuthority && !closeAuthority.equals(PublicKey.default))
      refusals.push(
        `mint.address: the mint ${mintKey.toBase58()} has a close authority (${closeAuthority.toBase58()}); the market config refuses it`,
      );
    const changes: Change[] = [];
    diff("mint.decimals", decoded.decimals, cfg.mint.decimals, false, changes);
    items.push({ item: "mint", address: mintKey, status: statusOf(changes, false), changes });
    if (changes.length)
      refusals.push(
        `mint.decimals: the mint ${mintKey.toBase58()} has ${decoded.decimals} decimals, not ${cfg.mint.decimals}`,
      );
  } else {
    if (cfg.mint.address)
      throw new ConfigError(
        "mint.address",
        `no mint at ${mintKey.toBase58()} (give mint.keypair to create it, or neither for a new one)`,
      );
    mintSigner ??= cfg.mint.keypair;
    const signer = mintSigner!;
    items.push({
      item: "mint",
      address: mintKey,
      status: "create",
      changes: [],
      note: `${cfg.mint.decimals} decimals, mint authority ${admin.toBase58()}`,
      build: async () => ({
        instructions: [
          SystemProgram.createAccount({
            fromPubkey: admin,
            newAccountPubkey: mintKey,
            space: MINT_SIZE,
            lamports: await connection.getMinimumBalanceForRentExemption(MINT_SIZE),
            programId: TOKEN_PROGRAM_ID,
          }),
          createInitializeMint2Instruction(
            mintKey,
            cfg.mint.decimals,
            admin,
            null,
            TOKEN_PROGRAM_ID,
          ),
        ],
        signers: [signer],
      }),
    });
  }
  const isMintAuthority = mintAuthority !== null && mintAuthority.equals(admin);
  const ata = (owner: PublicKey) =>
    getAssociatedTokenAddressSync(mintKey, owner, true, tokenProgram);

  // --- staking pool ---
  const poolKey = stakingSdk.poolPda(mintKey);
  const pool = mintInfo ? await stakingSdk.fetchStakePool(connection, poolKey) : null;
  const collateral = marketSdk.collateralPda();
  if (pool) {
    const changes: Change[] = [];
    diff("staking.minStake", pool.minStake, cfg.staking.minStake, true, changes);
    diff("staking.unbondingSecs", pool.unbondingSecs, cfg.staking.unbondingSecs, true, changes);
    diff("staking pool locker", pool.locker, collateral, false, changes);
    const status = statusOf(changes, update);
    if (status === "update" && !pool.admin.equals(admin))
      refusals.push(
        `staking: the pool's admin is ${pool.admin.toBase58()}, not the wallet ${admin.toBase58()}`,
      );
    items.push({
      item: "staking pool",
      address: poolKey,
      status,
      changes,
      build: async () => ({
        instructions: [
          stakingSdk.stakingInstructions.updatePool({
            admin,
            mint: mintKey,
            minStake: pool.minStake !== cfg.staking.minStake ? cfg.staking.minStake : undefined,
            unbondingSecs:
              pool.unbondingSecs !== cfg.staking.unbondingSecs
                ? cfg.staking.unbondingSecs
                : undefined,
          }),
        ],
        signers: [],
      }),
    });
  } else {
    if (!isMintAuthority)
      refusals.push(
        `mint: the wallet ${admin.toBase58()} is not the mint authority of ${mintKey.toBase58()} (init_pool needs it)`,
      );
    items.push({
      item: "staking pool",
      address: poolKey,
      status: "create",
      changes: [],
      note: `min stake ${formatAmount(cfg.staking.minStake, cfg.mint.decimals)}, unbonding ${cfg.staking.unbondingSecs} s`,
      build: async () => ({
        instructions: [
          stakingSdk.stakingInstructions.initPool({
            admin,
            mint: mintKey,
            minStake: cfg.staking.minStake,
            unbondingSecs: cfg.staking.unbondingSecs,
            locker: collateral,
            tokenProgram,
          }),
        ],
        signers: [],
      }),
    });
  }

  // --- treasury ---
  let treasury: PublicKey;
  const wanted = cfg.treasury;
  if (wanted && "account" in wanted) treasury = wanted.account;
  else if (wanted) treasury = ata(wanted.owner);
  else if (existingConfig) treasury = existingConfig.treasury;
  else treasury = await PublicKey.createWithSeed(admin, TREASURY_SEED, tokenProgram);
  const treasuryInfo = await connection.getAccountInfo(treasury, "confirmed");
  if (treasuryInfo) {
    try {
      const a = unpackAccount(treasury, treasuryInfo, treasuryInfo.owner);
      if (!a.mint.equals(mintKey))
        refusals.push(
          `treasury: ${treasury.toBase58()} holds the mint ${a.mint.toBase58()}, not ${mintKey.toBase58()}`,
        );
    } catch (_e) {
      refusals.push(`treasury: ${treasury.toBase58()} is not a token account`);
    }
    items.push({ item: "treasury", address: treasury, status: "nothing to do", changes: [] });
  } else if (wanted && "account" in wanted) {
    refusals.push(`treasury: no token account at ${treasury.toBase58()}`);
  } else if (wanted && "owner" in wanted) {
    const owner = wanted.owner;
    items.push({
      item: "treasury",
      address: treasury,
      status: "create",
      changes: [],
      note: `associated token account of ${owner.toBase58()}`,
      build: async () => ({
        instructions: [
          createAssociatedTokenAccountIdempotentInstruction(
            admin,
            treasury,
            owner,
            mintKey,
            tokenProgram,
          ),
        ],
        signers: [],
      }),
    });
  } else {
    // The default: a token account of the admin at an address derived from the admin and a
    // fixed seed, apart from the admin's own associated token account (so fees show apart).
    items.push({
      item: "treasury",
      address: treasury,
      status: "create",
      changes: [],
      note: `token account of ${admin.toBase58()} (seed "${TREASURY_SEED}")`,
      build: async () => ({
        instructions: [
          SystemProgram.createAccountWithSeed({
            fromPubkey: admin,
            newAccountPubkey: treasury,
            basePubkey: admin,
            seed: TREASURY_SEED,
            lamports: await connection.getMinimumBalanceForRentExemption(tokenAccountSize),
            space: tokenAccountSize,
            programId: tokenProgram,
          }),
          createInitializeAccount3Instruction(treasury, mintKey, admin, tokenProgram),
        ],
        signers: [],
      }),
    });
  }

  // --- market config ---
  const configAdmin = existingConfig?.admin ?? admin;
  if (existingConfig) {
    const changes: Change[] = [];
    diff("treasury", existingConfig.treasury, treasury, true, changes);
    const status = statusOf(changes, update);
    if (status === "update" && !existingConfig.admin.equals(admin))
      refusals.push(
        `treasury: the market admin is ${existingConfig.admin.toBase58()}, not the wallet ${admin.toBase58()}`,
      );
    items.push({
      item: "market config",
      address: configAddress,
      status,
      changes,
      build: async () => ({
        instructions: [marketSdk.marketInstructions.setTreasury({ admin, newTreasury: treasury })],
        signers: [],
      }),
    });
  } else {
    if (!isMintAuthority && !refusals.some((r) => r.startsWith("mint: the wallet")))
      refusals.push(
        `mint: the wallet ${admin.toBase58()} is not the mint authority of ${mintKey.toBase58()} (init_config needs it)`,
      );
    items.push({
      item: "market config",
      address: configAddress,
      status: "create",
      changes: [],
      note: `admin ${admin.toBase58()}, fee vault ${marketSdk.feeVaultPda().toBase58()}`,
      build: async () => ({
        instructions: [
          marketSdk.marketInstructions.initConfig({ admin, mint: mintKey, treasury, tokenProgram }),
        ],
        signers: [],
      }),
    });
  }

  // --- markets ---
  const marketItems: PlanItem[] = [];
  for (const [i, entry] of cfg.markets.entries()) {
    const address = marketSdk.marketPda(entry.id);
    const arbiter = entry.arbiter ?? admin;
    const existing = await marketSdk.fetchMarket(connection, address);
    const label = `market ${entry.id} (${entry.name})`;
    if (existing) {
      const changes: Change[] = [];
      diff(`markets[${i}].name`, existing.name, entry.name, false, changes);
      diff(`markets[${i}] staking pool`, existing.stakingPool, poolKey, false, changes);
      diff(`markets[${i}].arbiter`, existing.arbiter, arbiter, true, changes);
      for (const k of Object.keys(entry.params) as Array<keyof marketSdk.MarketParams>)
        diff(`markets[${i}].params.${k}`, existing.params[k], entry.params[k], true, changes);
      marketItems.push({
        item: label,
        address,
        status: statusOf(changes, update),
        changes,
        build: async () => ({
          instructions: [
            marketSdk.marketInstructions.updateMarket({
              admin,
              market: address,
              params: entry.params,
              arbiter,
            }),
          ],
          signers: [],
        }),
      });
    } else {
      marketItems.push({
        item: label,
        address,
        status: "create",
        changes: [],
        note: `burn ${entry.params.burnBps} bps, fee ${entry.params.feeBps} bps, arbiter ${arbiter.toBase58()}`,
        build: async () => ({
          instructions: [
            marketSdk.marketInstructions.createMarket({
              admin,
              marketId: entry.id,
              name: entry.name,
              arbiter,
              stakingPool: poolKey,
              params: entry.params,
            }),
          ],
          signers: [],
        }),
      });
    }
  }
  if (
    marketItems.some((x) => x.status === "create" || x.status === "update") &&
    !configAdmin.equals(admin)
  )
    refusals.push(
      `markets: the market admin is ${configAdmin.toBase58()}, not the wallet ${admin.toBase58()}`,
    );
  items.push(...marketItems);

  // --- emission vaults ---
  const rewardVault = stakingSdk.rewardVaultPda(poolKey);
  const recipientAccount = (to: RecipientTarget) =>
    to === "stakingRewardVault" ? rewardVault : to === "treasury" ? treasury : to;
  const source = ata(admin);
  const vaultItems: PlanItem[] = [];
  for (const [i, v] of cfg.vaults.entries()) {
    const address = emissionsSdk.vaultPda(mintKey, v.id);
    const existing = mintInfo ? await emissionsSdk.fetchEmissionVault(connection, address) : null;
    const recipients = v.recipients.map((r) => ({
      tokenAccount: recipientAccount(r.to),
      shareBps: r.shareBps,
    }));
    const label = `vault ${v.id}`;
    if (existing) {
      const changes: Change[] = [];
      if (v.startTs !== undefined)
        diff(`vaults[${i}].startTs`, existing.startTs, v.startTs, false, changes);
      diff(
        `vaults[${i}].initialPerHour`,
        existing.initialPerHour,
        v.initialPerHour,
        false,
        changes,
      );
      diff(`vaults[${i}].decayBps`, existing.decayBps, v.decayBps, false, changes);
      diff(`vaults[${i}].periodHours`, existing.periodHours, v.periodHours, false, changes);
      diff(`vaults[${i}].cap`, existing.cap, v.cap, false, changes);
      diff(`vaults[${i}].revocable`, existing.revocable, v.revocable, false, changes);
      diff(
        `vaults[${i}].recipientsDelaySecs`,
        existing.recipientsDelaySecs,
        v.recipientsDelaySecs,
        false,
        changes,
      );
      const fmt = (rs: Array<{ tokenAccount: PublicKey; shareBps: number }>) =>
        rs.map((r) => `${r.tokenAccount.toBase58()}=${r.shareBps}`).join(",");
      diff(`vaults[${i}].recipients`, fmt(existing.recipients), fmt(recipients), true, changes);
      let status = statusOf(changes, update);
      // A non-revocable vault's recipients change only through a proposal and its delay: the
      // first run proposes, a run after the delay executes it.
      const ref = { mint: mintKey, vaultId: v.id, tokenProgram };
      let note: string | undefined;
      let change: TransactionInstruction = emissionsSdk.emissionsInstructions.updateRecipients({
        ...ref,
        authority: admin,
        currentRecipients: existing.recipients.map((r) => r.tokenAccount),
        recipients,
      });
      if (!existing.revocable && changes.some((c) => c.field === `vaults[${i}].recipients`)) {
        const proposed = fmt(existing.proposedRecipients) === fmt(recipients);
        const now = await clock(connection);
        if (proposed && now >= existing.proposalExecutableAt) {
          note = "executes the pending recipients proposal (its delay has passed)";
          change = emissionsSdk.emissionsInstructions.executeRecipientsProposal({
            ...ref,
            executor: admin,
            currentRecipients: existing.recipients.map((r) => r.tokenAccount),
            proposedRecipients: existing.proposedRecipients.map((r) => r.tokenAccount),
          });
        } else if (proposed) {
          note = `the recipients proposal is pending: run again from unix time ${existing.proposalExecutableAt} to install it`;
          if (status === "update") status = "nothing to do";
        } else {
          note = `proposes the recipients; a run from ${formatDuration(BigInt(existing.recipientsDelaySecs))} later installs them`;
          change = emissionsSdk.emissionsInstructions.proposeRecipients({
            mint: mintKey,
            vaultId: v.id,
            authority: admin,
            recipients,
          });
        }
      }
      if (status === "update" && !existing.authority.equals(admin))
        refusals.push(
          `vaults[${i}]: the vault's authority is ${existing.authority.toBase58()}, not the wallet ${admin.toBase58()}`,
        );
      for (const c of changes.filter((c) => !c.updatable))
        refusals.push(
          `${c.field}: the vault has ${c.chain}, the config ${c.config}; a vault's schedule cannot change`,
        );
      vaultItems.push({
        item: label,
        address,
        status,
        changes,
        note,
        build: async () => ({ instructions: [change], signers: [] }),
      });
    } else {
      if (v.fundFrom === "mint" && !isMintAuthority)
        refusals.push(
          `vaults[${i}].fundFrom: the wallet is not the mint authority, so it cannot mint the cap`,
        );
      vaultItems.push({
        item: label,
        address,
        status: "create",
        changes: [],
        note: `cap ${formatAmount(v.cap, cfg.mint.decimals)}, ${formatAmount(v.initialPerHour, cfg.mint.decimals)}/h, -${v.decayBps} bps every ${v.periodHours} h`,
        build: async () => {
          const instructions: TransactionInstruction[] = [];
          const have = await connection.getAccountInfo(source, "confirmed");
          const balance = have ? unpackAccount(source, have, have.owner).amount : 0n;
          if (!have)
            instructions.push(
              createAssociatedTokenAccountIdempotentInstruction(
                admin,
                source,
                admin,
                mintKey,
                tokenProgram,
              ),
            );
          if (balance < v.cap) {
            if (v.fundFrom !== "mint")
              throw new CliError(
                `vaults[${i}].cap: the wallet's token account ${source.toBase58()} holds ${formatAmount(balance, cfg.mint.decimals)}, less than the cap ${formatAmount(v.cap, cfg.mint.decimals)} (fund it, or set "fundFrom": "mint")`,
                "InsufficientFunds",
              );
            instructions.push(
              createMintToInstruction(mintKey, source, admin, v.cap - balance, [], tokenProgram),
            );
          }
          const startTs = v.startTs ?? (await clock(connection));
          instructions.push(
            emissionsSdk.emissionsInstructions.createVault({
              mint: mintKey,
              vaultId: v.id,
              tokenProgram,
              authority: admin,
              source,
              startTs,
              initialPerHour: v.initialPerHour,
              decayBps: v.decayBps,
              periodHours: v.periodHours,
              cap: v.cap,
              revocable: v.revocable,
              recipients,
              recipientsDelaySecs: v.recipientsDelaySecs,
            }),
          );
          return { instructions, signers: [] };
        },
      });
    }
  }
  const walletFunded = cfg.vaults.filter(
    (v, i) => v.fundFrom === "wallet" && vaultItems[i].status === "create",
  );
  if (walletFunded.length) {
    const info = mintInfo ? await connection.getAccountInfo(source, "confirmed") : null;
    const balance = info ? unpackAccount(source, info, info.owner).amount : 0n;
    const want = walletFunded.reduce((a, v) => a + v.cap, 0n);
    if (balance < want)
      refusals.push(
        `vaults: the wallet's token account ${source.toBase58()} holds ${formatAmount(balance, cfg.mint.decimals)}, less than the ${formatAmount(want, cfg.mint.decimals)} the new vaults' caps need (fund it, or set "fundFrom": "mint")`,
      );
  }
  items.push(...vaultItems);

  // --- reward sources: every vault paying the pool is registered, so that new stake is
  // activated only once those vaults have paid every hour due ---
  for (const v of cfg.vaults) {
    if (!v.recipients.some((r) => r.to === "stakingRewardVault")) continue;
    const address = emissionsSdk.vaultPda(mintKey, v.id);
    const registered = pool?.rewardSources.some((k) => k.equals(address)) ?? false;
    items.push({
      item: `vault ${v.id} as reward source`,
      address,
      status: registered ? "nothing to do" : "create",
      changes: [],
      build: async () => ({
        instructions: [
          stakingSdk.stakingInstructions.addRewardSource({
            admin,
            mint: mintKey,
            vault: address,
          }),
        ],
        signers: [],
      }),
    });
  }

  for (const item of items) {
    if (item.status !== "differs") continue;
    for (const c of item.changes) {
      if (!c.updatable) {
        if (!refusals.some((r) => r.startsWith(c.field)))
          refusals.push(
            `${c.field}: ${c.chain} on chain, ${c.config} in the config (cannot be changed)`,
          );
      } else if (!update) {
        refusals.push(
          `${c.field}: ${c.chain} on chain, ${c.config} in the config (run with --update to apply)`,
        );
      }
    }
  }

  return { admin, mint: mintKey, items, refusals };
}

/**
 * Bootstraps the network from a validated config: plans, refuses when the plan has problems
 * (then nothing is sent), else creates and updates what the plan says, one transaction per
 * item, in order, and reports what it did.
 */
export async function bootstrap(
  provider: AnchorProvider,
  cfg: BootstrapConfig,
  o: BootstrapOptions = {},
): Promise<Report> {
  const log = o.log ?? (() => undefined);
  const p = await plan(provider, cfg, o);
  if (p.refusals.length)
    throw new CliError(
      `the chain differs from the config, nothing sent: ${p.refusals.join("; ")}`,
      "ConfigMismatch",
    );
  const items: ReportItem[] = [];
  const signatures: string[] = [];
  for (const item of p.items) {
    const base = { item: item.item, address: item.address, changes: item.changes, note: item.note };
    if (item.status === "nothing to do" || item.status === "differs") {
      log(`${item.item}: nothing to do`);
      items.push({ ...base, status: "nothing to do" });
      continue;
    }
    if (o.dryRun) {
      log(`${item.item}: would ${item.status}`);
      items.push({ ...base, status: item.status === "create" ? "would create" : "would update" });
      continue;
    }
    const { instructions, signers } = await item.build!();
    const tx = new Transaction().add(...instructions);
    let signature: string;
    try {
      signature = await provider.sendAndConfirm(tx, signers, { commitment: "confirmed" });
    } catch (err) {
      const e = translateError(err, CRUCIBLE_ERRORS);
      throw new CliError(`${item.item}: ${e.message}`, e.name, e.code);
    }
    signatures.push(signature);
    const status = item.status === "create" ? "created" : "updated";
    log(`${item.item}: ${status} ${item.address.toBase58()} (${signature})`);
    items.push({ ...base, status, signature });
  }
  return {
    admin: p.admin,
    mint: p.mint,
    items,
    signatures,
    nothingToDo: items.every((i) => i.status === "nothing to do"),
    dryRun: o.dryRun === true,
  };
}
