// One builder per emissions instruction. Each returns a `TransactionInstruction` with every
// account explicit and needs no wallet; the recipients' token accounts are appended to the
// instruction's keys as the program expects its remaining accounts.
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { AccountMeta, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";

import { u64 } from "../common/amount";
import type { ProgramIdOption } from "../common/program";
import { tokenVaultPda, vaultPda } from "./pda";
import { program } from "./program";

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function i64(value: bigint, field: string): BN {
  if (typeof value !== "bigint" || value < I64_MIN || value > I64_MAX) {
    throw new RangeError(`${field} must be an i64 as a bigint, got ${String(value)}`);
  }
  return new BN(value.toString());
}

function uint(value: number, bits: 16 | 32, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${field} must be a u${bits}, got ${value}`);
  }
  return value;
}

function uint8(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new RangeError(`${field} must be a u8, got ${value}`);
  }
  return value;
}

const writable = (keys: readonly PublicKey[]): AccountMeta[] =>
  keys.map((pubkey) => ({ pubkey, isSigner: false, isWritable: true }));
const readonly = (keys: readonly PublicKey[]): AccountMeta[] =>
  keys.map((pubkey) => ({ pubkey, isSigner: false, isWritable: false }));

/** A recipient: a token account of the vault's mint and its share in basis points. */
export interface RecipientInput {
  tokenAccount: PublicKey;
  /** > 0; the shares of a vault sum to exactly 10 000. */
  shareBps: number;
}

/** A vault by its mint and id (its address derives from them). */
export interface VaultKey extends ProgramIdOption {
  mint: PublicKey;
  vaultId: bigint;
}

/** Which vault an instruction that moves tokens acts on, and the token program of its mint. */
export interface VaultRef extends VaultKey {
  /** SPL Token (default) or Token-2022: the owner of `mint`. */
  tokenProgram?: PublicKey;
}

/** The vault, its mint, its token account and the token program. */
function vaultAccounts(v: VaultRef) {
  const vault = vaultPda(v.mint, v.vaultId, v.programId);
  return {
    vault,
    mint: v.mint,
    tokenVault: tokenVaultPda(vault, v.programId),
    tokenProgram: v.tokenProgram ?? TOKEN_PROGRAM_ID,
  };
}

/** The authority's instructions that only name the vault. */
function authorityAccounts(p: VaultKey & { authority: PublicKey }) {
  return { authority: p.authority, vault: vaultPda(p.mint, p.vaultId, p.programId) };
}

const recipientsArg = (recipients: readonly RecipientInput[]) =>
  recipients.map((r, i) => ({
    tokenAccount: r.tokenAccount,
    shareBps: uint(r.shareBps, 16, `recipients[${i}].shareBps`),
  }));

export interface CreateVaultParams extends VaultRef {
  /** Becomes the vault authority; pays the rent and signs for `source`. */
  authority: PublicKey;
  /** The authority's token account of `mint`; the whole `cap` is transferred from it. */
  source: PublicKey;
  /** Unix time at which hour 0 starts (at most a day ago, ten years ahead). */
  startTs: bigint;
  /** Base units emitted in each hour of the first period (> 0). */
  initialPerHour: bigint;
  /** Decay per period in basis points (0 to 10 000). */
  decayBps: number;
  /** Hours per decay period (> 0). */
  periodHours: number;
  /** Most the vault will ever emit (> 0). */
  cap: bigint;
  /** Whether the authority may revoke the vault; fixed for its lifetime. */
  revocable: boolean;
  /** 1 to 8 recipients, shares summing to 10 000 bps. */
  recipients: readonly RecipientInput[];
  /** Seconds between `propose_recipients` and the earliest `execute_recipients_proposal`,
   * fixed for the vault's lifetime: at least 48 h (`MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS`)
   * for a non-revocable vault, at most 30 days (`MAX_RECIPIENTS_DELAY_SECS`). */
  recipientsDelaySecs: number;
}

/** `create_vault`: creates the vault and funds it with its whole cap. */
export function createVault(p: CreateVaultParams): TransactionInstruction {
  return program.instruction("createVault", {
    programId: p.programId,
    accounts: {
      ...vaultAccounts(p),
      authority: p.authority,
      source: p.source,
      systemProgram: SystemProgram.programId,
    },
    args: {
      args: {
        vaultId: u64(p.vaultId, "vaultId"),
        startTs: i64(p.startTs, "startTs"),
        initialPerHour: u64(p.initialPerHour, "initialPerHour"),
        decayBps: uint(p.decayBps, 16, "decayBps"),
        periodHours: uint(p.periodHours, 32, "periodHours"),
        cap: u64(p.cap, "cap"),
        revocable: p.revocable,
        recipients: recipientsArg(p.recipients),
        recipientsDelaySecs: uint(p.recipientsDelaySecs, 32, "recipientsDelaySecs"),
      },
    },
    remaining: readonly(p.recipients.map((r) => r.tokenAccount)),
  });
}

/** `emit` (anyone): pays every whole hour due to `recipients`, the vault's current recipients'
 * token accounts in order. */
export function emit(p: VaultRef & { recipients: readonly PublicKey[] }): TransactionInstruction {
  return program.instruction("emit", {
    programId: p.programId,
    accounts: vaultAccounts(p),
    remaining: writable(p.recipients),
  });
}

/** `fund` (anyone): restores the token vault's balance up to what the schedule still owes. */
export function fund(
  p: VaultRef & { funder: PublicKey; source: PublicKey; amount: bigint },
): TransactionInstruction {
  return program.instruction("fund", {
    programId: p.programId,
    accounts: { ...vaultAccounts(p), funder: p.funder, source: p.source },
    args: { amount: u64(p.amount) },
  });
}

/** `update_recipients` (authority, revocable vaults only): pays what is due to
 * `currentRecipients` (the vault's recipients' token accounts, in order), paused or not, then
 * installs `recipients`. A non-revocable vault refuses it (`RecipientsChangeNeedsProposal`). */
export function updateRecipients(
  p: VaultRef & {
    authority: PublicKey;
    currentRecipients: readonly PublicKey[];
    recipients: readonly RecipientInput[];
  },
): TransactionInstruction {
  return program.instruction("updateRecipients", {
    programId: p.programId,
    accounts: { ...vaultAccounts(p), authority: p.authority },
    args: { recipients: recipientsArg(p.recipients) },
    remaining: [
      ...writable(p.currentRecipients),
      ...readonly(p.recipients.map((r) => r.tokenAccount)),
    ],
  });
}

/** `propose_recipients` (authority): stores `recipients` on the vault as a public proposal,
 * executable after the vault's `recipientsDelaySecs`; replaces any pending proposal. */
export function proposeRecipients(
  p: VaultKey & { authority: PublicKey; recipients: readonly RecipientInput[] },
): TransactionInstruction {
  return program.instruction("proposeRecipients", {
    programId: p.programId,
    accounts: authorityAccounts(p),
    args: { recipients: recipientsArg(p.recipients) },
    remaining: readonly(p.recipients.map((r) => r.tokenAccount)),
  });
}

/** `cancel_recipients_proposal` (authority): withdraws the pending proposal. */
export function cancelRecipientsProposal(
  p: VaultKey & { authority: PublicKey },
): TransactionInstruction {
  return program.instruction("cancelRecipientsProposal", {
    programId: p.programId,
    accounts: authorityAccounts(p),
  });
}

/** `execute_recipients_proposal` (anyone, once the proposal's `executableAt` has passed): pays
 * what is due to `currentRecipients` (in order), paused or not, then installs the proposal,
 * whose token accounts are `proposedRecipients` (in the proposal's order). */
export function executeRecipientsProposal(
  p: VaultRef & {
    executor: PublicKey;
    currentRecipients: readonly PublicKey[];
    proposedRecipients: readonly PublicKey[];
  },
): TransactionInstruction {
  return program.instruction("executeRecipientsProposal", {
    programId: p.programId,
    accounts: { ...vaultAccounts(p), executor: p.executor },
    remaining: [...writable(p.currentRecipients), ...readonly(p.proposedRecipients)],
  });
}

/** `replace_recipient_account`: recipient `index`'s token account `oldTokenAccount` becomes
 * `newTokenAccount` (same owner and mint, same share). `caller` is the recipient's owner, or
 * anyone once the old account can no longer receive (closed, frozen, memo-required). */
export function replaceRecipientAccount(
  p: VaultKey & {
    caller: PublicKey;
    index: number;
    oldTokenAccount: PublicKey;
    newTokenAccount: PublicKey;
  },
): TransactionInstruction {
  return program.instruction("replaceRecipientAccount", {
    programId: p.programId,
    accounts: {
      caller: p.caller,
      vault: vaultPda(p.mint, p.vaultId, p.programId),
      oldTokenAccount: p.oldTokenAccount,
      newTokenAccount: p.newTokenAccount,
    },
    args: { index: uint8(p.index, "index") },
  });
}

/** `set_paused` (authority). */
export function setPaused(
  p: VaultKey & { authority: PublicKey; paused: boolean },
): TransactionInstruction {
  return program.instruction("setPaused", {
    programId: p.programId,
    accounts: authorityAccounts(p),
    args: { paused: p.paused },
  });
}

/** `revoke` (authority, revocable vaults): pays what is due to `recipients`, returns the rest
 * to `destination`. */
export function revoke(
  p: VaultRef & { authority: PublicKey; destination: PublicKey; recipients: readonly PublicKey[] },
): TransactionInstruction {
  return program.instruction("revoke", {
    programId: p.programId,
    accounts: { ...vaultAccounts(p), authority: p.authority, destination: p.destination },
    remaining: writable(p.recipients),
  });
}

/** `close_vault` (authority): closes an ended vault, leftover tokens to `destination`, rents
 * to the authority. */
export function closeVault(
  p: VaultRef & { authority: PublicKey; destination: PublicKey },
): TransactionInstruction {
  return program.instruction("closeVault", {
    programId: p.programId,
    accounts: { ...vaultAccounts(p), authority: p.authority, destination: p.destination },
  });
}

/** `propose_authority` (authority): first step of an authority transfer. */
export function proposeAuthority(
  p: VaultKey & { authority: PublicKey; newAuthority: PublicKey },
): TransactionInstruction {
  return program.instruction("proposeAuthority", {
    programId: p.programId,
    accounts: authorityAccounts(p),
    args: { newAuthority: p.newAuthority },
  });
}

/** `accept_authority`: completes the transfer, signed by the proposed authority. */
export function acceptAuthority(p: VaultKey & { newAuthority: PublicKey }): TransactionInstruction {
  return program.instruction("acceptAuthority", {
    programId: p.programId,
    accounts: { newAuthority: p.newAuthority, vault: vaultPda(p.mint, p.vaultId, p.programId) },
  });
}
