// Cranks anyone may run: `crank emit` (emission vaults), `crank activate` (stake that finished
// warming up), `fees sweep` (the fee vault to the treasury) and `crank finalize` (jobs whose
// windows have passed, by the cluster's clock):
// - submitted, past the dispute deadline      -> finalize_job (settles: pay, burn, fee);
// - disputed, past the arbitration window     -> finalize_dispute (the default split);
// - running, past the deadline                -> reclaim_expired (refund + expiry slash).
// One transaction per job, so one failure does not hold the others back.
import { PublicKey, TransactionInstruction } from "@solana/web3.js";

import {
  emissions as emissionsSdk,
  market as marketSdk,
  staking as stakingSdk,
} from "../../../sdk/src";
import { formatTime, table } from "../output";
import { parseMarketRef, parsePubkey, parseUint } from "../parse";
import { ev, flag, opt, tokens, txOutput } from "./common";
import type { Invocation } from "./types";
import { OUTCOME, vaultByRef } from "./vault-args";

const ix = marketSdk.instructions;

/** What a crank did to one item: its fields, and the signature or the error. */
type Outcome<B> = B & { signature?: string; error?: { name: string; message: string } };

/**
 * Sends one transaction per item (one failure does not hold the others back), or only lists
 * them on a dry run; returns each outcome and the counts.
 */
async function sendEach<T, B>(
  env: Invocation["env"],
  items: readonly T[],
  dryRun: boolean,
  base: (item: T) => B,
  build: (item: T) => Promise<TransactionInstruction[]>,
): Promise<{ results: Outcome<B>[]; done: number; failed: number }> {
  const results: Outcome<B>[] = [];
  for (const item of items) {
    const b = base(item);
    if (dryRun) {
      results.push(b as Outcome<B>);
      continue;
    }
    try {
      results.push({ ...b, signature: await env.send(await build(item)) });
    } catch (err) {
      const e = err as { name?: string; message?: string };
      results.push({ ...b, error: { name: e.name ?? "Error", message: e.message ?? String(err) } });
    }
  }
  const done = results.filter((r) => r.signature).length;
  const failed = results.filter((r) => r.error).length;
  return { results, done, failed };
}

/** Activates every provider's stake that finished warming up, one transaction each (the first
 * also emits the reward sources that are behind). */
export async function activate(inv: Invocation) {
  const { env } = inv;
  const dryRun = flag(inv, "dry-run");
  const net = await env.network();
  const now = await env.now();
  const due = (await stakingSdk.listProviderStakes(env.connection, net.pool)).filter(
    ({ account: s }) => s.warming > 0n && s.warmingSince + stakingSdk.WARMUP_SECS <= now,
  );
  const { results, done, failed } = await sendEach(
    env,
    due,
    dryRun,
    ({ account: s }) => ({ owner: s.owner, warming: s.warming }),
    ({ account: s }) =>
      stakingSdk.activateStakeInstructions(env.connection, { mint: net.mint, owner: s.owner }),
  );
  const summary = dryRun
    ? `${results.length} stake account(s) ready to activate (dry run: nothing sent)`
    : `${done} stake account(s) activated, ${failed} failed`;
  return {
    json: { now, dryRun, due: results.length, done, failed, stakes: results },
    human:
      (results.length
        ? table(
            ["owner", "warming", "result"],
            results.map((r) => [
              r.owner.toBase58(),
              tokens(net, r.warming),
              r.signature ?? (r.error ? `failed: ${r.error.name}` : "due"),
            ]),
          ) + "\n"
        : `no stake ready to activate at ${formatTime(now)}\n`) + summary,
    exitCode: failed ? 1 : 0,
  };
}

type Action = "finalize_job" | "finalize_dispute" | "reclaim_expired";

/** What the crank may do to a job now, if anything. */
export function dueAction(j: marketSdk.Job, now: bigint): Action | undefined {
  if (j.state === "submitted" && now > j.disputeDeadline) return "finalize_job";
  if (j.state === "disputed" && now > j.disputedAt + j.arbitrationWindowSecs)
    return "finalize_dispute";
  if (j.state === "running" && now > j.deadline) return "reclaim_expired";
  return undefined;
}

export async function finalize(inv: Invocation) {
  const { env } = inv;
  const marketText = opt(inv, "market");
  if (marketText !== undefined) parseMarketRef(marketText);
  const limit = opt(inv, "limit")
    ? Number(parseUint(opt(inv, "limit"), "--limit", 1_000_000n, 1n))
    : Infinity;
  const dryRun = flag(inv, "dry-run");
  const cranker = dryRun ? undefined : env.me;
  const net = await env.network();
  const market = marketText ? (await env.market(marketText)).address : undefined;
  const now = await env.now();
  const candidates = (
    await Promise.all(
      (["submitted", "disputed", "running"] as const).map((state) =>
        marketSdk.listJobs(env.connection, { state, market }),
      ),
    )
  ).flat();
  const due = candidates
    .map((c) => ({ ...c, action: dueAction(c.account, now) }))
    .filter((c): c is typeof c & { action: Action } => c.action !== undefined)
    .slice(0, limit);

  const contexts = new Map<string, Promise<marketSdk.MarketContext>>();
  const contextOf = (m: PublicKey) => {
    const k = m.toBase58();
    if (!contexts.has(k))
      contexts.set(
        k,
        env.market(k).then((x) => x.ctx),
      );
    return contexts.get(k)!;
  };

  const build = async ({ address: job, account: j, action }: (typeof due)[number]) => {
    if (!cranker) return [];
    const ctx = await contextOf(j.market);
    const provider = j.provider!;
    const instructions: TransactionInstruction[] = [];
    if (action === "finalize_job") {
      const providerToken = await env.payoutAccount(provider);
      instructions.push(
        ...providerToken.create,
        ix.finalizeJob({
          ctx,
          job,
          client: j.client,
          provider,
          providerToken: providerToken.address,
          cranker,
          ...(await env.settlementWork(ctx, provider, cranker)),
        }),
      );
    } else if (action === "finalize_dispute") {
      const providerToken = await env.payoutAccount(provider);
      const clientToken = await env.payoutAccount(j.client);
      instructions.push(
        ...providerToken.create,
        ...clientToken.create,
        ix.finalizeDispute({
          ctx,
          job,
          client: j.client,
          provider,
          providerToken: providerToken.address,
          clientToken: clientToken.address,
          cranker,
          ...(await env.settlementWork(ctx, provider, cranker)),
        }),
      );
    } else {
      const clientToken = await env.payoutAccount(j.client);
      instructions.push(
        ...clientToken.create,
        ix.reclaimExpired({
          ctx,
          cranker,
          job,
          client: j.client,
          clientToken: clientToken.address,
          provider,
        }),
      );
    }
    return instructions;
  };
  const { results, done, failed } = await sendEach(
    env,
    due,
    dryRun || !cranker,
    ({ address: job, account: j, action }) => ({ job, action, price: j.price }),
    build,
  );
  const summary = dryRun
    ? `${results.length} job(s) due (dry run: nothing sent)`
    : `${done} job(s) settled, ${failed} failed`;
  return {
    json: { now, dryRun, due: results.length, done, failed, jobs: results },
    human:
      (results.length
        ? table(
            ["job", "action", "price", "result"],
            results.map((r) => [
              r.job.toBase58(),
              r.action,
              tokens(net, r.price),
              r.signature ?? (r.error ? `failed: ${r.error.name}` : "due"),
            ]),
          ) + "\n"
        : `nothing due at ${formatTime(now)}\n`) + summary,
    exitCode: failed ? 1 : 0,
  };
}

/** `fees sweep`: the fee vault's whole balance to the config's treasury. */
export async function sweepFees(inv: Invocation) {
  const { env } = inv;
  const cranker = env.me;
  const net = await env.network();
  const signature = await env.send([
    ix.sweepFees({
      cranker,
      treasury: net.config.treasury,
      mint: net.mint,
      tokenProgram: net.tokenProgram,
    }),
  ]);
  const e = await env.event(signature, "feesSwept");
  const amount = ev(e, "amount");
  return txOutput(
    `swept ${tokens(net, amount)} of fees to the treasury`,
    signature,
    { feeVault: net.config.feeVault, treasury: net.config.treasury, amount },
    [
      ["fee vault", net.config.feeVault.toBase58()],
      ["treasury", net.config.treasury.toBase58()],
      ["amount", tokens(net, amount)],
    ],
  );
}

/** `crank emit`: pays every due vault (or one), skipping those with nothing due. */
export async function emit(inv: Invocation) {
  const { env } = inv;
  const ref = opt(inv, "vault");
  if (ref !== undefined && !/^\d+$/.test(ref)) parsePubkey(ref, "--vault");
  const dryRun = flag(inv, "dry-run");
  if (!dryRun) env.signer();
  const net = await env.network();
  const targets = ref
    ? [await vaultByRef(env, net, ref)].map((x) => ({ address: x.address, account: x.vault }))
    : await emissionsSdk.listEmissionVaults(env.connection, { mint: net.mint });
  const now = await env.now();
  const results: Array<Record<string, unknown>> = [];
  let failed = 0;
  for (const { address, account: v } of targets) {
    const preview = emissionsSdk.previewEmit(v, now);
    const base = { vault: address, vaultId: v.vaultId, outcome: preview.outcome };
    if (preview.outcome !== "pay" || dryRun) {
      results.push({
        ...base,
        amount: preview.outcome === "pay" ? preview.amount : 0n,
        sent: false,
      });
      continue;
    }
    try {
      const signature = await env.send([
        emissionsSdk.instructions.emit({
          mint: v.mint,
          vaultId: v.vaultId,
          tokenProgram: v.tokenProgram,
          recipients: v.recipients.map((r) => r.tokenAccount),
        }),
      ]);
      const e = await env.event(signature, "emitted");
      results.push({
        ...base,
        sent: true,
        signature,
        amount: e ? ev(e, "amount") : preview.amount,
        fromHour: e ? ev(e, "fromHour") : preview.fromHour,
        toHour: e ? ev(e, "toHour") : preview.toHour,
      });
    } catch (err) {
      failed++;
      const x = err as { name?: string; message?: string };
      results.push({ ...base, sent: false, error: { name: x.name, message: x.message } });
    }
  }
  const sent = results.filter((r) => r.sent).length;
  const human = results.length
    ? table(
        ["vault", "address", "due", "result"],
        results.map((r) => [
          String(r.vaultId),
          String((r.vault as PublicKey).toBase58()),
          tokens(net, (r.amount as bigint | undefined) ?? 0n),
          r.signature
            ? `emitted hours ${r.fromHour}..${r.toHour} (${r.signature})`
            : r.error
              ? `failed: ${(r.error as { name: string }).name}`
              : dryRun && r.outcome === "pay"
                ? "due (dry run)"
                : `skipped: ${OUTCOME[r.outcome as string] ?? r.outcome}`,
        ]),
      ) + `\n${sent} emitted, ${failed} failed`
    : "no emission vaults";
  return {
    json: { now, dryRun, emitted: sent, failed, vaults: results },
    human,
    exitCode: failed ? 1 : 0,
  };
}
