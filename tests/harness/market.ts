// A whole network for market tests: a fresh mint, its staking pool (locker: the market's
// collateral PDA), the market config and treasury (created once per validator: the config is
// global), a market with DESIGN.md's default economics and short windows, a client and a
// staked provider with their token accounts. Every call makes a new mint and market, so tests
// do not share state except the config.
import { AnchorProvider } from "@coral-xyz/anchor";
import { createMint, getAccount, getMint, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey } from "@solana/web3.js";

import { market, MarketClient, staking as staking_, StakingClient } from "../../sdk/src";
import { fundedKeypair, getProvider } from "./env";
import { DECIMALS, payerOf, TOKEN, tokenAccount } from "./fixtures";

export const HOUR = 3_600n;
export const DAY = 24n * HOUR;

/** DESIGN.md's defaults: burn 20 %, fee 5 %, collateral 50 % (min 1 token), expiry slash 10 %,
 * dispute window 72 h, arbitration 7 days, default split 50 %. */
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
  /** The config's treasury (shared by every world on this validator). */
  treasury: PublicKey;
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
    market: market.marketPda(marketId),
    marketId,
    arbiter,
    client,
    worker,
    attacker,
  };
}

export async function balance(provider: AnchorProvider, account: PublicKey): Promise<bigint> {
  return (await getAccount(provider.connection, account, "confirmed")).amount;
}

export async function supply(provider: AnchorProvider, mint: PublicKey): Promise<bigint> {
  return (await getMint(provider.connection, mint, "confirmed")).supply;
}
