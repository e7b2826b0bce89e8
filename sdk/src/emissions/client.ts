import { PublicKey, Signer, TransactionSignature } from "@solana/web3.js";

import { randomU64 } from "../common/amount";
import { ProgramClient } from "../common/client";
import type { PriorityFee } from "../common/compute-budget";
import type { AnchorProvider } from "../common/program";
import { payoutAccount } from "../common/token";
import { workRecorderPda } from "../market/pda";
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
import * as work from "./work";

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

  // --- work-rewards pools ---

  /**
   * Creates a work-rewards pool following vault `vaultId` of `mint` (which may not exist yet:
   * create the pool first to name its token account among the vault's recipients). The
   * recorder defaults to the market program's work recorder; `poolId` is random unless given.
   */
  async createWorkPool(p: {
    mint: PublicKey;
    vaultId: bigint;
    capBps: number;
    destination: PublicKey;
    poolId?: bigint;
    recorder?: PublicKey;
    tokenProgram?: PublicKey;
  }): Promise<{ signature: TransactionSignature; pool: PublicKey; tokenVault: PublicKey }> {
    const poolId = p.poolId ?? randomU64();
    const signature = await this.send([
      work.createWorkPool({
        ...p,
        poolId,
        creator: this.wallet,
        recorder: p.recorder ?? workRecorderPda(),
        programId: this.programId,
      }),
    ]);
    const pool = work.workPoolPda(p.mint, poolId, this.programId);
    return { signature, pool, tokenVault: work.workTokensPda(pool, this.programId) };
  }

  fetchWorkPool(address: PublicKey): Promise<work.WorkPool | null> {
    return work.fetchWorkPool(this.provider.connection, address, this);
  }

  private async workPool(address: PublicKey): Promise<work.WorkPool> {
    const pool = await this.fetchWorkPool(address);
    if (!pool) throw new Error(`no work pool at ${address.toBase58()}`);
    return pool;
  }

  /** The hour below which the pool's hours can be finalized now (what the program computes). */
  async workFinalizableThrough(pool: work.WorkPool): Promise<bigint> {
    const [v, now] = await Promise.all([
      this.fetchVault(pool.emissionVault),
      fetchUnixTimestamp(this.provider.connection),
    ]);
    return work.finalizableThrough(pool, v, now);
  }

  /**
   * Finalizes every hour of the pool that can be (transactions of up to 24 hours each, at
   * most `maxTransactions`) and pays its destination; returns the signatures (none when the
   * pool is caught up).
   */
  async crankWorkPool(
    address: PublicKey,
    o: { maxTransactions?: number } = {},
  ): Promise<TransactionSignature[]> {
    const signatures: TransactionSignature[] = [];
    const max = o.maxTransactions ?? 100;
    while (signatures.length < max) {
      const pool = await this.workPool(address);
      const through = await this.workFinalizableThrough(pool);
      const owed = pool.owedToDestination > 0n;
      // A pool that has not seen its vault yet starts at hour 0 once it does.
      const from = pool.started ? pool.cursorHours : 0n;
      if (from >= through && !(owed && signatures.length === 0)) break;
      const left = through > from ? through - from : 0n;
      const hours = Number(
        left < BigInt(work.MAX_HOURS_PER_CRANK) ? left : BigInt(work.MAX_HOURS_PER_CRANK),
      );
      signatures.push(
        await this.send([
          work.crankWorkPool({
            mint: pool.mint,
            poolId: pool.poolId,
            tokenProgram: pool.tokenProgram,
            emissionVault: pool.emissionVault,
            destination: pool.destination,
            fromHour: from,
            hours,
            programId: this.programId,
          }),
        ]),
      );
      if (hours === 0) break;
    }
    return signatures;
  }

  /**
   * Claims every finalized hour `provider` (the wallet by default) has a record of in the
   * pool, into `providerToken` (its associated token account by default, created if needed),
   * `perTransaction` hours at a time. Anyone may claim for a provider; the records' rent goes
   * back to whoever paid it. Returns the signatures, the hours claimed and the total paid.
   */
  async claimWorkRewards(p: {
    pool: PublicKey;
    provider?: PublicKey;
    providerToken?: PublicKey;
    perTransaction?: number;
  }): Promise<{ signatures: TransactionSignature[]; hours: bigint[]; amount: bigint }> {
    const pool = await this.workPool(p.pool);
    const provider = p.provider ?? this.wallet;
    const connection = this.provider.connection;
    const records = await work.listProviderWork(connection, p.pool, provider, this);
    const claimable: Array<{ record: work.ProviderWork; amount: bigint }> = [];
    for (const { account } of records.sort((a, b) => Number(a.account.hour - b.account.hour))) {
      const hour = await work.fetchWorkHour(
        connection,
        work.workHourPda(p.pool, account.hour, this.programId),
        this,
      );
      if (hour?.finalized)
        claimable.push({ record: account, amount: work.claimableFor(hour, account.burned) });
    }
    const out = await payoutAccount(connection, {
      payer: this.wallet,
      owner: provider,
      mint: pool.mint,
      tokenProgram: pool.tokenProgram,
      given: p.providerToken,
    });
    const per = p.perTransaction ?? 6;
    const signatures: TransactionSignature[] = [];
    for (let i = 0; i < claimable.length; i += per) {
      const batch = claimable.slice(i, i + per).map(({ record }) =>
        work.claimWorkReward({
          mint: pool.mint,
          poolId: pool.poolId,
          tokenProgram: pool.tokenProgram,
          claimer: this.wallet,
          provider,
          providerToken: out.account,
          rentPayer: record.rentPayer,
          hour: record.hour,
          programId: this.programId,
        }),
      );
      signatures.push(await this.send([...(i === 0 ? out.create : []), ...batch]));
    }
    return {
      signatures,
      hours: claimable.map((c) => c.record.hour),
      amount: claimable.reduce((sum, c) => sum + c.amount, 0n),
    };
  }

  /** Closes a fully claimed hour's record, its rent back to its payer (anyone may). */
  async closeWorkHour(p: { pool: PublicKey; hour: bigint }): Promise<TransactionSignature> {
    const record = await work.fetchWorkHour(
      this.provider.connection,
      work.workHourPda(p.pool, p.hour, this.programId),
      this,
    );
    if (!record) throw new Error(`no record of hour ${p.hour} in ${p.pool.toBase58()}`);
    return this.send([
      work.closeWorkHour({
        pool: p.pool,
        hour: p.hour,
        rentPayer: record.rentPayer,
        programId: this.programId,
      }),
    ]);
  }
}
