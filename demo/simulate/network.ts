// The demo's network and parties: mint, staking pool, treasury, a token-priced market and an
// emission vault paying the staking pool 80 % and the treasury 20 % (bootstrapped as `crucible
// init` does), a USD-priced market against the demo's Pyth price account (price.ts), then
// providers (staked) and clients, funded with SOL and tokens.
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { createAccount, mintTo } from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL, PublicKey } from "@solana/web3.js";

import { bootstrap, validateConfig } from "../../cli/src/bootstrap";
import {
  emissions,
  EmissionsClient,
  market,
  MarketClient,
  staking,
  StakingClient,
} from "../../sdk/src";
import { EventLog } from "./events";
import { DEMO_FEED_ID, DEMO_PRICE_ACCOUNT, MAX_CONF_BPS, MAX_PRICE_AGE_SECS } from "./price";
import { Actor, DECIMALS, DemoOptions, EMISSION_PER_HOUR, TOKEN } from "./types";
import { pool } from "./util";

/** The network the demo runs on and its parties. */
export interface World {
  connection: Connection;
  mint: PublicKey;
  /** Jobs priced in tokens (`create_job`). */
  tokenMarket: PublicKey;
  /** Jobs priced in micro-USD against `priceAccount` (`create_job_usd`). */
  usdMarket: PublicKey;
  priceAccount: PublicKey;
  vault: PublicKey;
  /** The work-rewards pool the vault pays and both markets record their settlements in, and its
   * token account (the vault's recipient). */
  workPool: PublicKey;
  workTokens: PublicKey;
  /** The vault's token account (its unemitted tokens) and the staking pool's reward vault. */
  vaultTokens: PublicKey;
  rewardVault: PublicKey;
  poolKey: PublicKey;
  treasury: PublicKey;
  adminMarkets: MarketClient;
  adminStaking: StakingClient;
  adminEmissions: EmissionsClient;
  arbiterClient: MarketClient;
  events: EventLog;
  providers: Actor[];
  clients: Actor[];
}

const marketParams = (burn: number, fee: number) => ({
  minProviderStake: "100",
  collateralBps: 5000,
  minCollateral: "1",
  burnBps: burn,
  feeBps: fee,
  maxDurationSecs: "1d",
  disputeWindowSecs: "12h",
  arbitrationWindowSecs: "2d",
  defaultDisputeSplitBps: 5000,
  expirySlashBps: 1000,
  jobLifetimeSecs: "3d",
  quitGraceSecs: "15m",
});

/** Bootstraps the network (or joins the validator's: the config is global, so its mint and
 * treasury), starts collecting events, and funds the parties. */
export async function setUpWorld(
  admin: AnchorProvider,
  o: DemoOptions,
  random: () => number,
  log: (line: string) => void,
): Promise<World> {
  const connection = admin.connection;
  const arbiter = Keypair.generate();
  const existing = await new MarketClient(admin).fetchConfig();
  const base = o.marketIdBase ?? 1;
  const vaultId = o.vaultId ?? 1;
  const workPoolId = o.workPoolId ?? vaultId;
  const config = validateConfig({
    mint: existing
      ? { decimals: DECIMALS, address: existing.mint.toBase58() }
      : { decimals: DECIMALS },
    ...(existing ? { treasury: existing.treasury.toBase58() } : {}),
    staking: { minStake: "1", unbondingSecs: 14 * 86_400 },
    markets: [
      {
        id: base,
        name: "gpu-a100",
        arbiter: arbiter.publicKey.toBase58(),
        params: marketParams(2000, 500),
        workPool: workPoolId.toString(),
      },
      {
        id: base + 1,
        name: "gpu-h100-usd",
        arbiter: arbiter.publicKey.toBase58(),
        params: marketParams(3000, 300),
      },
    ],
    vaults: [
      {
        id: vaultId,
        initialPerHour: EMISSION_PER_HOUR.toString(),
        decayBps: 102,
        periodHours: 730,
        cap: "300000000",
        revocable: false,
        recipientsDelaySecs: "48h",
        fundFrom: "mint",
        recipients: [
          { to: "stakingRewardVault", shareBps: 6000 },
          { to: `workPool:${workPoolId}`, shareBps: 2000 },
          { to: "treasury", shareBps: 2000 },
        ],
      },
    ],
    // Work rewards up to the whole of an hour's burn; what providers do not earn goes to the
    // stakers (o.workDestination: the treasury instead, for a validator other suites share).
    workPools: [
      {
        id: workPoolId.toString(),
        vault: vaultId.toString(),
        capBps: 10_000,
        destination: o.workDestination ?? "stakingRewardVault",
      },
    ],
  });
  // The bootstrap config has no USD pricing yet: the USD market is created after it, with the
  // params validated above.
  const [tokenEntry, usdEntry] = config.markets;
  const boot = await bootstrap(admin, { ...config, markets: [tokenEntry] }, { log });
  const mint = boot.mint;
  const adminKp = (admin.wallet as unknown as { payer: Keypair }).payer;
  const adminMarkets = new MarketClient(admin);
  const treasury = (await adminMarkets.fetchConfig())!.treasury;
  const usdMarket = market.marketPda(usdEntry.id);
  const existingUsd = await adminMarkets.fetchMarket(usdMarket);
  if (!existingUsd) {
    log(`creating the USD market ${usdEntry.id} (${usdEntry.name})`);
    await adminMarkets.createMarket({
      marketId: usdEntry.id,
      name: usdEntry.name,
      arbiter: arbiter.publicKey,
      stakingPool: staking.poolPda(mint),
      params: usdEntry.params,
      usdPricing: {
        feedId: DEMO_FEED_ID,
        maxAgeSecs: MAX_PRICE_AGE_SECS,
        maxConfBps: MAX_CONF_BPS,
      },
      workPool: emissions.workPoolPda(mint, BigInt(workPoolId)),
    });
  } else if (!existingUsd.usdPricing) {
    throw new Error(`market ${usdEntry.id} exists and prices jobs in tokens: pick another --seed`);
  }
  const vault = emissions.vaultPda(mint, BigInt(vaultId));
  const world = {
    connection,
    mint,
    tokenMarket: market.marketPda(BigInt(base)),
    usdMarket,
    priceAccount: DEMO_PRICE_ACCOUNT,
    vault,
    workPool: emissions.workPoolPda(mint, BigInt(workPoolId)),
    workTokens: emissions.workTokensPda(emissions.workPoolPda(mint, BigInt(workPoolId))),
    vaultTokens: (await new EmissionsClient(admin).fetchVault(vault))!.tokenVault,
    rewardVault: (await new StakingClient(admin).fetchPool(mint))!.rewardVault,
    poolKey: staking.poolPda(mint),
    treasury,
    adminMarkets,
    adminStaking: new StakingClient(admin),
    adminEmissions: new EmissionsClient(admin),
    events: new EventLog(connection),
  };

  // Parties: funded with SOL, tokens minted by the admin (the mint authority).
  const actor = async (tokens: bigint): Promise<Actor> => {
    const key = Keypair.generate();
    const sig = await connection.requestAirdrop(key.publicKey, 20 * LAMPORTS_PER_SOL);
    await connection.confirmTransaction(sig, "confirmed");
    const token = await createAccount(connection, adminKp, mint, key.publicKey, Keypair.generate());
    await mintTo(connection, adminKp, mint, token, adminKp, tokens);
    const p = new AnchorProvider(
      new Connection(connection.rpcEndpoint, "confirmed"),
      new Wallet(key),
      admin.opts,
    );
    return { key, token, markets: new MarketClient(p), staking: new StakingClient(p) };
  };
  log(`funding ${o.providers} providers and ${o.clients} clients`);
  const providers: Actor[] = [];
  await pool([...Array(o.providers).keys()], o.concurrency, async () => {
    const a = await actor(100_000n * TOKEN);
    await a.staking.stake({
      mint,
      source: a.token,
      amount: BigInt(20_000 + Math.floor(random() * 60_000)) * TOKEN,
    });
    providers.push(a);
  });
  const clients: Actor[] = [];
  await pool([...Array(o.clients).keys()], o.concurrency, async () => {
    clients.push(await actor(1_000_000n * TOKEN));
  });
  const arbiterClient = new MarketClient(
    new AnchorProvider(connection, new Wallet(arbiter), admin.opts),
  );
  await connection.confirmTransaction(
    await connection.requestAirdrop(arbiter.publicKey, 20 * LAMPORTS_PER_SOL),
    "confirmed",
  );
  return { ...world, arbiterClient, providers, clients };
}
