// Job commands: list; for clients create, status, complete, dispute, cancel, reclaim; for
// providers accept, submit, quit.
import { PublicKey } from "@solana/web3.js";

import { market as marketSdk } from "../../../sdk/src";
import type { Env, Network } from "../env";
import { CliError, UsageError } from "../errors";
import { formatTime, hex, keyValues, table } from "../output";
import {
  formatDuration,
  hashFile,
  parseDuration,
  parseHash32,
  parsePubkey,
  parseUint,
} from "../parse";
import { amountFlag, ev, evKey, exclusive, flag, opt, tokens, txOutput } from "./common";
import type { Invocation } from "./types";

const ix = marketSdk.marketInstructions;

/** A job as JSON (every field; amounts in base units). */
export function jobJson(address: PublicKey, j: marketSdk.Job) {
  return {
    address,
    market: j.market,
    client: j.client,
    provider: j.provider,
    targetProvider: j.targetProvider,
    state: j.state,
    nonce: j.nonce,
    price: j.price,
    collateral: j.collateral,
    burnBps: j.burnBps,
    feeBps: j.feeBps,
    durationSecs: j.durationSecs,
    disputeWindowSecs: j.disputeWindowSecs,
    arbitrationWindowSecs: j.arbitrationWindowSecs,
    defaultDisputeSplitBps: j.defaultDisputeSplitBps,
    expirySlashBps: j.expirySlashBps,
    specHash: hex(j.specHash),
    resultHash: hex(j.resultHash),
    createdAt: j.createdAt,
    acceptedAt: j.acceptedAt,
    deadline: j.deadline,
    submittedAt: j.submittedAt,
    disputeDeadline: j.disputeDeadline,
    disputedAt: j.disputedAt,
  };
}

/** The deadline that matters in a job's state. */
function nextDeadline(j: marketSdk.Job): bigint {
  switch (j.state) {
    case "running":
      return j.deadline;
    case "submitted":
      return j.disputeDeadline;
    case "disputed":
      return j.disputedAt + j.arbitrationWindowSecs;
    default:
      return 0n;
  }
}

export async function list(inv: Invocation) {
  const { env } = inv;
  exclusive(inv, "open", "state");
  exclusive(inv, "mine", "client");
  exclusive(inv, "mine", "provider");
  const stateText = flag(inv, "open") ? "open" : opt(inv, "state");
  if (stateText !== undefined && !marketSdk.JOB_STATES.includes(stateText as marketSdk.JobState))
    throw new UsageError(
      `--state: "${stateText}" is not one of ${marketSdk.JOB_STATES.join(", ")}`,
      "InvalidState",
    );
  const state = stateText as marketSdk.JobState | undefined;
  const client = opt(inv, "client") ? parsePubkey(opt(inv, "client"), "--client") : undefined;
  const provider = opt(inv, "provider")
    ? parsePubkey(opt(inv, "provider"), "--provider")
    : undefined;
  const me = flag(inv, "mine") ? env.me : undefined;
  const net = await env.network();
  const marketRef = opt(inv, "market");
  const market = marketRef ? (await env.market(marketRef)).address : undefined;
  // RPC nodes take at most 4 getProgramAccounts filters, the account type being one: at most
  // three fields go to the server, the rest are checked here.
  const query = async (f: marketSdk.JobFilter) => {
    const server: marketSdk.JobFilter = {};
    let n = 0;
    for (const k of ["market", "client", "provider", "state"] as const)
      if (f[k] !== undefined && n++ < 3) Object.assign(server, { [k]: f[k] });
    const found = await marketSdk.listJobs(env.connection, server);
    return found.filter(
      ({ account: j }) =>
        (!f.market || j.market.equals(f.market)) &&
        (!f.client || j.client.equals(f.client)) &&
        (!f.provider || (j.provider !== null && j.provider.equals(f.provider))) &&
        (!f.state || j.state === f.state),
    );
  };
  const base = { state, market, client, provider };
  const found = me
    ? [...(await query({ ...base, client: me })), ...(await query({ ...base, provider: me }))]
    : await query(base);
  const seen = new Set<string>();
  const jobs = found.filter((j) => {
    const k = j.address.toBase58();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  jobs.sort((a, b) => Number(a.account.createdAt - b.account.createdAt));
  const ids = new Map<string, string>();
  for (const m of await marketSdk.listMarkets(env.connection))
    ids.set(m.address.toBase58(), m.account.marketId.toString());
  const human = jobs.length
    ? table(
        ["job", "market", "state", "price", "duration", "collateral", "provider", "next deadline"],
        jobs.map(({ address, account: j }) => [
          address.toBase58(),
          ids.get(j.market.toBase58()) ?? j.market.toBase58(),
          j.state,
          tokens(net, j.price),
          formatDuration(j.durationSecs),
          tokens(net, j.collateral),
          j.provider?.toBase58() ??
            (j.targetProvider ? `only ${j.targetProvider.toBase58()}` : "-"),
          formatTime(nextDeadline(j)),
        ]),
      )
    : "no jobs";
  return {
    json: {
      decimals: net.decimals,
      count: jobs.length,
      jobs: jobs.map(({ address, account }) => ({
        ...jobJson(address, account),
        marketId: ids.get(account.market.toBase58()) ?? null,
      })),
    },
    human,
  };
}

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
  const priceOf = amountFlag(inv, "price")!;
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
  const price = priceOf(net.decimals);
  const m = await env.market(opt(inv, "market"));
  if (durationSecs > m.account.params.maxDurationSecs)
    throw new UsageError(
      `--duration: ${formatDuration(durationSecs)} is longer than the market's maximum of ${formatDuration(m.account.params.maxDurationSecs)}`,
      "InvalidDuration",
    );
  const clientToken = await env.sourceAccount(client, opt(inv, "token-account"), price);
  const job = marketSdk.jobPda(m.address, client, nonce);
  const signature = await env.send([
    ix.createJob({
      ctx: m.ctx,
      client,
      clientToken,
      nonce,
      price,
      durationSecs,
      specHash,
      targetProvider,
    }),
  ]);
  const e = await env.event(signature, "jobCreated");
  return txOutput(
    `posted job ${job.toBase58()}`,
    signature,
    {
      job,
      market: m.address,
      marketId: m.account.marketId,
      client,
      nonce,
      price,
      collateral: ev(e, "collateral"),
      durationSecs,
      specHash: hex(specHash),
      targetProvider: targetProvider ?? null,
    },
    [
      ["job", job.toBase58()],
      ["market", `${m.account.marketId} (${m.account.name})`],
      ["price", tokens(net, price)],
      ["duration", formatDuration(durationSecs)],
      ["collateral", tokens(net, ev(e, "collateral"))],
      ["spec hash", hex(specHash)],
    ],
  );
}

export async function status(inv: Invocation) {
  const { env } = inv;
  parsePubkey(inv.args[0], "<job>");
  const net = await env.network();
  const { address, job: j } = await env.job(inv.args[0]);
  const now = await env.now();
  const next = nextDeadline(j);
  const what =
    j.state === "open"
      ? "waiting for a provider"
      : j.state === "running"
        ? now > j.deadline
          ? "expired: anyone can reclaim it (crucible job reclaim)"
          : "running"
        : j.state === "submitted"
          ? now > j.disputeDeadline
            ? "dispute window over: anyone can finalize it (crucible crank finalize)"
            : "result submitted: the client can complete or dispute it"
          : now > next
            ? "arbitration window over: anyone can finalize the default split"
            : "disputed: waiting for the arbiter";
  return {
    json: { ...jobJson(address, j), now, nextDeadline: next, decimals: net.decimals },
    human: keyValues([
      ["job", address.toBase58()],
      ["state", `${j.state} (${what})`],
      ["market", j.market.toBase58()],
      ["client", j.client.toBase58()],
      ["provider", j.provider?.toBase58() ?? "-"],
      ["target provider", j.targetProvider?.toBase58() ?? "-"],
      ["price", tokens(net, j.price)],
      ["collateral", tokens(net, j.collateral)],
      ["burn / fee", `${j.burnBps} / ${j.feeBps} bps`],
      ["duration", formatDuration(j.durationSecs)],
      ["spec hash", hex(j.specHash)],
      ["result hash", j.state === "submitted" || j.state === "disputed" ? hex(j.resultHash) : "-"],
      ["created", formatTime(j.createdAt)],
      ["accepted", formatTime(j.acceptedAt)],
      ["deadline", formatTime(j.deadline)],
      ["submitted", formatTime(j.submittedAt)],
      ["dispute deadline", formatTime(j.disputeDeadline)],
      ["disputed", formatTime(j.disputedAt)],
      ["now (cluster)", formatTime(now)],
    ]),
  };
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
    ix.completeJob({ ctx, job: address, client, provider, providerToken: providerToken.address }),
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
