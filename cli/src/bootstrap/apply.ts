// Applying a plan: refused as a whole when the plan has problems (then nothing is sent), else
// one transaction per item, in order; a second run finds everything and sends nothing.
import { AnchorProvider } from "@coral-xyz/anchor";
import { PublicKey, Transaction } from "@solana/web3.js";

import { CRUCIBLE_ERRORS, translateError, withComputeBudget } from "../../../sdk/src";
import { CliError } from "../errors";
import type { BootstrapConfig } from "./config";
import type { BootstrapOptions, Change } from "./context";
import { plan } from "./plan";

export interface ReportItem {
  item: string;
  address: PublicKey;
  status: "created" | "updated" | "nothing to do" | "differs" | "would create" | "would update";
  changes: Change[];
  signature?: string;
  note?: string;
}

export interface Report {
  admin: PublicKey;
  mint: PublicKey;
  items: ReportItem[];
  /** Every transaction sent, in order (none on a second run). */
  signatures: string[];
  nothingToDo: boolean;
  dryRun: boolean;
}

/**
 * Bootstraps the network from a validated config: plans, refuses when the plan has problems
 * (then nothing is sent), else creates and updates what the plan says, one transaction per
 * item, in order, and reports what it did.
 */
export async function bootstrap(
  provider: AnchorProvider,
  cfg: BootstrapConfig,
  o: BootstrapOptions = {},
): Promise<Report> {
  const log = o.log ?? (() => undefined);
  const p = await plan(provider, cfg, o);
  if (p.refusals.length)
    throw new CliError(
      `the chain differs from the config, nothing sent: ${p.refusals.join("; ")}`,
      "ConfigMismatch",
    );
  const items: ReportItem[] = [];
  const signatures: string[] = [];
  for (const item of p.items) {
    const base = { item: item.item, address: item.address, changes: item.changes, note: item.note };
    if (item.status === "nothing to do" || item.status === "differs") {
      log(`${item.item}: nothing to do`);
      items.push({ ...base, status: "nothing to do" });
      continue;
    }
    if (o.dryRun) {
      log(`${item.item}: would ${item.status}`);
      items.push({ ...base, status: item.status === "create" ? "would create" : "would update" });
      continue;
    }
    const { instructions, signers } = await item.build!();
    let signature: string;
    try {
      const tx = new Transaction().add(...withComputeBudget(instructions, o.priorityFee));
      signature = await provider.sendAndConfirm(tx, signers, { commitment: "confirmed" });
    } catch (err) {
      const e = translateError(err, CRUCIBLE_ERRORS);
      throw new CliError(`${item.item}: ${e.message}`, e.name, e.code);
    }
    signatures.push(signature);
    const status = item.status === "create" ? "created" : "updated";
    log(`${item.item}: ${status} ${item.address.toBase58()} (${signature})`);
    items.push({ ...base, status, signature });
  }
  return {
    admin: p.admin,
    mint: p.mint,
    items,
    signatures,
    nothingToDo: items.every((i) => i.status === "nothing to do"),
    dryRun: o.dryRun === true,
  };
}
