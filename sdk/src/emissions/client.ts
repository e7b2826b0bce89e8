import { PublicKey, Signer, TransactionSignature } from "@solana/web3.js";

import { randomU64 } from "../common/amount";
import { ProgramClient } from "../common/client";
import type { PriorityFee } from "../common/compute-budget";
import type { AnchorProvider } from "../common/program";
import {
  EmissionVault,
  fetchEmissionVault,
  fetchUnixTimestamp,
  listEmissionVaults,
  VaultFilter,
} from "./accounts";
import * as ix from "./instructions";
import { EmitPreview, MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS, previewEmit } from "./math";
import { vaultPda } from "./pda";
import { program } from "./program";

/** A random u64 vault id. */
export const randomVaultId = randomU64;

/**
 * High-level emissions client: fetches the vault an instruction needs (its mint, id, token
 * program and current recipients), builds, signs with the provider's wallet (plus any extra
 * signer), sends and confirms. Failures are thrown as `CrucibleError`s.
 * `new EmissionsClient(provider, { programId })` for a deployment at another address than the
 * IDL's.
 */
export class EmissionsClient extends ProgramClient {
  /** The Anchor `Program`, e.g. for `addEventListener`. */
  readonly program: ReturnType<typeof program.anchorProgram>;

  /** `programId`: for a deployment at another address than the IDL's; `computeUnitPrice`,
   * `maxPriorityFeeLamports`: the priority fee (`priorityFee`). */
  constructor(provider: AnchorProvider, o: { programId?: PublicKey } & PriorityFee = {}) {
    super(provider, o.programId ?? program.programId, { emissions: o.programId }, o);
    this.program = program.anchorProgram(provider, o.programId);
  }

  private async vault(address: PublicKey): Promise<EmissionVault> {
    const v = await this.fetchVault(address);
    if (!v) throw new Error(`no emission vault at ${address.toBase58()}`);
    return v;
  }

  /** The vault's key and the program, for the builders that only name the vault. */
  private key(v: EmissionVault): ix.VaultKey {
    return { mint: v.mint, vaultId: v.vaultId, programId: this.programId };
  }

  /** The vault's key and its mint's token program, for the builders that move tokens. */
  private ref(v: EmissionVault): ix.VaultRef {
    return { ...this.key(v), tokenProgram: v.tokenProgram };
  }

  private static payees(v: EmissionVault): PublicKey[] {
    return v.recipients.map((r) => r.tokenAccount);
  }

  /**
   * Creates a vault funded with its whole cap from `source`; the wallet becomes its authority.
   * `vaultId` is random unless given; `recipientsDelaySecs` defaults to 48 hours (the least a
   * non-revocable vault accepts).
   */
  async createVault(
    p: Omit<ix.CreateVaultParams, "authority" | "vaultId" | "recipientsDelaySecs"> & {
      vaultId?: bigint;
      recipientsDelaySecs?: number;
    },
  ): Promise<{ signature: TransactionSignature; vault: PublicKey; vaultId: bigint }> {
    const vaultId = p.vaultId ?? randomVaultId();
    const recipientsDelaySecs = p.recipientsDelaySecs ?? MIN_NON_REVOCABLE_RECIPIENTS_DELAY_SECS;
    const signature = await this.send([
      ix.createVault({
        ...p,
        vaultId,
        recipientsDelaySecs,
        authority: this.wallet,
        programId: this.programId,
      }),
    ]);
    return { signature, vault: vaultPda(p.mint, vaultId, this.programId), vaultId };
  }

  /** Pays every whole hour due (anyone may call it). */
  async emit(p: { vault: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([ix.emit({ ...this.ref(v), recipients: EmissionsClient.payees(v) })]);
  }

  /** Restores the token vault's balance from `source` (signed by `funder`, the wallet by default). */
  async fund(p: {
    vault: PublicKey;
    source: PublicKey;
    amount: bigint;
    funder?: Signer;
  }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    const funder = p.funder?.publicKey ?? this.wallet;
    return this.send(
      [ix.fund({ ...this.ref(v), funder, source: p.source, amount: p.amount })],
      p.funder,
    );
  }

  /** Replaces the recipients of a revocable vault at once (paying what is due to the current
   * ones first, paused or not). A non-revocable vault needs `proposeRecipients`. */
  async updateRecipients(p: {
    vault: PublicKey;
    recipients: ix.RecipientInput[];
  }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.updateRecipients({
        ...this.ref(v),
        authority: this.wallet,
        currentRecipients: EmissionsClient.payees(v),
        recipients: p.recipients,
      }),
    ]);
  }

  /** Proposes new recipients; they can be installed once the vault's delay has passed. */
  async proposeRecipients(p: {
    vault: PublicKey;
    recipients: ix.RecipientInput[];
  }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.proposeRecipients({
        authority: this.wallet,
        ...this.key(v),
        recipients: p.recipients,
      }),
    ]);
  }

  /** Withdraws the pending recipients proposal. */
  async cancelRecipientsProposal(p: { vault: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([ix.cancelRecipientsProposal({ authority: this.wallet, ...this.key(v) })]);
  }

  /** Installs the pending proposal once its delay has passed (anyone may call it), paying what
   * is due to the current recipients first; both lists of accounts are read from the vault. */
  async executeRecipientsProposal(p: { vault: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.executeRecipientsProposal({
        ...this.ref(v),
        executor: this.wallet,
        currentRecipients: EmissionsClient.payees(v),
        proposedRecipients: v.proposedRecipients.map((r) => r.tokenAccount),
      }),
    ]);
  }

  /**
   * Replaces recipient `index`'s token account (read from the vault) by `newTokenAccount`, an
   * account of the same owner and mint. Signed by `caller` (the wallet by default): the
   * recipient's owner at any time, anyone once the old account can no longer receive.
   */
  async replaceRecipientAccount(p: {
    vault: PublicKey;
    index: number;
    newTokenAccount: PublicKey;
    caller?: Signer;
  }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    const old = v.recipients[p.index];
    if (!old) throw new RangeError(`the vault has no recipient ${p.index}`);
    const caller = p.caller?.publicKey ?? this.wallet;
    return this.send(
      [
        ix.replaceRecipientAccount({
          caller,
          ...this.key(v),
          index: p.index,
          oldTokenAccount: old.tokenAccount,
          newTokenAccount: p.newTokenAccount,
        }),
      ],
      p.caller,
    );
  }

  async setPaused(p: { vault: PublicKey; paused: boolean }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([ix.setPaused({ authority: this.wallet, ...this.key(v), paused: p.paused })]);
  }

  /** Revokes a revocable vault: pays what is due, returns the rest to `destination`. */
  async revoke(p: { vault: PublicKey; destination: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.revoke({
        ...this.ref(v),
        authority: this.wallet,
        destination: p.destination,
        recipients: EmissionsClient.payees(v),
      }),
    ]);
  }

  /** Closes an ended vault: leftover tokens to `destination`, rents to the wallet. */
  async closeVault(p: { vault: PublicKey; destination: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.closeVault({
        ...this.ref(v),
        authority: this.wallet,
        destination: p.destination,
      }),
    ]);
  }

  async proposeAuthority(p: {
    vault: PublicKey;
    newAuthority: PublicKey;
  }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.proposeAuthority({
        authority: this.wallet,
        ...this.key(v),
        newAuthority: p.newAuthority,
      }),
    ]);
  }

  /** Accepts an authority transfer; `newAuthority` defaults to the wallet. */
  async acceptAuthority(p: {
    vault: PublicKey;
    newAuthority?: Signer;
  }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    const newAuthority = p.newAuthority?.publicKey ?? this.wallet;
    return this.send([ix.acceptAuthority({ newAuthority, ...this.key(v) })], p.newAuthority);
  }

  /** What `emit` would pay now (by the cluster's clock), computed off-chain exactly as the
   * program would. */
  async previewEmit(vault: PublicKey): Promise<EmitPreview> {
    const [v, now] = await Promise.all([
      this.vault(vault),
      fetchUnixTimestamp(this.provider.connection),
    ]);
    return previewEmit(v, now);
  }

  /** The vault at `address`, or `null`. */
  fetchVault(address: PublicKey): Promise<EmissionVault | null> {
    return fetchEmissionVault(this.provider.connection, address, this);
  }

  /** Vaults by mint and/or authority (server-side filtered). */
  listVaults(filter: VaultFilter = {}): ReturnType<typeof listEmissionVaults> {
    return listEmissionVaults(this.provider.connection, filter, this);
  }
}
