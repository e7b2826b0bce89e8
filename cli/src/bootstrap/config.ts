// The bootstrap config: its schema, DESIGN.md's default market economics, the programs' bounds
// and validation. The whole config is validated before the chain is read; a bad one is
// rejected with the field's path named (`markets[0].params.burnBps: must be 0..10000`).
import { readFileSync } from "fs";
import { Keypair, PublicKey } from "@solana/web3.js";

import { market as marketSdk } from "../../../sdk/src";
import { UsageError } from "../errors";
import { MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS, recipientsDelayProblem } from "../parse";
import { ConfigError, Json, Reader, readKeypairFile } from "./reader";

export { ConfigError } from "./reader";

/** Where a vault's recipient share goes: `"workPool:<id>"` is the token account of the
 * config's work pool `id`. */
export type RecipientTarget = "stakingRewardVault" | "treasury" | { workPool: bigint } | PublicKey;

/** A work-rewards pool (the emissions program's): it follows vault `vault` of the config. */
export interface WorkPoolConfigEntry {
  id: bigint;
  /** The id of the config's vault whose hours the pool follows (it pays the pool). */
  vault: bigint;
  /** Most of an hour's burn paid back as work rewards, 1 to 10 000 bps. */
  capBps: number;
  /** Where what is not distributed goes (default: the staking pool's reward vault). */
  destination: "stakingRewardVault" | "treasury" | PublicKey;
}

/** A recipient target as text (for comparisons and messages). */
export function targetKey(to: RecipientTarget): string {
  if (to instanceof PublicKey) return to.toBase58();
  if (typeof to === "string") return to;
  return `workPool:${to.workPool}`;
}

export interface MarketConfigEntry {
  id: bigint;
  name: string;
  /** Default: the admin (the wallet). */
  arbiter?: PublicKey;
  params: marketSdk.MarketParams;
  /** The id of the config's work pool its settlements record their burns in (fixed). */
  workPool?: bigint;
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
  workPools: WorkPoolConfigEntry[];
}

const DAY = 86_400n;

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

/** Validates a parsed config; throws a `ConfigError` naming the first bad field. */
export function validateConfig(raw: Json): BootstrapConfig {
  const root = new Reader(raw, "");
  root.object([
    "$schema",
    "description",
    "mint",
    "treasury",
    "staking",
    "markets",
    "vaults",
    "workPools",
  ]);

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

  // Work pools first: markets and vault recipients name them.
  const workPools: WorkPoolConfigEntry[] = [];
  const wk = root.at("workPools");
  for (const r of wk.present ? wk.array() : []) {
    r.object(["id", "vault", "capBps", "destination"]);
    const id = r.at("id").uint();
    if (workPools.some((x) => x.id === id)) r.at("id").fail(`work pool ${id} appears twice`);
    const vault = r.at("vault").uint();
    const capBps = r.at("capBps").bps();
    if (capBps < 1) r.at("capBps").fail("must be 1..10000");
    let destination: WorkPoolConfigEntry["destination"] = "stakingRewardVault";
    const d = r.at("destination");
    if (d.present) {
      const text = d.string();
      destination = text === "stakingRewardVault" || text === "treasury" ? text : d.pubkey();
    }
    workPools.push({ id, vault, capBps, destination });
  }

  const markets: MarketConfigEntry[] = [];
  const mk = root.at("markets");
  for (const r of mk.present ? mk.array() : []) {
    r.object(["id", "name", "arbiter", "params", "workPool"]);
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
    let workPool: bigint | undefined;
    if (r.at("workPool").present) {
      workPool = r.at("workPool").uint();
      if (!workPools.some((x) => x.id === workPool))
        r.at("workPool").fail(`names work pool ${workPool}, which workPools does not list`);
    }
    markets.push({
      id,
      name,
      arbiter: r.at("arbiter").present ? r.at("arbiter").pubkey() : undefined,
      params,
      ...(workPool !== undefined ? { workPool } : {}),
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
      let to: RecipientTarget;
      const work = /^workPool:(\d+)$/.exec(toText);
      if (toText === "stakingRewardVault" || toText === "treasury") to = toText;
      else if (work) {
        const poolId = BigInt(work[1]);
        if (!workPools.some((p) => p.id === poolId))
          x.at("to").fail(`names work pool ${poolId}, which workPools does not list`);
        to = { workPool: poolId };
      } else to = x.at("to").pubkey();
      const shareBps = x.at("shareBps").bps();
      if (shareBps === 0) x.at("shareBps").fail("must be greater than zero");
      const key = targetKey(to);
      if (recipients.some((y) => targetKey(y.to) === key)) x.at("to").fail(`${key} appears twice`);
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

  for (const [i, p] of workPools.entries())
    if (!vaults.some((v) => v.id === p.vault))
      root
        .at("workPools")
        .at(i)
        .at("vault")
        .fail(`names vault ${p.vault}, which vaults does not list`);
  return { mint, treasury, staking: { minStake, unbondingSecs }, markets, vaults, workPools };
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
