// Emission vault helpers shared by the emissions suites: a small schedule, a vault of an
// `EmissionsWorld` with overridable defaults, balances and the expected split.
import { PublicKey } from "@solana/web3.js";

import { emissions } from "../../sdk/src";
import { chainTime, EmissionsWorld, tokenBalance } from "./fixtures";

export const HOUR = 3_600;
/** The fixtures' default shares: 50/30/20 %. */
export const SHARES = [5_000, 3_000, 2_000];

/** 1,000 an hour, −10 % every 4 hours, cap 1,000,000. */
export const SMALL: emissions.Schedule = {
  initialPerHour: 1_000n,
  decayBps: 1_000,
  periodHours: 4,
  cap: 1_000_000n,
};

export interface VaultOptions {
  schedule?: emissions.Schedule;
  shares?: number[];
  recipients?: PublicKey[];
  revocable?: boolean;
  startTs?: bigint;
  /** Default: 48 hours, the least a non-revocable vault accepts. */
  recipientsDelaySecs?: number;
}

/** A vault of `w` (revocable unless told otherwise) starting now (chain time) unless told
 * otherwise, paying `w.recipients` 50/30/20 %. */
export async function newVault(
  w: EmissionsWorld,
  o: VaultOptions = {},
): Promise<{ vault: PublicKey; vaultId: bigint; signature: string; startTs: bigint }> {
  const schedule = o.schedule ?? SMALL;
  const shares = o.shares ?? SHARES;
  const recipients = o.recipients ?? w.recipients;
  const startTs = o.startTs ?? (await chainTime(w.provider));
  const created = await w.client.createVault({
    mint: w.mint,
    source: w.source,
    startTs,
    ...schedule,
    revocable: o.revocable ?? true,
    recipients: shares.map((shareBps, i) => ({ tokenAccount: recipients[i], shareBps })),
    recipientsDelaySecs: o.recipientsDelaySecs,
  });
  return { ...created, startTs };
}

/** The token balances of `accounts`, in order. */
export const balances = (w: EmissionsWorld, accounts: PublicKey[]) =>
  Promise.all(accounts.map((a) => tokenBalance(w.provider, a)));

/** floor(total · share / 10 000) per share; the dust to the last when `settled`. */
export function owedTo(shares: number[], total: bigint, settled = false): bigint[] {
  const out = shares.map((s) => (total * BigInt(s)) / 10_000n);
  if (settled) out[out.length - 1] += total - out.reduce((a, b) => a + b, 0n);
  return out;
}
