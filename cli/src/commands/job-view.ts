// Reading jobs: `jobs list` (filtered on the server) and `job status`, and a job as JSON.
import { PublicKey } from "@solana/web3.js";

import { market as marketSdk } from "../../../sdk/src";
import { UsageError } from "../errors";
import { formatTime, hex, keyValues, table } from "../output";
import { formatDuration, parsePubkey } from "../parse";
import { exclusive, flag, opt, tokens } from "./common";
import type { Invocation } from "./types";

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
