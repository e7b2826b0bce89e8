// Operator commands: init (bootstrap), market create/update/list, dispute resolve, info.
import {
  emissions as emissionsSdk,
  market as marketSdk,
  staking as stakingSdk,
} from "../../../sdk/src";
import {
  bootstrap,
  checkMarketParams,
  ConfigError,
  defaultMarketParams,
  loadConfig,
} from "../bootstrap";
import type { Network } from "../env";
import { CliError, UsageError } from "../errors";
import { hex, keyValues, table } from "../output";
import {
  checkAmountSyntax,
  formatDuration,
  parseAmount,
  parseBps,
  parseDuration,
  parseHash32,
  parsePubkey,
  parseUint,
} from "../parse";
import { ev, flag, opt, required, tokens, txOutput } from "./common";
import type { Invocation } from "./types";

export async function init(inv: Invocation) {
  const { env } = inv;
  const cfg = loadConfig(required(inv, "config"));
  env.signer();
  const report = await bootstrap(env.provider(), cfg, {
    update: flag(inv, "update"),
    dryRun: flag(inv, "dry-run"),
    priorityFee: env.priorityFee,
  });
  const rows = report.items.map((i) => [
    i.item,
    i.address.toBase58(),
    i.status,
    i.changes.length
      ? i.changes.map((c) => `${c.field}: ${c.chain} -> ${c.config}`).join("; ")
      : (i.note ?? ""),
  ]);
  const summary = report.dryRun
    ? "dry run: nothing sent"
    : report.nothingToDo
      ? "nothing to do: the chain already matches the config (no transaction sent)"
      : `${report.signatures.length} transaction(s) sent`;
  return {
    json: {
      admin: report.admin,
      mint: report.mint,
      items: report.items,
      signatures: report.signatures,
      nothingToDo: report.nothingToDo,
      dryRun: report.dryRun,
    },
    human: `${table(["item", "address", "result", "details"], rows)}\n${summary}`,
  };
}

/** Market parameters from flags over `base` (defaults or the market's current ones). */
function paramsFromFlags(
  inv: Invocation,
  net: Network,
  base: marketSdk.MarketParams,
): marketSdk.MarketParams {
  const raw = flag(inv, "raw");
  const p = { ...base };
  const amount = (name: string, allowZero = false) =>
    parseAmount(opt(inv, name), net.decimals, `--${name}`, { raw, allowZero });
  if (opt(inv, "min-provider-stake") !== undefined)
    p.minProviderStake = amount("min-provider-stake");
  if (opt(inv, "min-collateral") !== undefined) p.minCollateral = amount("min-collateral", true);
  const bps: Array<
    [string, "collateralBps" | "burnBps" | "feeBps" | "defaultDisputeSplitBps" | "expirySlashBps"]
  > = [
    ["collateral-bps", "collateralBps"],
    ["burn-bps", "burnBps"],
    ["fee-bps", "feeBps"],
    ["default-split-bps", "defaultDisputeSplitBps"],
    ["expiry-slash-bps", "expirySlashBps"],
  ];
  for (const [f, k] of bps) if (opt(inv, f) !== undefined) p[k] = parseBps(opt(inv, f), `--${f}`);
  const secs: Array<
    [string, "maxDurationSecs" | "disputeWindowSecs" | "arbitrationWindowSecs" | "jobLifetimeSecs"]
  > = [
    ["max-duration", "maxDurationSecs"],
    ["dispute-window", "disputeWindowSecs"],
    ["arbitration-window", "arbitrationWindowSecs"],
    ["job-lifetime", "jobLifetimeSecs"],
  ];
  for (const [f, k] of secs)
    if (opt(inv, f) !== undefined) p[k] = parseDuration(opt(inv, f), `--${f}`);
  if (opt(inv, "quit-grace") !== undefined) p.quitGraceSecs = quitGrace(opt(inv, "quit-grace"));
  const flagOf: Record<string, string> = Object.fromEntries(
    [
      ...bps,
      ...secs,
      ["min-provider-stake", "minProviderStake"],
      ["min-collateral", "minCollateral"],
      ["quit-grace", "quitGraceSecs"],
    ].map(([f, k]) => [k, `--${f}`]),
  );
  try {
    checkMarketParams(p, "", (k) => flagOf[k] ?? k);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message, "InvalidParameter");
    throw e;
  }
  return p;
}

/** `--quit-grace`: a duration, or 0 for no free quit at all. */
function quitGrace(text: string | undefined): bigint {
  return text === "0" ? 0n : parseDuration(text, "--quit-grace");
}

/** Syntax checks of the parameter flags that need no network (amounts, bps, durations). */
function checkParamFlags(inv: Invocation): void {
  for (const f of ["min-provider-stake", "min-collateral"])
    if (opt(inv, f) !== undefined) checkAmountSyntax(opt(inv, f), `--${f}`, flag(inv, "raw"));
  for (const f of [
    "collateral-bps",
    "burn-bps",
    "fee-bps",
    "default-split-bps",
    "expiry-slash-bps",
  ])
    if (opt(inv, f) !== undefined) parseBps(opt(inv, f), `--${f}`);
  for (const f of ["max-duration", "dispute-window", "arbitration-window", "job-lifetime"])
    if (opt(inv, f) !== undefined) parseDuration(opt(inv, f), `--${f}`);
  if (opt(inv, "quit-grace") !== undefined) quitGrace(opt(inv, "quit-grace"));
  if (opt(inv, "arbiter") !== undefined) parsePubkey(opt(inv, "arbiter"), "--arbiter");
}

function paramRows(net: Network, p: marketSdk.MarketParams): Array<[string, string]> {
  return [
    ["min provider stake", tokens(net, p.minProviderStake)],
    ["collateral", `${p.collateralBps} bps (min ${tokens(net, p.minCollateral)})`],
    ["burn / fee", `${p.burnBps} / ${p.feeBps} bps`],
    ["max duration", formatDuration(p.maxDurationSecs)],
    ["dispute window", formatDuration(p.disputeWindowSecs)],
    ["arbitration window", formatDuration(p.arbitrationWindowSecs)],
    ["default split", `${p.defaultDisputeSplitBps} bps to the provider`],
    ["expiry slash", `${p.expirySlashBps} bps of the collateral`],
    ["job lifetime", formatDuration(p.jobLifetimeSecs)],
    ["quit grace", formatDuration(p.quitGraceSecs)],
  ];
}

export async function marketCreate(inv: Invocation) {
  const { env } = inv;
  const id = parseUint(opt(inv, "id"), "--id");
  const name = required(inv, "name");
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes < 1 || bytes > 32)
    throw new UsageError(`--name: must be 1 to 32 bytes, got ${bytes}`, "InvalidName");
  checkParamFlags(inv);
  const usdPricing = usdPricingFlags(inv);
  const workPoolFlag = opt(inv, "work-pool");
  const workPool = workPoolFlag === undefined ? null : parsePubkey(workPoolFlag, "--work-pool");
  const admin = env.me;
  const arbiter = opt(inv, "arbiter") ? parsePubkey(opt(inv, "arbiter"), "--arbiter") : admin;
  const net = await env.network();
  const params = paramsFromFlags(inv, net, defaultMarketParams(net.decimals));
  const market = marketSdk.marketPda(id);
  if (await env.connection.getAccountInfo(market, "confirmed"))
    throw new CliError(
      `market ${id} exists already at ${market.toBase58()} (use \`crucible market update\`)`,
      "MarketExists",
    );
  const signature = await env.send([
    marketSdk.instructions.createMarket({
      admin,
      marketId: id,
      name,
      arbiter,
      stakingPool: net.pool,
      params,
      usdPricing,
      workPool,
    }),
  ]);
  const usd = usdPricing && {
    feedId: hex(usdPricing.feedId),
    maxAgeSecs: usdPricing.maxAgeSecs,
    maxConfBps: usdPricing.maxConfBps,
  };
  return txOutput(
    `created market ${id} (${name})`,
    signature,
    {
      market,
      marketId: id,
      name,
      arbiter,
      stakingPool: net.pool,
      params,
      usdPricing: usd ?? null,
      workPool,
    },
    [
      ["market", market.toBase58()],
      ["arbiter", arbiter.toBase58()],
      ["priced in", usd ? `USD (Pyth feed ${usd.feedId})` : "tokens"],
      ["work pool", workPool ? workPool.toBase58() : "none"],
      ...paramRows(net, params),
    ],
  );
}

/** `--usd-feed` and its bounds (checked before any network access), or `null`. */
function usdPricingFlags(inv: Invocation): marketSdk.UsdPricing | null {
  const feed = opt(inv, "usd-feed");
  if (feed === undefined) {
    for (const f of ["max-price-age", "max-conf-bps"])
      if (opt(inv, f) !== undefined)
        throw new UsageError(`--${f} goes with --usd-feed`, "MissingValue");
    return null;
  }
  const maxAge = parseDuration(opt(inv, "max-price-age") ?? "60s", "--max-price-age");
  if (maxAge < 1n || maxAge > 3_600n)
    throw new UsageError(`--max-price-age: must be 1s to 1h, got ${maxAge}s`, "OutOfRange");
  const maxConfBps = parseBps(opt(inv, "max-conf-bps") ?? "100", "--max-conf-bps");
  if (maxConfBps < 1 || maxConfBps > 9_999)
    throw new UsageError(`--max-conf-bps: must be 1 to 9999, got ${maxConfBps}`, "OutOfRange");
  const feedId = parseHash32(feed, "--usd-feed");
  if (feedId.every((b) => b === 0))
    throw new UsageError("--usd-feed: the zero feed id is no feed", "InvalidHash");
  return { feedId, maxAgeSecs: Number(maxAge), maxConfBps };
}

export async function marketUpdate(inv: Invocation) {
  const { env } = inv;
  checkParamFlags(inv);
  const admin = env.me;
  const net = await env.network();
  const m = await env.market(opt(inv, "market"));
  const params = paramsFromFlags(inv, net, m.account.params);
  const arbiter = opt(inv, "arbiter")
    ? parsePubkey(opt(inv, "arbiter"), "--arbiter")
    : m.account.arbiter;
  const changes: Array<{ field: string; old: string; new: string }> = [];
  for (const k of Object.keys(params) as Array<keyof marketSdk.MarketParams>)
    if (String(params[k]) !== String(m.account.params[k]))
      changes.push({ field: k, old: String(m.account.params[k]), new: String(params[k]) });
  if (!arbiter.equals(m.account.arbiter))
    changes.push({ field: "arbiter", old: m.account.arbiter.toBase58(), new: arbiter.toBase58() });
  if (changes.length === 0)
    throw new UsageError(
      "nothing to change: every flag given equals the market's current value (or none was given)",
      "NothingToChange",
    );
  const signature = await env.send([
    marketSdk.instructions.updateMarket({ admin, market: m.address, params, arbiter }),
  ]);
  return txOutput(
    `updated market ${m.account.marketId} (${m.account.name})`,
    signature,
    { market: m.address, marketId: m.account.marketId, changes, params, arbiter },
    changes.map((c): [string, string] => [c.field, `${c.old} -> ${c.new}`]),
  );
}

export async function marketList(inv: Invocation) {
  const { env } = inv;
  const net = await env.network();
  const markets = await marketSdk.listMarkets(env.connection);
  return {
    json: {
      decimals: net.decimals,
      markets: markets.map(({ address, account: m }) => ({
        address,
        marketId: m.marketId,
        name: m.name,
        mint: m.mint,
        stakingPool: m.stakingPool,
        arbiter: m.arbiter,
        paused: m.paused,
        params: m.params,
      })),
    },
    human: markets.length
      ? table(
          [
            "id",
            "name",
            "address",
            "burn",
            "fee",
            "collateral",
            "min stake",
            "max duration",
            "dispute",
            "paused",
          ],
          markets.map(({ address, account: m }) => [
            m.marketId.toString(),
            m.name,
            address.toBase58(),
            `${m.params.burnBps}`,
            `${m.params.feeBps}`,
            `${m.params.collateralBps}`,
            tokens(net, m.params.minProviderStake),
            formatDuration(m.params.maxDurationSecs),
            formatDuration(m.params.disputeWindowSecs),
            m.paused ? "yes" : "no",
          ]),
        ) + "\n(burn, fee and collateral in bps)"
      : "no markets",
  };
}

export async function disputeResolve(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const providerShareBps = parseBps(opt(inv, "provider-share-bps"), "--provider-share-bps");
  const slashText = opt(inv, "slash");
  if (slashText !== undefined) checkAmountSyntax(slashText, "--slash", flag(inv, "raw"));
  const arbiter = env.me;
  const net = await env.network();
  const slashAmount =
    slashText === undefined
      ? 0n
      : parseAmount(slashText, net.decimals, "--slash", { raw: flag(inv, "raw"), allowZero: true });
  const { address, job: j } = await env.job(inv.args[0]);
  if (!j.provider) throw new CliError("the job is open: there is no dispute", "JobNotDisputed");
  if (slashAmount > j.collateral)
    throw new UsageError(
      `--slash: ${tokens(net, slashAmount)} is more than the job's collateral ${tokens(net, j.collateral)}`,
      "SlashExceedsCollateral",
    );
  const ctx = await env.jobContext(j);
  const providerToken = await env.payoutAccount(j.provider);
  const clientToken = await env.payoutAccount(j.client);
  const signature = await env.send([
    ...providerToken.create,
    ...clientToken.create,
    marketSdk.instructions.resolveDispute({
      ctx,
      job: address,
      client: j.client,
      provider: j.provider,
      providerToken: providerToken.address,
      clientToken: clientToken.address,
      arbiter,
      providerShareBps,
      slashAmount,
      slashToClient: !flag(inv, "burn-slash"),
      ...(await env.settlementWork(ctx, j.provider, arbiter)),
    }),
  ]);
  const e = await env.event(signature, "disputeResolved");
  const keys = ["price", "refunded", "paid", "burned", "fee", "slashed", "slashBurned"] as const;
  return txOutput(
    `resolved the dispute over ${address.toBase58()}`,
    signature,
    { job: address, providerShareBps, ...Object.fromEntries(keys.map((k) => [k, ev(e, k)])) },
    [
      ["provider share", `${providerShareBps} bps`],
      ...keys.map((k): [string, string] => [k, tokens(net, ev(e, k))]),
    ],
  );
}

export async function info(inv: Invocation) {
  const { env } = inv;
  const net = await env.network();
  const [mint, pool, markets, vaults, treasury, feeVault] = await Promise.all([
    env.mintInfo(net.mint),
    stakingSdk.fetchStakePool(env.connection, net.pool),
    marketSdk.listMarkets(env.connection),
    emissionsSdk.listEmissionVaults(env.connection, { mint: net.mint }),
    env.tokenAccount(net.config.treasury),
    env.tokenAccount(net.config.feeVault),
  ]);
  const json = {
    url: env.url,
    config: net.configAddress,
    admin: net.config.admin,
    treasury: net.config.treasury,
    treasuryBalance: treasury?.amount ?? 0n,
    feeVault: net.config.feeVault,
    feeVaultBalance: feeVault?.amount ?? 0n,
    mint: net.mint,
    decimals: net.decimals,
    supply: mint.supply,
    mintAuthority: mint.mintAuthority,
    tokenProgram: net.tokenProgram,
    pool: net.pool,
    minStake: pool?.minStake ?? null,
    unbondingSecs: pool?.unbondingSecs ?? null,
    totalActive: pool?.totalActive ?? null,
    totalUnbonding: pool?.totalUnbonding ?? null,
    rewardVault: pool?.rewardVault ?? null,
    markets: markets.map((m) => ({
      address: m.address,
      marketId: m.account.marketId,
      name: m.account.name,
    })),
    vaults: vaults.map((v) => ({
      address: v.address,
      vaultId: v.account.vaultId,
      totalEmitted: v.account.totalEmitted,
      cap: v.account.cap,
    })),
  };
  const human = keyValues([
    ["rpc", env.url],
    ["market config", net.configAddress.toBase58()],
    ["admin", net.config.admin.toBase58()],
    ["treasury", `${net.config.treasury.toBase58()} (${tokens(net, json.treasuryBalance)})`],
    [
      "fee vault",
      `${net.config.feeVault.toBase58()} (${tokens(net, json.feeVaultBalance)} to sweep)`,
    ],
    ["mint", `${net.mint.toBase58()} (${net.decimals} decimals)`],
    ["supply", tokens(net, mint.supply)],
    ["mint authority", mint.mintAuthority?.toBase58() ?? "none"],
    ["staking pool", net.pool.toBase58()],
    ["min stake", pool ? tokens(net, pool.minStake) : "-"],
    ["unbonding delay", pool ? formatDuration(pool.unbondingSecs) : "-"],
    ["total active", pool ? tokens(net, pool.totalActive) : "-"],
    [
      "markets",
      markets.map((m) => `${m.account.marketId} (${m.account.name})`).join(", ") || "none",
    ],
    [
      "vaults",
      vaults
        .map(
          (v) =>
            `${v.account.vaultId} (${tokens(net, v.account.totalEmitted)} of ${tokens(net, v.account.cap)} emitted)`,
        )
        .join(", ") || "none",
    ],
  ]);
  return { json, human };
}
