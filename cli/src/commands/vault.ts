// Emission vault commands: create, fund, list, the recipients proposal (propose, cancel,
// execute) and replacing a recipient's token account (the crank is in crank.ts, the flags'
// parsing in vault-args.ts).
import { emissions as emissionsSdk } from "../../../sdk/src";
import { CliError } from "../errors";
import { formatTime, table } from "../output";
import { formatDuration, parseBps, parsePubkey, parseRecipientsDelay, parseUint } from "../parse";
import { amountFlag, ev, flag, opt, required, tokens, txOutput } from "./common";
import type { Invocation } from "./types";
import {
  OUTCOME,
  parseRecipients,
  parseStart,
  recipientPairs,
  resolveRecipients,
  vaultByRef,
  vaultFlag,
} from "./vault-args";

const ix = emissionsSdk.instructions;

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
  const terms = {
    startTs,
    initialPerHour,
    decayBps,
    periodHours,
    cap,
    revocable,
    recipients,
    recipientsDelaySecs,
  };
  const signature = await env.send([
    ix.createVault({
      mint: net.mint,
      vaultId,
      tokenProgram: net.tokenProgram,
      authority,
      source,
      ...terms,
    }),
  ]);
  return txOutput(
    `created emission vault ${vaultId}`,
    signature,
    {
      vault,
      vaultId,
      tokenVault: emissionsSdk.tokenVaultPda(vault),
      ...terms,
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
  const ref = vaultFlag(inv);
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
