import { AnchorProvider, Idl, Program } from "@coral-xyz/anchor";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import { PublicKey, Signer, TransactionInstruction, TransactionSignature } from "@solana/web3.js";

import idl from "./idl/crucible_market.json";
import type { CrucibleMarket } from "./idl/crucible_market";
import { sendInstructions } from "../common/send";
import {
  fetchJob,
  fetchMarket,
  fetchMarketConfig,
  Job,
  JobFilter,
  listJobs,
  listMarkets,
  Market,
  MarketConfig,
  MarketParams,
} from "./accounts";
import * as ix from "./instructions";
import { configPda, jobPda } from "./pda";

/** A new job's terms, for `createJob` / `createJobs`. */
export interface JobTerms {
  price: bigint;
  durationSecs: bigint;
  specHash?: Uint8Array | number[];
  targetProvider?: PublicKey;
  /** Part of the job's address; random when omitted. */
  nonce?: bigint;
}

/** A random u64 nonce. */
export function randomNonce(): bigint {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).readBigUInt64LE();
}

/**
 * High-level market client: fetches what a transition needs (job, market, config), builds,
 * signs with the provider's wallet (plus an optional signer acting as client, provider or
 * arbiter), sends and confirms. Failures are thrown as `CrucibleError`s. Payouts default to
 * the recipients' associated token accounts (created in the same transaction when missing, the
 * wallet paying the rent, so a closed account never blocks a settlement); pass
 * `providerToken` / `clientToken` otherwise.
 */
export class MarketClient {
  /** The Anchor `Program`, e.g. for `addEventListener`. */
  readonly program: Program<CrucibleMarket>;
  private readonly contexts = new Map<string, Promise<ix.MarketContext>>();

  constructor(readonly provider: AnchorProvider) {
    this.program = new Program<CrucibleMarket>(idl as Idl as CrucibleMarket, provider);
  }

  private get wallet(): PublicKey {
    return this.provider.wallet.publicKey;
  }

  private send(
    instructions: TransactionInstruction[],
    signer?: Signer,
  ): Promise<TransactionSignature> {
    return sendInstructions(this.provider, instructions, signer ? [signer] : []);
  }

  private ata(owner: PublicKey, ctx: ix.MarketContext): PublicKey {
    return getAssociatedTokenAddressSync(ctx.mint, owner, true, ctx.tokenProgram);
  }

  /**
   * Where a payout to `owner` goes: `given`, or `owner`'s associated token account, with the
   * instruction that creates it first when it does not exist (anyone may create a token
   * account for anyone: the program checks the owner and the mint, not an address).
   */
  private async payout(
    owner: PublicKey,
    ctx: ix.MarketContext,
    given?: PublicKey,
  ): Promise<{ account: PublicKey; create: TransactionInstruction[] }> {
    if (given) return { account: given, create: [] };
    const account = this.ata(owner, ctx);
    const info = await this.provider.connection.getAccountInfo(account, "confirmed");
    if (info) return { account, create: [] };
    const create = createAssociatedTokenAccountIdempotentInstruction(
      this.wallet,
      account,
      owner,
      ctx.mint,
      ctx.tokenProgram,
    );
    return { account, create: [create] };
  }

  private async tokenProgramOf(mint: PublicKey): Promise<PublicKey> {
    const info = await this.provider.connection.getAccountInfo(mint, "confirmed");
    if (!info) throw new Error(`no mint at ${mint.toBase58()}`);
    return info.owner;
  }

  /**
   * The accounts a job instruction of `market` names. The market's mint, token program and
   * staking pool never change and are fetched once per client; the fee vault is read from the
   * config.
   */
  async context(market: PublicKey): Promise<ix.MarketContext> {
    const key = market.toBase58();
    let fixed = this.contexts.get(key);
    if (!fixed) {
      fixed = (async () => {
        const m = await this.fetchMarket(market);
        if (!m) throw new Error(`no market at ${key}`);
        return {
          market,
          mint: m.mint,
          tokenProgram: m.tokenProgram,
          stakingPool: m.stakingPool,
          feeVault: PublicKey.default,
        };
      })();
      fixed.catch(() => this.contexts.delete(key));
      this.contexts.set(key, fixed);
    }
    const [ctx, config] = await Promise.all([fixed, this.fetchConfig()]);
    if (!config) throw new Error("the market config is not initialized");
    return { ...ctx, feeVault: config.feeVault };
  }

  private async jobAndContext(job: PublicKey): Promise<{ j: Job; ctx: ix.MarketContext }> {
    const j = await this.fetchJob(job);
    if (!j) throw new Error(`no job at ${job.toBase58()} (settled jobs are closed)`);
    return { j, ctx: await this.context(j.market) };
  }

  // --- admin ---

  /** Creates the config and its fee vault; the wallet must be the mint authority. */
  async initConfig(p: { mint: PublicKey; treasury: PublicKey }): Promise<TransactionSignature> {
    const tokenProgram = await this.tokenProgramOf(p.mint);
    return this.send([ix.initConfig({ ...p, tokenProgram, admin: this.wallet })]);
  }

  /** Moves the fee vault's balance to the config's treasury (anyone may; the wallet pays). */
  async sweepFees(): Promise<TransactionSignature> {
    const config = await this.fetchConfig();
    if (!config) throw new Error("the market config is not initialized");
    const tokenProgram = await this.tokenProgramOf(config.mint);
    return this.send([
      ix.sweepFees({
        cranker: this.wallet,
        treasury: config.treasury,
        mint: config.mint,
        tokenProgram,
      }),
    ]);
  }

  async createMarket(p: Omit<ix.CreateMarketParams, "admin">): Promise<TransactionSignature> {
    return this.send([ix.createMarket({ ...p, admin: this.wallet })]);
  }

  async updateMarket(p: {
    market: PublicKey;
    params: MarketParams;
    arbiter: PublicKey;
  }): Promise<TransactionSignature> {
    return this.send([ix.updateMarket({ ...p, admin: this.wallet })]);
  }

  async setMarketPaused(p: { market: PublicKey; paused: boolean }): Promise<TransactionSignature> {
    return this.send([ix.setMarketPaused({ ...p, admin: this.wallet })]);
  }

  async proposeAdmin(p: { newAdmin: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.proposeAdmin({ ...p, admin: this.wallet })]);
  }

  async acceptAdmin(p: { newAdmin?: Signer } = {}): Promise<TransactionSignature> {
    return this.send(
      [ix.acceptAdmin({ newAdmin: p.newAdmin?.publicKey ?? this.wallet })],
      p.newAdmin,
    );
  }

  async setTreasury(p: { newTreasury: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.setTreasury({ ...p, admin: this.wallet })]);
  }

  // --- clients ---

  /** Posts one job; returns its address. `client` defaults to the wallet. */
  async createJob(
    p: JobTerms & { market: PublicKey; clientToken?: PublicKey; client?: Signer },
  ): Promise<{ signature: TransactionSignature; job: PublicKey }> {
    const { price, durationSecs, specHash, targetProvider, nonce } = p;
    const { signature, jobs } = await this.createJobs({
      market: p.market,
      clientToken: p.clientToken,
      client: p.client,
      jobs: [{ price, durationSecs, specHash, targetProvider, nonce }],
    });
    return { signature, job: jobs[0] };
  }

  /** Posts several jobs of one market in one transaction (as many as fit in 1 232 bytes). */
  async createJobs(p: {
    market: PublicKey;
    jobs: JobTerms[];
    clientToken?: PublicKey;
    client?: Signer;
  }): Promise<{ signature: TransactionSignature; jobs: PublicKey[] }> {
    const ctx = await this.context(p.market);
    const client = p.client?.publicKey ?? this.wallet;
    const clientToken = p.clientToken ?? this.ata(client, ctx);
    const built = p.jobs.map((t) => {
      const nonce = t.nonce ?? randomNonce();
      const terms = {
        price: t.price,
        durationSecs: t.durationSecs,
        specHash: t.specHash,
        targetProvider: t.targetProvider,
      };
      return {
        job: jobPda(p.market, client, nonce),
        ix: ix.createJob({ ctx, client, clientToken, nonce, ...terms }),
      };
    });
    const signature = await this.send(
      built.map((b) => b.ix),
      p.client,
    );
    return { signature, jobs: built.map((b) => b.job) };
  }

  async cancelJob(p: {
    job: PublicKey;
    clientToken?: PublicKey;
    client?: Signer;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const clientToken = p.clientToken ?? this.ata(j.client, ctx);
    return this.send([ix.cancelJob({ ctx, client: j.client, job: p.job, clientToken })], p.client);
  }

  async completeJob(p: {
    job: PublicKey;
    providerToken?: PublicKey;
    client?: Signer;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const { params, create } = await this.settleParams(p.job, j, ctx, p.providerToken);
    return this.send([...create, ix.completeJob(params)], p.client);
  }

  async disputeJob(p: { job: PublicKey; client?: Signer }): Promise<TransactionSignature> {
    const j = await this.fetchJob(p.job);
    if (!j) throw new Error(`no job at ${p.job.toBase58()} (settled jobs are closed)`);
    return this.send(
      [ix.disputeJob({ client: p.client?.publicKey ?? this.wallet, job: p.job, market: j.market })],
      p.client,
    );
  }

  // --- providers ---

  async acceptJob(p: { job: PublicKey; provider?: Signer }): Promise<TransactionSignature> {
    const { ctx } = await this.jobAndContext(p.job);
    return this.send(
      [ix.acceptJob({ ctx, provider: p.provider?.publicKey ?? this.wallet, job: p.job })],
      p.provider,
    );
  }

  /**
   * Gives a running job back. Within the job's grace window it is free; later the expiry
   * slash goes to `clientToken` (the client's associated token account by default).
   */
  async quitJob(p: {
    job: PublicKey;
    provider?: Signer;
    clientToken?: PublicKey;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const client = await this.payout(j.client, ctx, p.clientToken);
    const provider = p.provider?.publicKey ?? this.wallet;
    return this.send(
      [...client.create, ix.quitJob({ ctx, provider, job: p.job, clientToken: client.account })],
      p.provider,
    );
  }

  async submitResult(p: {
    job: PublicKey;
    resultHash: Uint8Array | number[];
    provider?: Signer;
  }): Promise<TransactionSignature> {
    return this.send(
      [
        ix.submitResult({
          provider: p.provider?.publicKey ?? this.wallet,
          job: p.job,
          resultHash: p.resultHash,
        }),
      ],
      p.provider,
    );
  }

  // --- the arbiter and cranks ---

  async resolveDispute(p: {
    job: PublicKey;
    providerShareBps: number;
    slashAmount: bigint;
    slashToClient?: boolean;
    providerToken?: PublicKey;
    clientToken?: PublicKey;
    arbiter?: Signer;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const { params, create } = await this.settleParams(p.job, j, ctx, p.providerToken);
    const client = await this.payout(j.client, ctx, p.clientToken);
    return this.send(
      [
        ...create,
        ...client.create,
        ix.resolveDispute({
          ...params,
          clientToken: client.account,
          arbiter: p.arbiter?.publicKey ?? this.wallet,
          providerShareBps: p.providerShareBps,
          slashAmount: p.slashAmount,
          slashToClient: p.slashToClient,
        }),
      ],
      p.arbiter,
    );
  }

  async finalizeJob(p: {
    job: PublicKey;
    providerToken?: PublicKey;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const { params, create } = await this.settleParams(p.job, j, ctx, p.providerToken);
    return this.send([...create, ix.finalizeJob({ ...params, cranker: this.wallet })]);
  }

  async finalizeDispute(p: {
    job: PublicKey;
    providerToken?: PublicKey;
    clientToken?: PublicKey;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const { params, create } = await this.settleParams(p.job, j, ctx, p.providerToken);
    const client = await this.payout(j.client, ctx, p.clientToken);
    return this.send([
      ...create,
      ...client.create,
      ix.finalizeDispute({ ...params, clientToken: client.account, cranker: this.wallet }),
    ]);
  }

  async reclaimExpired(p: {
    job: PublicKey;
    clientToken?: PublicKey;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    if (!j.provider) throw new Error("the job is not running");
    const client = await this.payout(j.client, ctx, p.clientToken);
    return this.send([
      ...client.create,
      ix.reclaimExpired({
        ctx,
        cranker: this.wallet,
        job: p.job,
        client: j.client,
        clientToken: client.account,
        provider: j.provider,
      }),
    ]);
  }

  private async settleParams(
    job: PublicKey,
    j: Job,
    ctx: ix.MarketContext,
    providerToken?: PublicKey,
  ): Promise<{ params: ix.SettleParams; create: TransactionInstruction[] }> {
    if (!j.provider) throw new Error("the job has no provider");
    const provider = await this.payout(j.provider, ctx, providerToken);
    return {
      params: { ctx, job, client: j.client, provider: j.provider, providerToken: provider.account },
      create: provider.create,
    };
  }

  // --- reads ---

  fetchConfig(): Promise<MarketConfig | null> {
    return fetchMarketConfig(this.provider.connection, configPda());
  }

  fetchMarket(market: PublicKey): Promise<Market | null> {
    return fetchMarket(this.provider.connection, market);
  }

  fetchJob(job: PublicKey): Promise<Job | null> {
    return fetchJob(this.provider.connection, job);
  }

  listJobs(filter: JobFilter = {}): ReturnType<typeof listJobs> {
    return listJobs(this.provider.connection, filter);
  }

  listMarkets(): ReturnType<typeof listMarkets> {
    return listMarkets(this.provider.connection);
  }
}
