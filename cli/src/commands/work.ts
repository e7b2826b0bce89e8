// Work-rewards pools: `work-pool create` (anyone), `work-pool status`, `crank work` (anyone:
// finalizes the hours the pools' vaults have paid) and the work half of `provider claim`.
import { PublicKey } from "@solana/web3.js";

import {
  emissions as emissionsSdk,
  market as marketSdk,
  staking as stakingSdk,
} from "../../../sdk/src";
import type { Env } from "../env";
import { CliError, UsageError } from "../errors";
import { table } from "../output";
import { parseBps, parsePubkey, parseUint } from "../parse";
import { flag, opt, required, tokens, txOutput } from "./common";
import type { Invocation } from "./types";
import { vaultByRef } from "./vault-args";

const work = emissionsSdk;

/** The work pools the network's markets record in, by address (a pool may serve several). */
export async function marketPools(env: Env): Promise<PublicKey[]> {
  const markets = await marketSdk.listMarkets(env.connection);
  const seen = new Map<string, PublicKey>();
  for (const { account } of markets)
    if (account.workPool) seen.set(account.workPool.toBase58(), account.workPool);
  return [...seen.values()];
}

async function poolAt(env: Env, address: PublicKey): Promise<emissionsSdk.WorkPool> {
  const pool = await work.fetchWorkPool(env.connection, address).catch(() => null);
  if (!pool) throw new CliError(`no work pool at ${address.toBase58()}`, "WorkPoolNotFound");
  return pool;
}

/** `--pool <address>`, or every pool the markets record in. */
async function poolsOf(inv: Invocation): Promise<PublicKey[]> {
  const ref = opt(inv, "pool");
  if (ref !== undefined) return [parsePubkey(ref, "--pool")];
  return marketPools(inv.env);
}

export async function create(inv: Invocation) {
  const { env } = inv;
  const capBps = parseBps(required(inv, "cap-bps"), "--cap-bps");
  if (capBps < 1 || capBps > 10_000)
    throw new UsageError(`--cap-bps: must be 1 to 10000, got ${capBps}`, "OutOfRange");
  const vaultRef = required(inv, "vault");
  const poolId =
    opt(inv, "id") === undefined ? emissionsSdk.randomVaultId() : parseUint(opt(inv, "id"), "--id");
  const destinationFlag = opt(inv, "destination");
  const net = await env.network();
  // The vault may not exist yet: an id names its address either way.
  let vaultId: bigint;
  if (/^\d+$/.test(vaultRef)) vaultId = parseUint(vaultRef, "--vault");
  else vaultId = (await vaultByRef(env, net, vaultRef)).vault.vaultId;
  const destination = destinationFlag
    ? parsePubkey(destinationFlag, "--destination")
    : stakingSdk.rewardVaultPda(net.pool);
  const pool = work.workPoolPda(net.mint, poolId);
  if (await env.connection.getAccountInfo(pool, "confirmed"))
    throw new CliError(
      `work pool ${poolId} exists already at ${pool.toBase58()}`,
      "WorkPoolExists",
    );
  const signature = await env.send([
    work.createWorkPool({
      mint: net.mint,
      poolId,
      tokenProgram: net.tokenProgram,
      creator: env.me,
      vaultId,
      capBps,
      destination,
      recorder: marketSdk.workRecorderPda(),
    }),
  ]);
  const tokenVault = work.workTokensPda(pool);
  return txOutput(
    `created work pool ${poolId}`,
    signature,
    {
      pool,
      poolId,
      tokenVault,
      emissionVault: emissionsSdk.vaultPda(net.mint, vaultId),
      capBps,
      destination,
    },
    [
      ["pool", pool.toBase58()],
      ["token account (a vault recipient)", tokenVault.toBase58()],
      ["vault", emissionsSdk.vaultPda(net.mint, vaultId).toBase58()],
      ["cap", `${capBps} bps of each hour's burn`],
      ["destination", destination.toBase58()],
    ],
  );
}

export async function status(inv: Invocation) {
  const { env } = inv;
  const net = await env.network();
  const pools = await poolsOf(inv);
  const rows = [];
  for (const address of pools) {
    const p = await poolAt(env, address);
    rows.push({ address, pool: p });
  }
  return {
    json: {
      pools: rows.map(({ address, pool: p }) => ({
        pool: address,
        emissionVault: p.emissionVault,
        destination: p.destination,
        capBps: p.capBps,
        finalizedThroughHour: p.cursorHours,
        reserved: p.reserved,
        owedToDestination: p.owedToDestination,
        totalReceived: p.totalReceived,
        totalClaimed: p.totalClaimed,
        totalToDestination: p.totalToDestination,
      })),
    },
    human: rows.length
      ? table(
          ["pool", "cap", "finalized to hour", "received", "claimed", "to destination", "reserved"],
          rows.map(({ address, pool: p }) => [
            address.toBase58(),
            `${p.capBps} bps`,
            String(p.cursorHours),
            tokens(net, p.totalReceived),
            tokens(net, p.totalClaimed),
            tokens(net, p.totalToDestination + p.owedToDestination),
            tokens(net, p.reserved),
          ]),
        )
      : "no work pools: no market records work",
  };
}

/** The hour below which `pool`'s hours can be finalized now (as the program computes it). */
async function finalizableThrough(env: Env, p: emissionsSdk.WorkPool): Promise<bigint> {
  const [v, now] = await Promise.all([
    emissionsSdk.fetchEmissionVault(env.connection, p.emissionVault),
    env.now(),
  ]);
  return emissionsSdk.finalizableThrough(p, v, now);
}

/** Finalizes every hour each pool can, 24 per transaction, and pays the destinations. */
export async function crank(inv: Invocation) {
  const { env } = inv;
  const dryRun = flag(inv, "dry-run");
  const net = await env.network();
  const results: Array<Record<string, unknown>> = [];
  for (const address of await poolsOf(inv)) {
    let p = await poolAt(env, address);
    const through = await finalizableThrough(env, p);
    const from = p.started ? p.cursorHours : 0n;
    const row: Record<string, unknown> = { pool: address, fromHour: from, toHour: through };
    const signatures: string[] = [];
    let cursor = from;
    while (!dryRun && (cursor < through || (p.owedToDestination > 0n && signatures.length === 0))) {
      const left = through > cursor ? through - cursor : 0n;
      const hours = Number(left < 24n ? left : 24n);
      signatures.push(
        await env.send([
          work.crankWorkPool({
            mint: p.mint,
            poolId: p.poolId,
            tokenProgram: p.tokenProgram,
            emissionVault: p.emissionVault,
            destination: p.destination,
            fromHour: cursor,
            hours,
          }),
        ]),
      );
      p = await poolAt(env, address);
      if (hours === 0) break;
      cursor = p.cursorHours;
    }
    results.push({ ...row, signatures, totalToDestination: p.totalToDestination });
  }
  return {
    json: { results },
    human: results.length
      ? table(
          ["pool", "hours", "transactions", "to destination so far"],
          results.map((r) => [
            (r.pool as PublicKey).toBase58(),
            `${String(r.fromHour)}..${String(r.toHour)}`,
            dryRun ? "(dry run)" : String((r.signatures as string[]).length),
            tokens(net, r.totalToDestination as bigint),
          ]),
        )
      : "no work pools: no market records work",
  };
}

/**
 * Claims `owner`'s work rewards of every finalized hour in every pool the markets record in,
 * into `destination`; returns the total and the signatures.
 */
export async function claimAll(
  env: Env,
  owner: PublicKey,
  destination: PublicKey,
): Promise<{ amount: bigint; hours: number; signatures: string[] }> {
  let amount = 0n;
  let hours = 0;
  const signatures: string[] = [];
  for (const address of await marketPools(env)) {
    const p = await poolAt(env, address);
    const records = await work.listProviderWork(env.connection, address, owner);
    const due = [];
    for (const { account: r } of records) {
      const h = await work.fetchWorkHour(env.connection, work.workHourPda(address, r.hour));
      if (!h?.finalized) continue;
      due.push(r);
      amount += work.claimableFor(h, r.burned);
    }
    for (let i = 0; i < due.length; i += 6) {
      signatures.push(
        await env.send(
          due.slice(i, i + 6).map((r) =>
            work.claimWorkReward({
              mint: p.mint,
              poolId: p.poolId,
              tokenProgram: p.tokenProgram,
              claimer: env.me,
              provider: owner,
              providerToken: destination,
              rentPayer: r.rentPayer,
              hour: r.hour,
            }),
          ),
        ),
      );
    }
    hours += due.length;
  }
  return { amount, hours, signatures };
}
