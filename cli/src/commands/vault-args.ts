// What the emission vault commands read from their flags (--vault, --recipient, --start) and
// how they show a vault's recipients and what `emit` would do.
import { PublicKey } from "@solana/web3.js";

import { emissions as emissionsSdk, staking as stakingSdk } from "../../../sdk/src";
import type { Env, Network } from "../env";
import { CliError, UsageError } from "../errors";
import { parseBps, parsePubkey, parseUint } from "../parse";
import { required } from "./common";
import type { Invocation } from "./types";

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
export const OUTCOME: Record<string, string> = {
  pay: "due",
  ended: "ended",
  VaultPaused: "paused",
  NotStarted: "not started",
  NothingDue: "nothing due",
};

export type RecipientSpec = { to: string; shareBps: number };

/** `--recipient stakingRewardVault=8000,treasury=2000,<token account>=...` */
export function parseRecipients(text: string | undefined): RecipientSpec[] {
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
export function resolveRecipients(
  net: Network,
  specs: RecipientSpec[],
): emissionsSdk.RecipientInput[] {
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

export const recipientPairs = (
  recipients: emissionsSdk.RecipientInput[],
): Array<[string, string]> =>
  recipients.map((r, i): [string, string] => [
    `recipient ${i + 1}`,
    `${r.tokenAccount.toBase58()} (${r.shareBps} bps)`,
  ]);

/** --vault, checked before any network access. */
export function vaultFlag(inv: Invocation): string {
  const ref = required(inv, "vault");
  if (!/^\d+$/.test(ref)) parsePubkey(ref, "--vault");
  return ref;
}

export function parseStart(text: string): bigint {
  if (/^\d+$/.test(text)) return parseUint(text, "--start", (1n << 63n) - 1n);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UsageError(
      `--start: "${text}" is neither a unix time nor an ISO-8601 date`,
      "InvalidTime",
    );
  return BigInt(Math.floor(ms / 1000));
}
