import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey, TransactionInstruction } from "@solana/web3.js";

import { ProgramClient } from "../common/client";
import type { PriorityFee } from "../common/compute-budget";
import type { AnchorProvider } from "../common/program";
import { payoutAccount } from "../common/token";
import { fetchWorkAccounts } from "../emissions/work";
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
} from "./accounts";
import * as ix from "./instructions";
import { configPda, workRecorderPda } from "./pda";
import { program } from "./program";

/**
 * What `MarketClient` reads before it builds: the market program's accounts, a market's
 * context, and where payouts go.
 */
export class MarketReader extends ProgramClient {
  /** The Anchor `Program`, e.g. for `addEventListener`. */
  readonly program: ReturnType<typeof program.anchorProgram>;
  private readonly stakingProgram: PublicKey | undefined;
  private readonly contexts = new Map<string, Promise<ix.MarketContext>>();

  /** `programId`, `stakingProgramId`: for a deployment at other addresses than the IDLs';
   * `computeUnitPrice`, `maxPriorityFeeLamports`: the priority fee (`priorityFee`). */
  constructor(
    provider: AnchorProvider,
    o: { programId?: PublicKey; stakingProgramId?: PublicKey } & PriorityFee = {},
  ) {
    super(
      provider,
      o.programId ?? program.programId,
      { market: o.programId, staking: o.stakingProgramId },
      o,
    );
    this.program = program.anchorProgram(provider, o.programId);
    this.stakingProgram = o.stakingProgramId;
  }

  protected ata(owner: PublicKey, ctx: ix.MarketContext): PublicKey {
    return getAssociatedTokenAddressSync(ctx.mint, owner, true, ctx.tokenProgram);
  }

  /** Where a payout to `owner` goes (see `payoutAccount`). */
  protected payout(owner: PublicKey, ctx: ix.MarketContext, given?: PublicKey) {
    const { mint, tokenProgram } = ctx;
    return payoutAccount(this.provider.connection, {
      payer: this.wallet,
      owner,
      mint,
      tokenProgram,
      given,
    });
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
          ...(m.workPool ? { workPool: m.workPool } : {}),
          ...(this.stakingProgram ? { stakingProgram: this.stakingProgram } : {}),
        };
      })();
      fixed.catch(() => this.contexts.delete(key));
      this.contexts.set(key, fixed);
    }
    const [ctx, config] = await Promise.all([fixed, this.fetchConfig()]);
    if (!config) throw new Error("the market config is not initialized");
    return { ...ctx, feeVault: config.feeVault };
  }

  protected async jobAndContext(job: PublicKey): Promise<{ j: Job; ctx: ix.MarketContext }> {
    const j = await this.fetchJob(job);
    if (!j) throw new Error(`no job at ${job.toBase58()} (settled jobs are closed)`);
    return { j, ctx: await this.context(j.market) };
  }

  /**
   * What a settlement of `job` names. On a market that records work, the pool's accounts of
   * the current hour (the records' rent paid by `payer`, the settlement's signer); a
   * settlement that lands in the next hour fails with `WrongWorkHour` and is built again.
   */
  protected async settleParams(
    job: PublicKey,
    j: Job,
    ctx: ix.MarketContext,
    payer: PublicKey,
    providerToken?: PublicKey,
  ): Promise<{ params: ix.SettleParams; create: TransactionInstruction[] }> {
    if (!j.provider) throw new Error("the job has no provider");
    const provider = await this.payout(j.provider, ctx, providerToken);
    const work = ctx.workPool
      ? await fetchWorkAccounts(this.provider.connection, {
          pool: ctx.workPool,
          provider: j.provider,
          payer,
          recorder: workRecorderPda(this.programId),
        })
      : undefined;
    return {
      params: {
        ctx,
        job,
        client: j.client,
        provider: j.provider,
        providerToken: provider.account,
        programId: this.programId,
        ...(work ? { work } : {}),
      },
      create: provider.create,
    };
  }

  // --- reads ---

  fetchConfig(): Promise<MarketConfig | null> {
    return fetchMarketConfig(this.provider.connection, configPda(this.programId), this);
  }

  fetchMarket(market: PublicKey): Promise<Market | null> {
    return fetchMarket(this.provider.connection, market, this);
  }

  fetchJob(job: PublicKey): Promise<Job | null> {
    return fetchJob(this.provider.connection, job, this);
  }

  listJobs(filter: JobFilter = {}): ReturnType<typeof listJobs> {
    return listJobs(this.provider.connection, filter, this);
  }

  listMarkets(): ReturnType<typeof listMarkets> {
    return listMarkets(this.provider.connection, this);
  }
}
