import { AnchorProvider, Idl, Program } from "@coral-xyz/anchor";
import { PublicKey, Signer, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import idl from "./idl/crucible_emissions.json";
import type { CrucibleEmissions } from "./idl/crucible_emissions";
import { sendInstructions } from "../common/send";
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

/** A random u64 vault id. */
export function randomVaultId(): bigint {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).readBigUInt64LE();
}

/**
 * High-level emissions client: fetches the vault an instruction needs (its mint, id, token
 * program and current recipients), builds, signs with the provider's wallet (plus any extra
 * signer), sends and confirms. Failures are thrown as `CrucibleError`s.
 */
export class EmissionsClient {
  /** The Anchor `Program`, e.g. for `addEventListener`. */
  readonly program: Program<CrucibleEmissions>;

  constructor(readonly provider: AnchorProvider) {
    this.program = new Program<CrucibleEmissions>(idl as Idl as CrucibleEmissions, provider);
  }

  private get wallet(): PublicKey {
    return this.provider.wallet.publicKey;
  }

  private send(
    instructions: TransactionInstruction[],
    signers: Signer[] = [],
  ): Promise<TransactionSignature> {
    return sendInstructions(this.provider, instructions, signers);
  }

  private async vault(address: PublicKey): Promise<EmissionVault> {
    const v = await this.fetchVault(address);
    if (!v) throw new Error(`no emission vault at ${address.toBase58()}`);
    return v;
  }

  private static ref(v: EmissionVault): ix.VaultRef {
    return { mint: v.mint, vaultId: v.vaultId, tokenProgram: v.tokenProgram };
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
      ix.createVault({ ...p, vaultId, recipientsDelaySecs, authority: this.wallet }),
    ]);
    return { signature, vault: vaultPda(p.mint, vaultId), vaultId };
  }

  /** Pays every whole hour due (anyone may call it). */
  async emit(p: { vault: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.emit({ ...EmissionsClient.ref(v), recipients: EmissionsClient.payees(v) }),
    ]);
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
      [ix.fund({ ...EmissionsClient.ref(v), funder, source: p.source, amount: p.amount })],
      p.funder ? [p.funder] : [],
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
        ...EmissionsClient.ref(v),
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
        mint: v.mint,
        vaultId: v.vaultId,
        recipients: p.recipients,
      }),
    ]);
  }

  /** Withdraws the pending recipients proposal. */
  async cancelRecipientsProposal(p: { vault: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.cancelRecipientsProposal({ authority: this.wallet, mint: v.mint, vaultId: v.vaultId }),
    ]);
  }

  /** Installs the pending proposal once its delay has passed (anyone may call it), paying what
   * is due to the current recipients first; both lists of accounts are read from the vault. */
  async executeRecipientsProposal(p: { vault: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.executeRecipientsProposal({
        ...EmissionsClient.ref(v),
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
          mint: v.mint,
          vaultId: v.vaultId,
          index: p.index,
          oldTokenAccount: old.tokenAccount,
          newTokenAccount: p.newTokenAccount,
        }),
      ],
      p.caller ? [p.caller] : [],
    );
  }

  async setPaused(p: { vault: PublicKey; paused: boolean }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.setPaused({ authority: this.wallet, mint: v.mint, vaultId: v.vaultId, paused: p.paused }),
    ]);
  }

  /** Revokes a revocable vault: pays what is due, returns the rest to `destination`. */
  async revoke(p: { vault: PublicKey; destination: PublicKey }): Promise<TransactionSignature> {
    const v = await this.vault(p.vault);
    return this.send([
      ix.revoke({
        ...EmissionsClient.ref(v),
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
        ...EmissionsClient.ref(v),
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
        mint: v.mint,
        vaultId: v.vaultId,
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
    return this.send(
      [ix.acceptAuthority({ newAuthority, mint: v.mint, vaultId: v.vaultId })],
      p.newAuthority ? [p.newAuthority] : [],
    );
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
    return fetchEmissionVault(this.provider.connection, address);
  }

  /** Vaults by mint and/or authority (server-side filtered). */
  listVaults(filter: VaultFilter = {}): ReturnType<typeof listEmissionVaults> {
    return listEmissionVaults(this.provider.connection, filter);
  }
}
