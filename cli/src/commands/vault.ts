// Emission vault commands: create, fund, list, the recipients proposal (propose, cancel,
// execute) and replacing a recipient's token account (the crank is in crank.ts).
import { PublicKey } from "@solana/web3.js";

import { emissions as emissionsSdk, staking as stakingSdk } from "../../../sdk/src";
import type { Env, Network } from "../env";
import { CliError, UsageError } from "../errors";
import { formatTime, table } from "../output";
import { formatDuration, parseBps, parsePubkey, parseRecipientsDelay, parseUint } from "../parse";
import { amountFlag, ev, flag, opt, required, tokens, txOutput } from "./common";
import type { Invocation } from "./types";

const ix = emissionsSdk.emissionsInstructions;

/** --vault: an id of the network mint's vault, or a vault address. */
export async function vaultByRef(
  env: Env,
  net: Network,
  ref: string,
): Promise<{ address: PublicKey; vault: emissionsSdk.EmissionVault }> {
  const address = /^\d+$/.test(ref)
    ? emissionsSdk.vaultPda(net.mint, parseUint(ref, "--vault"))
    : parsePubkey(ref, "--vault");
  const vault = await emissionsSdk.fetchEmissionVault(env.connection, address).catch(() => null);
  if (!vault)
    throw new CliError(`no emission vault ${ref} at ${address.toBase58()}`, "VaultNotFound");
  return { address, vault };
}

/** What `previewEmit`'s outcome means, for people. */
const OUTCOME: Record<string, string> = {
  pay: "due",
  ended: "ended",
  VaultPaused: "paused",
  NotStarted: "not started",
  NothingDue: "nothing due",
};

type RecipientSpec = { to: string; shareBps: number };

/** `--recipient stakingRewardVault=8000,treasury=2000,<token account>=...` */
function parseRecipients(text: string | undefined): RecipientSpec[] {
  const list = (text ?? "stakingRewardVault=10000").split(",").map((part) => {
    const m = /^([^=]+)=(\d+)$/.exec(part.trim());
    if (!m)
      throw new UsageError(
        `--recipient: "${part}" is not <to>=<bps> (to: stakingRewardVault, treasury or a token account)`,
        "InvalidRecipient",
      );
    if (m[1] !== "stakingRewardVault" && m[1] !== "treasury") parsePubkey(m[1], "--recipient");
    const shareBps = parseBps(m[2], "--recipient share");
    if (shareBps === 0)
      throw new UsageError(`--recipient: ${m[1]}'s share must be > 0`, "InvalidRecipient");
    return { to: m[1], shareBps };
  });
  if (list.length > emissionsSdk.MAX_RECIPIENTS)
    throw new UsageError(
      `--recipient: at most ${emissionsSdk.MAX_RECIPIENTS} recipients`,
      "InvalidRecipient",
    );
  const sum = list.reduce((a, r) => a + r.shareBps, 0);
  if (sum !== 10_000)
    throw new UsageError(`--recipient: shares sum to ${sum}, must be 10000`, "InvalidRecipient");
  if (new Set(list.map((r) => r.to)).size !== list.length)
    throw new UsageError("--recipient: a recipient appears twice", "InvalidRecipient");
  return list;
}

/** The token accounts `specs` name on network `net`. */
function resolveRecipients(net: Network, specs: RecipientSpec[]): emissionsSdk.RecipientInput[] {
  const rewardVault = stakingSdk.rewardVaultPda(net.pool);
  return specs.map((r) => ({
    tokenAccount:
      r.to === "stakingRewardVault"
        ? rewardVault
        : r.to === "treasury"
          ? net.config.treasury
          : new PublicKey(r.to),
    shareBps: r.shareBps,
  }));
}

const recipientPairs = (recipients: emissionsSdk.RecipientInput[]): Array<[string, string]> =>
  recipients.map((r, i): [string, string] => [
    `recipient ${i + 1}`,
    `${r.tokenAccount.toBase58()} (${r.shareBps} bps)`,
  ]);

/** --vault, checked before any network access. */
function vaultFlag(inv: Invocation): string {
  const ref = required(inv, "vault");
  if (!/^\d+$/.test(ref)) parsePubkey(ref, "--vault");
  return ref;
}

function parseStart(text: string): bigint {
  if (/^\d+$/.test(text)) return parseUint(text, "--start", (1n << 63n) - 1n);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UsageError(
      `--start: "${text}" is neither a unix time nor an ISO-8601 date`,
      "InvalidTime",
    );
  return BigInt(Math.floor(ms / 1000));
}

export async function create(inv: Invocation) {
  const { env } = inv;
  const vaultId = parseUint(opt(inv, "id"), "--id");
  const perHourOf = amountFlag(inv, "initial-per-hour")!;
  const capOf = amountFlag(inv, "cap")!;
  const decayBps = opt(inv, "decay-bps") ? parseBps(opt(inv, "decay-bps"), "--decay-bps") : 102;
  const periodHours = opt(inv, "period-hours")
    ? Number(parseUint(opt(inv, "period-hours"), "--period-hours", 0xffff_ffffn, 1n))
    : 730;
  const start = opt(inv, "start") ? parseStart(opt(inv, "start")!) : undefined;
  const specs = parseRecipients(opt(inv, "recipient"));
  const revocable = flag(inv, "revocable");
  const recipientsDelaySecs = parseRecipientsDelay(
    opt(inv, "recipients-delay") ?? "48h",
    "--recipients-delay",
    revocable,
  );
  const authority = env.me;
  const net = await env.network();
  const initialPerHour = perHourOf(net.decimals);
  const cap = capOf(net.decimals);
  const recipients = resolveRecipients(net, specs);
  const source = await env.sourceAccount(authority, opt(inv, "token-account"), cap);
  const vault = emissionsSdk.vaultPda(net.mint, vaultId);
  if (await env.connection.getAccountInfo(vault, "confirmed"))
    throw new CliError(`vault ${vaultId} exists already at ${vault.toBase58()}`, "VaultExists");
  const startTs = start ?? (await env.now());
  const signature = await env.send([
    ix.createVault({
      mint: net.mint,
      vaultId,
      tokenProgram: net.tokenProgram,
      authority,
      source,
      startTs,
      initialPerHour,
      decayBps,
      periodHours,
      cap,
      revocable,
      recipients,
      recipientsDelaySecs,
    }),
  ]);
  return txOutput(
    `created emission vault ${vaultId}`,
    signature,
    {
      vault,
      vaultId,
      tokenVault: emissionsSdk.tokenVaultPda(vault),
      startTs,
      initialPerHour,
      decayBps,
      periodHours,
      cap,
      revocable,
      recipients,
      recipientsDelaySecs,
    },
    [
      ["vault", vault.toBase58()],
      ["starts", formatTime(startTs)],
      ["per hour", `${tokens(net, initialPerHour)}, -${decayBps} bps every ${periodHours} h`],
      ["cap (funded now)", tokens(net, cap)],
      [
        "recipients change",
        revocable
          ? `at once (revocable), or by proposal after ${formatDuration(BigInt(recipientsDelaySecs))}`
          : `only by proposal, ${formatDuration(BigInt(recipientsDelaySecs))} after it is made`,
      ],
      ...recipientPairs(recipients),
    ],
  );
}

/** `vault propose-recipients` (authority): a public proposal, executable after the delay. */
export async function proposeRecipients(inv: Invocation) {
  const { env } = inv;
  const ref = vaultFlag(inv);
  const specs = parseRecipients(required(inv, "recipient"));
  const net = await env.network();
  const { address, vault } = await vaultByRef(env, net, ref);
  const recipients = resolveRecipients(net, specs);
  const signature = await env.send([
    ix.proposeRecipients({
      authority: env.me,
      mint: vault.mint,
      vaultId: vault.vaultId,
      recipients,
    }),
  ]);
  const e = await env.event(signature, "recipientsProposed");
  const executableAt = e
    ? (ev(e, "executableAt") as bigint)
    : (await env.now()) + BigInt(vault.recipientsDelaySecs);
  return txOutput(
    `proposed new recipients for vault ${vault.vaultId}; anyone can install them from ${formatTime(executableAt)}`,
    signature,
    { vault: address, vaultId: vault.vaultId, recipients, executableAt },
    [["executable at", formatTime(executableAt)], ...recipientPairs(recipients)],
  );
}

/** `vault cancel-proposal` (authority). */
export async function cancelProposal(inv: Invocation) {
  const { env } = inv;
  const ref = vaultFlag(inv);
  const net = await env.network();
  const { address, vault } = await vaultByRef(env, net, ref);
  const signature = await env.send([
    ix.cancelRecipientsProposal({ authority: env.me, mint: vault.mint, vaultId: vault.vaultId }),
  ]);
  return txOutput(
    `cancelled the recipients proposal of vault ${vault.vaultId}`,
    signature,
    { vault: address, vaultId: vault.vaultId, recipients: vault.proposedRecipients },
    recipientPairs(vault.proposedRecipients),
  );
}

/** `vault execute-proposal` (anyone, once the delay has passed). */
export async function executeProposal(inv: Invocation) {
  const { env } = inv;
  const ref = vaultFlag(inv);
  const net = await env.network();
  const { address, vault } = await vaultByRef(env, net, ref);
  const signature = await env.send([
    ix.executeRecipientsProposal({
      mint: vault.mint,
      vaultId: vault.vaultId,
      tokenProgram: vault.tokenProgram,
      executor: env.me,
      currentRecipients: vault.recipients.map((r) => r.tokenAccount),
      proposedRecipients: vault.proposedRecipients.map((r) => r.tokenAccount),
    }),
  ]);
  const paid = await env.event(signature, "emitted");
  const amount = paid ? (ev(paid, "amount") as bigint) : 0n;
  return txOutput(
    `installed the proposed recipients of vault ${vault.vaultId}`,
    signature,
    {
      vault: address,
      vaultId: vault.vaultId,
      oldRecipients: vault.recipients,
      recipients: vault.proposedRecipients,
      paidToOldRecipients: amount,
    },
    [
      ["paid to the old recipients first", tokens(net, amount)],
      ...recipientPairs(vault.proposedRecipients),
    ],
  );
}

/** `vault replace-recipient`: the recipient's owner, or anyone once its account cannot receive. */
export async function replaceRecipient(inv: Invocation) {
  const { env } = inv;
  const ref = vaultFlag(inv);
  const index = Number(parseUint(required(inv, "index"), "--index", 7n));
  const newAccount = parsePubkey(required(inv, "new-account"), "--new-account");
  const net = await env.network();
  const { address, vault } = await vaultByRef(env, net, ref);
  const old = vault.recipients[index];
  if (!old)
    throw new CliError(
      `vault ${vault.vaultId} has ${vault.recipients.length} recipients, no index ${index}`,
      "RecipientIndexOutOfRange",
    );
  const signature = await env.send([
    ix.replaceRecipientAccount({
      caller: env.me,
      mint: vault.mint,
      vaultId: vault.vaultId,
      index,
      oldTokenAccount: old.tokenAccount,
      newTokenAccount: newAccount,
    }),
  ]);
  return txOutput(
    `recipient ${index} of vault ${vault.vaultId} now receives at ${newAccount.toBase58()}`,
    signature,
    {
      vault: address,
      vaultId: vault.vaultId,
      index,
      oldTokenAccount: old.tokenAccount,
      newTokenAccount: newAccount,
      owner: vault.recipientOwners[index],
      shareBps: old.shareBps,
    },
    [
      ["old account", old.tokenAccount.toBase58()],
      ["new account", newAccount.toBase58()],
      ["owner", vault.recipientOwners[index].toBase58()],
      ["share", `${old.shareBps} bps`],
    ],
  );
}

export async function fund(inv: Invocation) {
  const { env } = inv;
  const ref = opt(inv, "vault");
  if (!ref) throw new UsageError("--vault is required", "MissingValue");
  if (!/^\d+$/.test(ref)) parsePubkey(ref, "--vault");
  const amountOf = amountFlag(inv, "amount")!;
  const funder = env.me;
  const net = await env.network();
  const amount = amountOf(net.decimals);
  const { address, vault } = await vaultByRef(env, net, ref);
  const source = await env.sourceAccount(funder, opt(inv, "token-account"), amount);
  const signature = await env.send([
    ix.fund({
      mint: vault.mint,
      vaultId: vault.vaultId,
      tokenProgram: vault.tokenProgram,
      funder,
      source,
      amount,
    }),
  ]);
  const balance = (await env.tokenAccount(vault.tokenVault))?.amount ?? 0n;
  return txOutput(
    `funded vault ${vault.vaultId} with ${tokens(net, amount)}`,
    signature,
    { vault: address, vaultId: vault.vaultId, amount, balance },
    [["vault balance", tokens(net, balance)]],
  );
}

export async function list(inv: Invocation) {
  const { env } = inv;
  const net = await env.network();
  const [vaults, now] = await Promise.all([
    emissionsSdk.listEmissionVaults(env.connection, { mint: net.mint }),
    env.now(),
  ]);
  const rows = vaults.map(({ address, account: v }) => {
    const preview = emissionsSdk.previewEmit(v, now);
    return { address, v, preview };
  });
  return {
    json: {
      now,
      decimals: net.decimals,
      vaults: rows.map(({ address, v, preview }) => ({
        address,
        vaultId: v.vaultId,
        authority: v.authority,
        startTs: v.startTs,
        initialPerHour: v.initialPerHour,
        decayBps: v.decayBps,
        periodHours: v.periodHours,
        cap: v.cap,
        totalEmitted: v.totalEmitted,
        emittedHours: v.emittedHours,
        paused: v.paused,
        revoked: v.revoked,
        revocable: v.revocable,
        recipients: v.recipients,
        recipientsDelaySecs: v.recipientsDelaySecs,
        proposal:
          v.proposedRecipientCount > 0
            ? { recipients: v.proposedRecipients, executableAt: v.proposalExecutableAt }
            : null,
        due: preview.outcome === "pay" ? preview.amount : 0n,
        outcome: preview.outcome,
      })),
    },
    human: rows.length
      ? table(
          ["id", "address", "emitted", "cap", "hours", "due now", "state"],
          rows.map(({ address, v, preview }) => [
            v.vaultId.toString(),
            address.toBase58(),
            tokens(net, v.totalEmitted),
            tokens(net, v.cap),
            v.emittedHours.toString(),
            tokens(net, preview.outcome === "pay" ? preview.amount : 0n),
            (v.revoked ? "revoked" : (OUTCOME[preview.outcome] ?? preview.outcome)) +
              (v.proposedRecipientCount > 0
                ? `; recipients proposal from ${formatTime(v.proposalExecutableAt)}`
                : ""),
          ]),
        )
      : "no emission vaults",
  };
}

/** `crank emit`: pays every due vault (or one), skipping those with nothing due. */
export async function emitDue(inv: Invocation) {
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
        ix.emit({
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
