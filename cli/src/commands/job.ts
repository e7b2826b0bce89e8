// Job transactions: for clients create, complete, dispute, cancel, reclaim; for providers
// accept, submit, quit (`jobs list` and `job status` are in job-view.ts).
import { PublicKey } from "@solana/web3.js";

import { market as marketSdk } from "../../../sdk/src";
import type { Env, Network } from "../env";
import { CliError, UsageError } from "../errors";
import { formatTime, hex } from "../output";
import {
  formatAmount,
  formatDuration,
  hashFile,
  parseAmount,
  parseDuration,
  parseHash32,
  parsePubkey,
  parseUint,
} from "../parse";
import { amountFlag, ev, evKey, exclusive, opt, tokens, txOutput } from "./common";
import type { Invocation } from "./types";

const ix = marketSdk.instructions;

/** --spec / --spec-file (or --result / --result-file): a 32-byte hash. */
function hashFlags(inv: Invocation, name: string, required: boolean): Uint8Array | undefined {
  exclusive(inv, name, `${name}-file`);
  const text = opt(inv, name);
  const file = opt(inv, `${name}-file`);
  if (text !== undefined) return parseHash32(text, `--${name}`);
  if (file !== undefined) return hashFile(file, `--${name}-file`);
  if (required) throw new UsageError(`--${name} or --${name}-file is required`, "MissingValue");
  return undefined;
}

export async function create(inv: Invocation) {
  const { env } = inv;
  exclusive(inv, "price", "price-usd");
  const usd = opt(inv, "price-usd");
  // A USD price has micro-USD precision: 6 decimals, exactly (never a float).
  const microUsd = usd === undefined ? undefined : parseAmount(usd, 6, "--price-usd");
  const maxTokensOf = usd === undefined ? undefined : amountFlag(inv, "max-tokens")!;
  const priceAccount =
    usd === undefined ? undefined : parsePubkey(opt(inv, "price-account"), "--price-account");
  if (usd === undefined)
    for (const f of ["max-tokens", "price-account"])
      if (opt(inv, f) !== undefined)
        throw new UsageError(`--${f} goes with --price-usd`, "MissingValue");
  const priceOf = usd === undefined ? amountFlag(inv, "price")! : undefined;
  const durationSecs = parseDuration(opt(inv, "duration"), "--duration");
  const specHash = hashFlags(inv, "spec", false) ?? new Uint8Array(32);
  const targetProvider = opt(inv, "target")
    ? parsePubkey(opt(inv, "target"), "--target")
    : undefined;
  const nonce = opt(inv, "nonce")
    ? parseUint(opt(inv, "nonce"), "--nonce")
    : marketSdk.randomNonce();
  const client = env.me;
  const net = await env.network();
  const m = await env.market(opt(inv, "market"));
  if (m.account.usdPricing && microUsd === undefined)
    throw new UsageError(
      `market ${m.account.marketId} prices jobs in USD: give --price-usd, --max-tokens and --price-account`,
      "MarketPricedInUsd",
    );
  if (!m.account.usdPricing && microUsd !== undefined)
    throw new UsageError(
      `market ${m.account.marketId} prices jobs in tokens: give --price`,
      "MarketPricedInTokens",
    );
  // On a USD market: what the program will escrow, from the price account as it is now.
  const quote =
    microUsd === undefined ? undefined : await usdQuote(env, priceAccount!, microUsd, net.decimals);
  const price = quote?.tokens ?? priceOf!(net.decimals);
  if (durationSecs > m.account.params.maxDurationSecs)
    throw new UsageError(
      `--duration: ${formatDuration(durationSecs)} is longer than the market's maximum of ${formatDuration(m.account.params.maxDurationSecs)}`,
      "InvalidDuration",
    );
  const clientToken = await env.sourceAccount(client, opt(inv, "token-account"), price);
  const job = marketSdk.jobPda(m.address, client, nonce);
  const post =
    microUsd === undefined
      ? ix.createJob({
          ctx: m.ctx,
          client,
          clientToken,
          nonce,
          price,
          durationSecs,
          specHash,
          targetProvider,
        })
      : ix.createJobUsd({
          ctx: m.ctx,
          client,
          clientToken,
          nonce,
          priceMicroUsd: microUsd,
          maxTokens: maxTokensOf!(net.decimals),
          priceUpdate: priceAccount!,
          durationSecs,
          specHash,
          targetProvider,
        });
  const signature = await env.send([post]);
  const e = await env.event(signature, "jobCreated");
  const escrowed: bigint = ev(e, "price");
  return txOutput(
    `posted job ${job.toBase58()}`,
    signature,
    {
      job,
      market: m.address,
      marketId: m.account.marketId,
      client,
      nonce,
      price: escrowed,
      priceMicroUsd: microUsd ?? null,
      priceAccount: priceAccount ?? null,
      collateral: ev(e, "collateral"),
      durationSecs,
      specHash: hex(specHash),
      targetProvider: targetProvider ?? null,
    },
    [
      ["job", job.toBase58()],
      ["market", `${m.account.marketId} (${m.account.name})`],
      [
        "price",
        microUsd === undefined
          ? tokens(net, escrowed)
          : `$${formatAmount(microUsd, 6)} = ${tokens(net, escrowed)} at the Pyth price`,
      ],
      ["duration", formatDuration(durationSecs)],
      ["collateral", tokens(net, ev(e, "collateral"))],
      ["spec hash", hex(specHash)],
    ],
  );
}

/** The job of `inv.args[0]` with its market's context; validates the address first. */
async function jobAndContext(
  env: Env,
  arg: string | undefined,
): Promise<{ net: Network; address: PublicKey; j: marketSdk.Job; ctx: marketSdk.MarketContext }> {
  parsePubkey(arg, "<job>");
  const net = await env.network();
  const { address, job: j } = await env.job(arg);
  return { net, address, j, ctx: await env.jobContext(j) };
}

function needProvider(j: marketSdk.Job, name: string): PublicKey {
  if (!j.provider) throw new CliError(`the job is open: no provider has taken it yet`, name);
  return j.provider;
}

export async function accept(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const provider = env.me;
  const { net, address, ctx } = await jobAndContext(env, inv.args[0]);
  const signature = await env.send([ix.acceptJob({ ctx, provider, job: address })]);
  const e = await env.event(signature, "jobAccepted");
  return txOutput(
    `accepted job ${address.toBase58()}`,
    signature,
    { job: address, provider, collateral: ev(e, "collateral"), deadline: ev(e, "deadline") },
    [
      ["collateral locked", tokens(net, ev(e, "collateral"))],
      ["submit before", formatTime(ev(e, "deadline"))],
    ],
  );
}

export async function submit(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const resultHash = hashFlags(inv, "result", true)!;
  const provider = env.me;
  const { address } = await jobAndContext(env, inv.args[0]);
  const signature = await env.send([ix.submitResult({ provider, job: address, resultHash })]);
  const e = await env.event(signature, "resultSubmitted");
  return txOutput(
    `submitted the result of ${address.toBase58()}`,
    signature,
    {
      job: address,
      provider,
      resultHash: hex(resultHash),
      disputeDeadline: ev(e, "disputeDeadline"),
    },
    [
      ["result hash", hex(resultHash)],
      ["dispute deadline", formatTime(ev(e, "disputeDeadline"))],
    ],
  );
}

export async function quit(inv: Invocation) {
  const { env } = inv;
  const provider = env.me;
  const { net, address, j, ctx } = await jobAndContext(env, inv.args[0]);
  // A quit after the grace window pays the expiry slash to the client's account.
  const clientToken = await env.payoutAccount(j.client);
  const signature = await env.send([
    ...clientToken.create,
    ix.quitJob({ ctx, provider, job: address, clientToken: clientToken.address }),
  ]);
  const e = await env.event(signature, "jobQuit");
  return txOutput(
    `gave back job ${address.toBase58()} (open again; you may not take it again)`,
    signature,
    {
      job: address,
      provider,
      collateral: ev(e, "collateral"),
      slashed: ev(e, "slashed"),
      quitterCount: ev(e, "quitterCount"),
    },
    [
      ["collateral unlocked", tokens(net, ev(e, "collateral"))],
      ["slashed to the client", tokens(net, ev(e, "slashed"))],
    ],
  );
}

/** The settlement amounts of a `jobCompleted` / `disputeResolved` event as JSON and rows. */
function settlement(net: Network, e: Record<string, unknown> | undefined) {
  const keys = ["price", "refunded", "paid", "burned", "fee", "slashed"] as const;
  const json = Object.fromEntries(keys.map((k) => [k, ev(e, k)]));
  const rows = keys
    .filter((k) => e && k in e)
    .map((k): [string, string] => [k, tokens(net, ev(e, k))]);
  return { json, rows };
}

export async function complete(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const client = env.me;
  const { net, address, j, ctx } = await jobAndContext(env, inv.args[0]);
  const provider = needProvider(j, "JobNotSubmitted");
  const providerToken = await env.payoutAccount(provider);
  const signature = await env.send([
    ...providerToken.create,
    ix.completeJob({
      ctx,
      job: address,
      client,
      provider,
      providerToken: providerToken.address,
      ...(await env.settlementWork(ctx, provider, client)),
    }),
  ]);
  const s = settlement(net, await env.event(signature, "jobCompleted"));
  return txOutput(
    `completed job ${address.toBase58()}`,
    signature,
    { job: address, provider, providerToken: providerToken.address, ...s.json },
    s.rows,
  );
}

export async function dispute(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const client = env.me;
  const { address, j } = await jobAndContext(env, inv.args[0]);
  const signature = await env.send([ix.disputeJob({ client, job: address, market: j.market })]);
  const e = await env.event(signature, "jobDisputed");
  const disputedAt = ev(e, "disputedAt");
  const arbitrationEndsAt = disputedAt + j.arbitrationWindowSecs;
  const arbiter = evKey(e, "arbiter");
  return txOutput(
    `disputed job ${address.toBase58()}`,
    signature,
    { job: address, disputedAt, arbitrationEndsAt, arbiter },
    [
      ["disputed at", formatTime(disputedAt)],
      ["arbitration ends", formatTime(arbitrationEndsAt)],
      ["arbiter", arbiter?.toBase58() ?? "-"],
    ],
  );
}

export async function cancel(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const client = env.me;
  const { net, address, ctx } = await jobAndContext(env, inv.args[0]);
  const refund = await env.receivingAccount(client, opt(inv, "token-account"));
  const signature = await env.send([
    ...refund.create,
    ix.cancelJob({ ctx, client, job: address, clientToken: refund.address }),
  ]);
  const e = await env.event(signature, "jobCancelled");
  return txOutput(
    `cancelled job ${address.toBase58()}`,
    signature,
    { job: address, refunded: ev(e, "refunded"), refundedTo: refund.address },
    [
      ["refunded", tokens(net, ev(e, "refunded"))],
      ["to", refund.address.toBase58()],
    ],
  );
}

export async function reclaim(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const cranker = env.me;
  const { net, address, j, ctx } = await jobAndContext(env, inv.args[0]);
  const provider = needProvider(j, "JobNotRunning");
  const refund = await env.payoutAccount(j.client);
  const signature = await env.send([
    ...refund.create,
    ix.reclaimExpired({
      ctx,
      cranker,
      job: address,
      client: j.client,
      clientToken: refund.address,
      provider,
    }),
  ]);
  const e = await env.event(signature, "jobExpired");
  return txOutput(
    `reclaimed expired job ${address.toBase58()}`,
    signature,
    { job: address, refunded: ev(e, "refunded"), slashed: ev(e, "slashed") },
    [
      ["refunded", tokens(net, ev(e, "refunded"))],
      ["slashed to the client", tokens(net, ev(e, "slashed"))],
    ],
  );
}

/**
 * What `create_job_usd` will escrow for `microUsd`: the price account read now and converted
 * as the program converts it (the program checks it again, against its own clock).
 */
async function usdQuote(
  env: Env,
  account: PublicKey,
  microUsd: bigint,
  decimals: number,
): Promise<{ tokens: bigint }> {
  const info = await env.connection.getAccountInfo(account, "confirmed");
  if (!info)
    throw new CliError(`--price-account: no account at ${account.toBase58()}`, "AccountNotFound");
  try {
    const u = marketSdk.decodePriceUpdate(info.data);
    const price = {
      price: u.price,
      conf: u.conf,
      exponent: u.exponent,
      publishTime: u.publishTime,
    };
    return { tokens: marketSdk.tokensForMicroUsd(microUsd, price, decimals) };
  } catch (e) {
    if (e instanceof marketSdk.PriceError)
      throw new CliError(`--price-account ${account.toBase58()}: ${e.errorName}`, e.errorName);
    throw e;
  }
}
