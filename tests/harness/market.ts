// A whole network for market tests: a fresh mint, its staking pool (locker: the market's
// collateral PDA), the market config, its fee vault and the treasury (created once per
// validator: the config is global), a market with DESIGN.md's default economics and short windows, a client and a
// staked provider with their token accounts. Every call makes a new mint and market, so tests
// do not share state except the config.
import { AnchorProvider } from "@coral-xyz/anchor";
import {
  createMint,
  createTransferCheckedInstruction,
  getMint,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, PublicKey, Signer, TransactionInstruction } from "@solana/web3.js";

import {
  market,
  MarketClient,
  sendInstructions,
  staking as staking_,
  StakingClient,
} from "../../sdk/src";
import { fundedKeypair, getProvider } from "./env";
import {
  chainTime,
  DECIMALS,
  onlyEvent,
  payerOf,
  TOKEN,
  tokenAccount,
  tokenBalance,
  txLogs,
  Untouched,
} from "./fixtures";

/** One vocabulary: the balance and clock helpers are the fixtures', re-exported here for the market suites. */
export { chainTime, tokenBalance };

export const HOUR = 3_600n;
export const DAY = 24n * HOUR;

/** DESIGN.md's defaults: burn 20 %, fee 5 %, collateral 50 % (min 1 token), expiry slash 10 %,
 * dispute window 72 h, arbitration 7 days, default split 50 %; a job lives 14 days at most and
 * may be quit for free for 10 minutes after an acceptance. */
export function defaultParams(o: Partial<market.MarketParams> = {}): market.MarketParams {
  return {
    minProviderStake: 100n * TOKEN,
    collateralBps: 5_000,
    minCollateral: TOKEN,
    burnBps: 2_000,
    feeBps: 500,
    maxDurationSecs: 7n * DAY,
    disputeWindowSecs: 72n * HOUR,
    arbitrationWindowSecs: 7n * DAY,
    defaultDisputeSplitBps: 5_000,
    expirySlashBps: 1_000,
    jobLifetimeSecs: 14n * DAY,
    quitGraceSecs: 10n * 60n,
    ...o,
  };
}

export interface Party {
  key: Keypair;
  token: PublicKey;
}

export interface MarketWorld {
  provider: AnchorProvider;
  staking: StakingClient;
  markets: MarketClient;
  mint: PublicKey;
  /** The config's treasury (shared by every world on this validator): where sweeps go. */
  treasury: PublicKey;
  /** The config's fee vault (shared too): where every settlement pays its fee. */
  feeVault: PublicKey;
  market: PublicKey;
  marketId: bigint;
  arbiter: Keypair;
  client: Party;
  /** Staked `providerStake` tokens in the pool. */
  worker: Party;
  attacker: Party;
}

let nextMarketId = BigInt(Date.now()) * 1000n;

/**
 * The market config is global and names one network token, so every world uses the mint of the
 * first world created on this validator; each world gets its own market.
 */
let shared: Promise<{ mint: PublicKey; treasury: PublicKey }> | undefined;

async function network(
  provider: AnchorProvider,
): Promise<{ mint: PublicKey; treasury: PublicKey }> {
  const markets = new MarketClient(provider);
  const existing = await markets.fetchConfig();
  if (existing) return { mint: existing.mint, treasury: existing.treasury };
  const payer = payerOf(provider);
  const mint = await createMint(
    provider.connection,
    payer,
    payer.publicKey,
    null,
    DECIMALS,
    Keypair.generate(),
    undefined,
    TOKEN_PROGRAM_ID,
  );
  await new StakingClient(provider).initPool({
    mint,
    minStake: TOKEN,
    unbondingSecs: 14n * DAY,
    locker: market.collateralPda(),
  });
  const treasury = await tokenAccount(provider, mint, payer.publicKey);
  await markets.initConfig({ mint, treasury });
  return { mint, treasury };
}

export async function marketWorld(
  o: { params?: Partial<market.MarketParams>; providerStake?: bigint } = {},
): Promise<MarketWorld> {
  const provider = getProvider();
  shared ??= network(provider);
  const { mint, treasury } = await shared;
  const staking = new StakingClient(provider);
  const markets = new MarketClient(provider);
  const marketId = nextMarketId++;
  const arbiter = await fundedKeypair(provider, 5);
  await markets.createMarket({
    marketId,
    name: `gpu-${marketId % 1000n}`,
    arbiter: arbiter.publicKey,
    stakingPool: staking_.poolPda(mint),
    params: defaultParams(o.params),
  });
  const party = async (tokens: bigint): Promise<Party> => {
    const key = await fundedKeypair(provider, 10);
    return { key, token: await tokenAccount(provider, mint, key.publicKey, tokens) };
  };
  const client = await party(1_000n * TOKEN);
  const stake = o.providerStake ?? 500n * TOKEN;
  const worker = await party(stake);
  await staking.stake({ owner: worker.key, mint, source: worker.token, amount: stake });
  const attacker = await party(1_000n * TOKEN);
  return {
    provider,
    staking,
    markets,
    mint,
    treasury,
    feeVault: market.feeVaultPda(),
    market: market.marketPda(marketId),
    marketId,
    arbiter,
    client,
    worker,
    attacker,
  };
}

export async function supply(provider: AnchorProvider, mint: PublicKey): Promise<bigint> {
  return (await getMint(provider.connection, mint, "confirmed")).supply;
}

// --- Helpers of the per-instruction suites (tests/market.*.test.ts) and the randomized test ---

/** The network token and the config's treasury (the config is created once per validator). */
export function marketNetwork(): Promise<{ mint: PublicKey; treasury: PublicKey }> {
  shared ??= network(getProvider());
  return shared;
}

/** The staking pool of the network token and its stake vault. */
export function poolOf(mint: PublicKey): { pool: PublicKey; stakeVault: PublicKey } {
  const pool = staking_.poolPda(mint);
  return { pool, stakeVault: staking_.stakeVaultPda(pool) };
}

/** A new key with SOL and a token account of the network token holding `tokens`. */
export async function newParty(w: MarketWorld, tokens = 0n): Promise<Party> {
  const key = await fundedKeypair(w.provider, 10);
  return { key, token: await tokenAccount(w.provider, w.mint, key.publicKey, tokens) };
}

/** A new provider of the network's pool with `stake` staked and `spare` left in its account. */
export async function stakedParty(w: MarketWorld, stake: bigint, spare = 0n): Promise<Party> {
  const p = await newParty(w, stake + spare);
  await w.staking.stake({ owner: p.key, mint: w.mint, source: p.token, amount: stake });
  return p;
}

/** Sends instructions as the SDK client does: the wallet pays the fee, `signers` sign too. */
export function sendAs(
  w: MarketWorld,
  instructions: TransactionInstruction[],
  signers: Signer[] = [],
): Promise<string> {
  return sendInstructions(w.provider, instructions, signers);
}

/** What `postJob` and the job fixtures take: the terms, the client and the market. */
export interface PostOptions {
  price?: bigint;
  durationSecs?: bigint;
  targetProvider?: PublicKey;
  specHash?: Uint8Array;
  nonce?: bigint;
  /** `w.client` by default. */
  by?: Party;
  /** `w.market` by default. */
  market?: PublicKey;
  /** Who accepts (and submits): `w.worker` by default. */
  provider?: Party;
}

/** Default price of a fixture job: 100 tokens and 7 units, so every floor rounds. */
export const PRICE = 100n * TOKEN + 7n;

/** Posts a job (open) through the SDK; returns its address. */
export async function postJob(w: MarketWorld, o: PostOptions = {}): Promise<PublicKey> {
  const by = o.by ?? w.client;
  const { job } = await w.markets.createJob({
    market: o.market ?? w.market,
    price: o.price ?? PRICE,
    durationSecs: o.durationSecs ?? HOUR,
    targetProvider: o.targetProvider,
    specHash: o.specHash,
    nonce: o.nonce,
    clientToken: by.token,
    client: by.key,
  });
  return job;
}

/** A job accepted by `o.provider` (the worker by default): running. */
export async function runningJob(w: MarketWorld, o: PostOptions = {}): Promise<PublicKey> {
  const job = await postJob(w, o);
  await w.markets.acceptJob({ job, provider: (o.provider ?? w.worker).key });
  return job;
}

/** A running job whose result is submitted (its dispute window open). */
export async function submittedJob(w: MarketWorld, o: PostOptions = {}): Promise<PublicKey> {
  const job = await runningJob(w, o);
  await w.markets.submitResult({
    job,
    resultHash: new Uint8Array(32).fill(9),
    provider: (o.provider ?? w.worker).key,
  });
  return job;
}

/** A submitted job its client disputed. */
export async function disputedJob(w: MarketWorld, o: PostOptions = {}): Promise<PublicKey> {
  const job = await submittedJob(w, o);
  await w.markets.disputeJob({ job, client: (o.by ?? w.client).key });
  return job;
}

/** The job, which must exist. */
export async function jobOf(w: MarketWorld, job: PublicKey): Promise<market.Job> {
  const j = await w.markets.fetchJob(job);
  if (!j) throw new Error(`no job at ${job.toBase58()}`);
  return j;
}

/** `owner`'s stake in the network's pool, which must exist. */
export async function stakeOf(w: MarketWorld, owner: PublicKey): Promise<staking_.ProviderStake> {
  const s = await w.staking.fetchStake(w.mint, owner);
  if (!s) throw new Error(`no stake of ${owner.toBase58()}`);
  return s;
}

/**
 * Everything a rejected transition in `w` must leave as it was: the token balances of the
 * client, the worker, the attacker, the treasury, the fee vault, the stake vault and the escrow of each given
 * job that still exists; the lamports of the wallet (fee payer) and of every party; the config,
 * the market, the worker's stake and the jobs byte for byte. `extra` adds to each list.
 */
export async function untouched(
  w: MarketWorld,
  jobs: PublicKey[] = [],
  extra: Untouched = {},
): Promise<Untouched> {
  const escrows: PublicKey[] = [];
  for (const job of jobs) {
    const escrow = market.escrowPda(job);
    if (await w.provider.connection.getAccountInfo(escrow, "confirmed")) escrows.push(escrow);
  }
  const { pool, stakeVault } = poolOf(w.mint);
  return {
    tokens: [
      w.client.token,
      w.worker.token,
      w.attacker.token,
      w.treasury,
      w.feeVault,
      stakeVault,
      ...escrows,
      ...(extra.tokens ?? []),
    ],
    lamports: [
      payerOf(w.provider).publicKey,
      w.client.key.publicKey,
      w.worker.key.publicKey,
      w.attacker.key.publicKey,
      w.arbiter.publicKey,
      ...(extra.lamports ?? []),
    ],
    accounts: [
      market.configPda(),
      w.market,
      staking_.providerStakePda(pool, w.worker.key.publicKey),
      ...jobs,
      ...(extra.accounts ?? []),
    ],
  };
}

/** The market events of a confirmed transaction, parsed from its logs by the SDK. */
export async function marketEvents(
  provider: AnchorProvider,
  signature: string,
): Promise<market.Event[]> {
  return market.parseEvents(await txLogs(provider, signature));
}

/** The one market event `name` (camelCase: `jobCompleted`) of a transaction. */
export async function marketEvent(
  provider: AnchorProvider,
  signature: string,
  name: string,
): Promise<Record<string, unknown>> {
  return onlyEvent(await marketEvents(provider, signature), name, signature);
}

/** A copy of `ix` with every account `from` replaced by `to` (flags kept). */
export function swapAccount(
  ix: TransactionInstruction,
  from: PublicKey,
  to: PublicKey,
): TransactionInstruction {
  if (!ix.keys.some((k) => k.pubkey.equals(from)))
    throw new Error(`swapAccount: ${from.toBase58()} is not an account of the instruction`);
  return new TransactionInstruction({
    programId: ix.programId,
    data: ix.data,
    keys: ix.keys.map((k) => (k.pubkey.equals(from) ? { ...k, pubkey: to } : k)),
  });
}

/** `from` sends `amount` straight to a job's escrow (any holder can: a plain token transfer). */
export async function sendToEscrow(
  w: MarketWorld,
  job: PublicKey,
  from: Party,
  amount: bigint,
): Promise<string> {
  const ix = createTransferCheckedInstruction(
    from.token,
    w.mint,
    market.escrowPda(job),
    from.key.publicKey,
    amount,
    DECIMALS,
  );
  return sendAs(w, [ix], [from.key]);
}
