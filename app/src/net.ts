// The RPC connection and what the app reads about the network once per RPC: the market
// config, the mint (decimals, token program), the staking pool, the emission vaults.
import { emissions, market, staking } from "@crucible/sdk";
import { getMint } from "@solana/spl-token";
import { Connection, PublicKey } from "@solana/web3.js";

export const DEFAULT_RPC = "http://127.0.0.1:8899";

/** The RPC URL (`?rpc=`) and the PubSub URL (`?ws=`, else web3.js derives port + 1). */
export function endpoints(): { rpc: string; ws?: string } {
  const q = new URLSearchParams(location.search);
  return { rpc: q.get("rpc") || DEFAULT_RPC, ws: q.get("ws") || undefined };
}

let conn: Connection | null = null;

export function connection(): Connection {
  if (!conn) {
    const { rpc, ws } = endpoints();
    conn = new Connection(rpc, { commitment: "confirmed", wsEndpoint: ws });
  }
  return conn;
}

export interface Network {
  config: market.MarketConfig;
  mint: PublicKey;
  decimals: number;
  tokenProgram: PublicKey;
  pool: PublicKey;
  stakePool: staking.StakePool | null;
}

let network: Promise<Network | null> | null = null;

/** The network at this RPC, or `null` when its market config is not initialized. Failed reads
 * are not cached. */
export function loadNetwork(): Promise<Network | null> {
  if (!network) {
    network = (async () => {
      const c = connection();
      const config = await market.fetchMarketConfig(c, market.configPda());
      if (!config) return null;
      const info = await c.getAccountInfo(config.mint, "confirmed");
      if (!info) return null;
      const mint = await getMint(c, config.mint, "confirmed", info.owner);
      const pool = staking.poolPda(config.mint);
      const stakePool = await staking.fetchStakePool(c, pool);
      return {
        config,
        mint: config.mint,
        decimals: mint.decimals,
        tokenProgram: info.owner,
        pool,
        stakePool,
      };
    })();
    network.then(
      (n) => {
        if (!n) network = null;
      },
      () => (network = null),
    );
  }
  return network;
}

/** The cluster's unix time (the local validator's clock moves only when warped). */
export function chainNow(): Promise<bigint> {
  return emissions.fetchUnixTimestamp(connection());
}
