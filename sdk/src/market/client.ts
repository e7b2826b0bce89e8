import { PublicKey, Signer, TransactionSignature } from "@solana/web3.js";

import { randomU64 } from "../common/amount";
import { fetchUnixTimestamp } from "../emissions/accounts";
import { tokenProgramOf } from "../common/token";
import type { MarketParams } from "./accounts";
import * as ix from "./instructions";
import { jobPda } from "./pda";
import { PriceError, tokensForMicroUsd, validatedPrice } from "./pyth";
import { MarketReader } from "./reader";

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
export const randomNonce = randomU64;

/**
 * High-level market client: fetches what a transition needs (job, market, config), builds,
 * signs with the provider's wallet (plus an optional signer acting as client, provider or
 * arbiter), sends and confirms. Failures are thrown as `CrucibleError`s. Payouts default to
 * the recipients' associated token accounts (created in the same transaction when missing, the
 * wallet paying the rent, so a closed account never blocks a settlement); pass
 * `providerToken` / `clientToken` otherwise. `new MarketClient(provider, { programId,
 * stakingProgramId })` for a deployment at other addresses than the IDLs'.
 */
export class MarketClient extends MarketReader {
  // --- admin ---

  /** Creates the config and its fee vault; the wallet must be the mint authority. */
  async initConfig(p: { mint: PublicKey; treasury: PublicKey }): Promise<TransactionSignature> {
    const tokenProgram = await tokenProgramOf(this.provider.connection, p.mint);
    return this.send([
      ix.initConfig({ ...p, tokenProgram, admin: this.wallet, programId: this.programId }),
    ]);
  }

  /** Moves the fee vault's balance to the config's treasury (anyone may; the wallet pays). */
  async sweepFees(): Promise<TransactionSignature> {
    const config = await this.fetchConfig();
    if (!config) throw new Error("the market config is not initialized");
    const tokenProgram = await tokenProgramOf(this.provider.connection, config.mint);
    return this.send([
      ix.sweepFees({
        cranker: this.wallet,
        treasury: config.treasury,
        mint: config.mint,
        tokenProgram,
        programId: this.programId,
      }),
    ]);
  }

  async createMarket(p: Omit<ix.CreateMarketParams, "admin">): Promise<TransactionSignature> {
    return this.send([ix.createMarket({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  async updateMarket(p: {
    market: PublicKey;
    params: MarketParams;
    arbiter: PublicKey;
  }): Promise<TransactionSignature> {
    return this.send([ix.updateMarket({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  async setMarketPaused(p: { market: PublicKey; paused: boolean }): Promise<TransactionSignature> {
    return this.send([ix.setMarketPaused({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  async proposeAdmin(p: { newAdmin: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.proposeAdmin({ ...p, admin: this.wallet, programId: this.programId })]);
  }

  async acceptAdmin(p: { newAdmin?: Signer } = {}): Promise<TransactionSignature> {
    return this.send(
      [
        ix.acceptAdmin({
          newAdmin: p.newAdmin?.publicKey ?? this.wallet,
          programId: this.programId,
        }),
      ],
      p.newAdmin,
    );
  }

  async setTreasury(p: { newTreasury: PublicKey }): Promise<TransactionSignature> {
    return this.send([ix.setTreasury({ ...p, admin: this.wallet, programId: this.programId })]);
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

  /**
   * Posts a job on a USD-priced market at `priceMicroUsd`. Reads the price account the caller
   * names (`priceUpdate`), checks it as the program does against the market's feed and bounds
   * and the cluster's clock, and converts with the program's integer math (lower end of the
   * confidence interval, rounded up). `maxTokens` defaults to that amount plus `slippageBps`
   * (default 0): the program refuses the job above it (`PriceAboveMaximum`), so a price that
   * moves against the client before the transaction lands costs it nothing. A bad price
   * account throws a `PriceError` named as the program's error, before anything is sent.
   */
  async createJobUsd(p: {
    market: PublicKey;
    priceMicroUsd: bigint;
    priceUpdate: PublicKey;
    durationSecs: bigint;
    maxTokens?: bigint;
    slippageBps?: number;
    clientToken?: PublicKey;
    targetProvider?: PublicKey;
    specHash?: Uint8Array | number[];
    nonce?: bigint;
    client?: Signer;
  }): Promise<{ signature: TransactionSignature; job: PublicKey; expectedTokens: bigint }> {
    const m = await this.fetchMarket(p.market);
    if (!m) throw new Error(`no market at ${p.market.toBase58()}`);
    if (!m.usdPricing) throw new PriceError("MarketPricedInTokens");
    const connection = this.provider.connection;
    const [info, now, ctx] = await Promise.all([
      connection.getAccountInfo(p.priceUpdate, "confirmed"),
      fetchUnixTimestamp(connection),
      this.context(p.market),
    ]);
    if (!info) throw new PriceError("NotAPriceUpdate");
    const { feedId, maxAgeSecs, maxConfBps } = m.usdPricing;
    const price = validatedPrice(info.owner, info.data, feedId, maxAgeSecs, maxConfBps, now);
    const decimals = (await connection.getParsedAccountInfo(m.mint, "confirmed")).value;
    const mintDecimals = (decimals?.data as { parsed?: { info?: { decimals?: number } } })?.parsed
      ?.info?.decimals;
    if (mintDecimals === undefined) throw new Error(`no mint at ${m.mint.toBase58()}`);
    const expectedTokens = tokensForMicroUsd(p.priceMicroUsd, price, mintDecimals);
    const slippage = BigInt(p.slippageBps ?? 0);
    const maxTokens =
      p.maxTokens ?? expectedTokens + (expectedTokens * slippage + 9_999n) / 10_000n;
    const client = p.client?.publicKey ?? this.wallet;
    const nonce = p.nonce ?? randomNonce();
    const signature = await this.send(
      [
        ix.createJobUsd({
          ctx,
          client,
          clientToken: p.clientToken ?? this.ata(client, ctx),
          nonce,
          priceMicroUsd: p.priceMicroUsd,
          maxTokens,
          priceUpdate: p.priceUpdate,
          durationSecs: p.durationSecs,
          specHash: p.specHash,
          targetProvider: p.targetProvider,
          programId: this.programId,
        }),
      ],
      p.client,
    );
    return { signature, job: jobPda(p.market, client, nonce, this.programId), expectedTokens };
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
        job: jobPda(p.market, client, nonce, this.programId),
        ix: ix.createJob({ ctx, client, clientToken, nonce, ...terms, programId: this.programId }),
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
    return this.send(
      [ix.cancelJob({ ctx, client: j.client, job: p.job, clientToken, programId: this.programId })],
      p.client,
    );
  }

  async completeJob(p: {
    job: PublicKey;
    providerToken?: PublicKey;
    client?: Signer;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const client = p.client?.publicKey ?? this.wallet;
    const { params, create } = await this.settleParams(p.job, j, ctx, client, p.providerToken);
    return this.send([...create, ix.completeJob(params)], p.client);
  }

  async disputeJob(p: { job: PublicKey; client?: Signer }): Promise<TransactionSignature> {
    const j = await this.fetchJob(p.job);
    if (!j) throw new Error(`no job at ${p.job.toBase58()} (settled jobs are closed)`);
    return this.send(
      [
        ix.disputeJob({
          client: p.client?.publicKey ?? this.wallet,
          job: p.job,
          market: j.market,
          programId: this.programId,
        }),
      ],
      p.client,
    );
  }

  // --- providers ---

  async acceptJob(p: { job: PublicKey; provider?: Signer }): Promise<TransactionSignature> {
    const { ctx } = await this.jobAndContext(p.job);
    return this.send(
      [
        ix.acceptJob({
          ctx,
          provider: p.provider?.publicKey ?? this.wallet,
          job: p.job,
          programId: this.programId,
        }),
      ],
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
      [
        ...client.create,
        ix.quitJob({
          ctx,
          provider,
          job: p.job,
          clientToken: client.account,
          programId: this.programId,
        }),
      ],
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
          programId: this.programId,
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
    const arbiter = p.arbiter?.publicKey ?? this.wallet;
    const { params, create } = await this.settleParams(p.job, j, ctx, arbiter, p.providerToken);
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
          programId: this.programId,
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
    const { params, create } = await this.settleParams(p.job, j, ctx, this.wallet, p.providerToken);
    return this.send([...create, ix.finalizeJob({ ...params, cranker: this.wallet })]);
  }

  async finalizeDispute(p: {
    job: PublicKey;
    providerToken?: PublicKey;
    clientToken?: PublicKey;
  }): Promise<TransactionSignature> {
    const { j, ctx } = await this.jobAndContext(p.job);
    const { params, create } = await this.settleParams(p.job, j, ctx, this.wallet, p.providerToken);
    const client = await this.payout(j.client, ctx, p.clientToken);
    return this.send([
      ...create,
      ...client.create,
      ix.finalizeDispute({
        ...params,
        clientToken: client.account,
        cranker: this.wallet,
        programId: this.programId,
      }),
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
        programId: this.programId,
      }),
    ]);
  }
}
