// What every planner shares: the plan's vocabulary (items, their status, the differences
// found) and the planning context, read once from the chain and the config and passed from
// planner to planner (cli/src/bootstrap/plan.ts runs them in order).
import {
  AccountInfo,
  Connection,
  PublicKey,
  Signer,
  TransactionInstruction,
} from "@solana/web3.js";

import { market as marketSdk, PriorityFee } from "../../../sdk/src";
import type { BootstrapConfig } from "./config";

export type ItemStatus = "create" | "update" | "nothing to do" | "differs";

export interface Change {
  field: string;
  chain: string;
  config: string;
  /** Whether an instruction can bring the chain to the config (with --update). */
  updatable: boolean;
}

export interface PlanItem {
  item: string;
  address: PublicKey;
  status: ItemStatus;
  changes: Change[];
  /** Why, when there is something to say. */
  note?: string;
  /** The transaction that creates or updates the item; built when applied. */
  build?: () => Promise<{ instructions: TransactionInstruction[]; signers: Signer[] }>;
}

export interface Plan {
  admin: PublicKey;
  mint: PublicKey;
  items: PlanItem[];
  /** Problems that stop the plan whatever the flags (not the admin, immutable differences). */
  refusals: string[];
}

export interface BootstrapOptions {
  /** Apply updates to items that exist with other parameters. */
  update?: boolean;
  /** Plan only. */
  dryRun?: boolean;
  /** Progress lines (e.g. console.error). */
  log?: (line: string) => void;
  /** The priority fee of each transaction (every one carries its compute-unit limit). */
  priorityFee?: PriorityFee;
}

/** What the planners share: the chain, the wallet, the config, and the refusals so far. */
export interface PlanContext {
  connection: Connection;
  /** The wallet: the admin and authority of whatever the bootstrap creates. */
  admin: PublicKey;
  cfg: BootstrapConfig;
  /** --update: bring what differs to the config where an instruction can. */
  update: boolean;
  /** Problems that stop the plan (appended to by every planner, in order). */
  refusals: string[];
  /** The market config PDA and its account, if the network exists (it names the mint). */
  configAddress: PublicKey;
  existingConfig: marketSdk.MarketConfig | null;
}

/** The context once the mint is known (planMint). */
export interface MintContext extends PlanContext {
  mint: PublicKey;
  /** The mint's account, null when the bootstrap is to create it. */
  mintInfo: AccountInfo<Buffer> | null;
  tokenProgram: PublicKey;
  /** The size of a token account of this mint (its extensions included). */
  tokenAccountSize: number;
  isMintAuthority: boolean;
  /** The associated token account of `owner` for the mint. */
  ata(owner: PublicKey): PublicKey;
}

const str = (v: unknown) =>
  v instanceof PublicKey ? v.toBase58() : typeof v === "bigint" ? v.toString() : String(v);

export function diff(
  field: string,
  chain: unknown,
  config: unknown,
  updatable: boolean,
  out: Change[],
): void {
  if (str(chain) !== str(config))
    out.push({ field, chain: str(chain), config: str(config), updatable });
}

export function statusOf(changes: Change[], update: boolean): ItemStatus {
  if (changes.length === 0) return "nothing to do";
  if (update && changes.every((c) => c.updatable)) return "update";
  return "differs";
}

/** An item's transaction: these instructions, signed by the wallet alone. */
export function walletTx(...instructions: TransactionInstruction[]): {
  instructions: TransactionInstruction[];
  signers: Signer[];
} {
  return { instructions, signers: [] };
}
