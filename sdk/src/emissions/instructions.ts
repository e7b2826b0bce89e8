// One builder per emissions instruction. Each returns a `TransactionInstruction` with every
// account explicit and needs no wallet; the recipients' token accounts are appended to the
// instruction's keys as the program expects its remaining accounts.
import { Idl } from "@coral-xyz/anchor";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { AccountMeta, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";

import idl from "./idl/crucible_emissions.json";
import { u64 } from "../common/amount";
import { IdlInstructionBuilder } from "../common/instruction";
import { tokenVaultPda, vaultPda } from "./pda";

const builder = new IdlInstructionBuilder(idl as Idl & { address: string });

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

function withRemaining(ix: TransactionInstruction, rest: AccountMeta[]): TransactionInstruction {
  ix.keys.push(...rest);
  return ix;
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

/** Which vault an instruction acts on: its mint and id (its address derives from them). */
export interface VaultRef {
  mint: PublicKey;
  vaultId: bigint;
  /** SPL Token (default) or Token-2022: the owner of `mint`. */
  tokenProgram?: PublicKey;
}

function vaultAccounts(v: VaultRef) {
  const vault = vaultPda(v.mint, v.vaultId);
  return {
    vault,
    mint: v.mint,
    tokenVault: tokenVaultPda(vault),
    tokenProgram: v.tokenProgram ?? TOKEN_PROGRAM_ID,
  };
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
  const a = vaultAccounts(p);
  const ix = builder.build(
    "createVault",
    {
      authority: p.authority,
      mint: a.mint,
      vault: a.vault,
      tokenVault: a.tokenVault,
      source: p.source,
      tokenProgram: a.tokenProgram,
      systemProgram: SystemProgram.programId,
    },
    {
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
  );
  return withRemaining(ix, readonly(p.recipients.map((r) => r.tokenAccount)));
}

/** `emit` (anyone): pays every whole hour due to `recipients`, the vault's current recipients'
 * token accounts in order. */
export function emit(p: VaultRef & { recipients: readonly PublicKey[] }): TransactionInstruction {
  const a = vaultAccounts(p);
  const ix = builder.build("emit", {
    vault: a.vault,
    mint: a.mint,
    tokenVault: a.tokenVault,
    tokenProgram: a.tokenProgram,
  });
  return withRemaining(ix, writable(p.recipients));
}

/** `fund` (anyone): restores the token vault's balance up to what the schedule still owes. */
export function fund(
  p: VaultRef & { funder: PublicKey; source: PublicKey; amount: bigint },
): TransactionInstruction {
  const a = vaultAccounts(p);
  return builder.build(
    "fund",
    {
      funder: p.funder,
      vault: a.vault,
      mint: a.mint,
      tokenVault: a.tokenVault,
      source: p.source,
      tokenProgram: a.tokenProgram,
    },
    { amount: u64(p.amount) },
  );
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
  const a = vaultAccounts(p);
  const ix = builder.build(
    "updateRecipients",
    {
      authority: p.authority,
      vault: a.vault,
      mint: a.mint,
      tokenVault: a.tokenVault,
      tokenProgram: a.tokenProgram,
    },
    { recipients: recipientsArg(p.recipients) },
  );
  return withRemaining(ix, [
    ...writable(p.currentRecipients),
    ...readonly(p.recipients.map((r) => r.tokenAccount)),
  ]);
}

/** `propose_recipients` (authority): stores `recipients` on the vault as a public proposal,
 * executable after the vault's `recipientsDelaySecs`; replaces any pending proposal. */
export function proposeRecipients(p: {
  authority: PublicKey;
  mint: PublicKey;
  vaultId: bigint;
  recipients: readonly RecipientInput[];
}): TransactionInstruction {
  const ix = builder.build(
    "proposeRecipients",
    { authority: p.authority, vault: vaultPda(p.mint, p.vaultId) },
    { recipients: recipientsArg(p.recipients) },
  );
  return withRemaining(ix, readonly(p.recipients.map((r) => r.tokenAccount)));
}

/** `cancel_recipients_proposal` (authority): withdraws the pending proposal. */
export function cancelRecipientsProposal(p: {
  authority: PublicKey;
  mint: PublicKey;
  vaultId: bigint;
}): TransactionInstruction {
  return builder.build("cancelRecipientsProposal", {
    authority: p.authority,
    vault: vaultPda(p.mint, p.vaultId),
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
  const a = vaultAccounts(p);
  const ix = builder.build("executeRecipientsProposal", {
    executor: p.executor,
    vault: a.vault,
    mint: a.mint,
    tokenVault: a.tokenVault,
    tokenProgram: a.tokenProgram,
  });
  return withRemaining(ix, [...writable(p.currentRecipients), ...readonly(p.proposedRecipients)]);
}

/** `replace_recipient_account`: recipient `index`'s token account `oldTokenAccount` becomes
 * `newTokenAccount` (same owner and mint, same share). `caller` is the recipient's owner, or
 * anyone once the old account can no longer receive (closed, frozen, memo-required). */
export function replaceRecipientAccount(p: {
  caller: PublicKey;
  mint: PublicKey;
  vaultId: bigint;
  index: number;
  oldTokenAccount: PublicKey;
  newTokenAccount: PublicKey;
}): TransactionInstruction {
  return builder.build(
    "replaceRecipientAccount",
    {
      caller: p.caller,
      vault: vaultPda(p.mint, p.vaultId),
      oldTokenAccount: p.oldTokenAccount,
      newTokenAccount: p.newTokenAccount,
    },
    { index: uint8(p.index, "index") },
  );
}

/** `set_paused` (authority). */
export function setPaused(p: {
  authority: PublicKey;
  mint: PublicKey;
  vaultId: bigint;
  paused: boolean;
}): TransactionInstruction {
  return builder.build(
    "setPaused",
    { authority: p.authority, vault: vaultPda(p.mint, p.vaultId) },
    { paused: p.paused },
  );
}

/** `revoke` (authority, revocable vaults): pays what is due to `recipients`, returns the rest
 * to `destination`. */
export function revoke(
  p: VaultRef & { authority: PublicKey; destination: PublicKey; recipients: readonly PublicKey[] },
): TransactionInstruction {
  const a = vaultAccounts(p);
  const ix = builder.build("revoke", {
    authority: p.authority,
    vault: a.vault,
    mint: a.mint,
    tokenVault: a.tokenVault,
    destination: p.destination,
    tokenProgram: a.tokenProgram,
  });
  return withRemaining(ix, writable(p.recipients));
}

/** `close_vault` (authority): closes an ended vault, leftover tokens to `destination`, rents
 * to the authority. */
export function closeVault(
  p: VaultRef & { authority: PublicKey; destination: PublicKey },
): TransactionInstruction {
  const a = vaultAccounts(p);
  return builder.build("closeVault", {
    authority: p.authority,
    vault: a.vault,
    mint: a.mint,
    tokenVault: a.tokenVault,
    destination: p.destination,
    tokenProgram: a.tokenProgram,
  });
}

/** `propose_authority` (authority): first step of an authority transfer. */
export function proposeAuthority(p: {
  authority: PublicKey;
  mint: PublicKey;
  vaultId: bigint;
  newAuthority: PublicKey;
}): TransactionInstruction {
  return builder.build(
    "proposeAuthority",
    { authority: p.authority, vault: vaultPda(p.mint, p.vaultId) },
    { newAuthority: p.newAuthority },
  );
}

/** `accept_authority`: completes the transfer, signed by the proposed authority. */
export function acceptAuthority(p: {
  newAuthority: PublicKey;
  mint: PublicKey;
  vaultId: bigint;
}): TransactionInstruction {
  return builder.build("acceptAuthority", {
    newAuthority: p.newAuthority,
    vault: vaultPda(p.mint, p.vaultId),
  });
}
