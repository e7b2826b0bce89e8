// The markets: create_market, or update_market for a market's parameters and arbiter (its name
// and staking pool cannot change). The wallet must be the market admin to create or update.
import { PublicKey } from "@solana/web3.js";

import { market as marketSdk } from "../../../sdk/src";
import { Change, diff, MintContext, PlanItem, statusOf, walletTx } from "./context";
import { workPoolAddress } from "./work-pools";

/** Plans every market of the config, in order. */
export async function planMarkets(ctx: MintContext, poolKey: PublicKey): Promise<PlanItem[]> {
  const { admin, connection, refusals } = ctx;
  const items: PlanItem[] = [];
  for (const [i, entry] of ctx.cfg.markets.entries()) {
    const address = marketSdk.marketPda(entry.id);
    const arbiter = entry.arbiter ?? admin;
    const existing = await marketSdk.fetchMarket(connection, address);
    const label = `market ${entry.id} (${entry.name})`;
    const workPool = entry.workPool === undefined ? null : workPoolAddress(ctx, entry.workPool);
    if (existing) {
      const changes: Change[] = [];
      diff(`markets[${i}].name`, existing.name, entry.name, false, changes);
      diff(
        `markets[${i}].workPool`,
        existing.workPool ?? "none",
        workPool ?? "none",
        false,
        changes,
      );
      diff(`markets[${i}] staking pool`, existing.stakingPool, poolKey, false, changes);
      diff(`markets[${i}].arbiter`, existing.arbiter, arbiter, true, changes);
      for (const k of Object.keys(entry.params) as Array<keyof marketSdk.MarketParams>)
        diff(`markets[${i}].params.${k}`, existing.params[k], entry.params[k], true, changes);
      items.push({
        item: label,
        address,
        status: statusOf(changes, ctx.update),
        changes,
        build: async () =>
          walletTx(
            marketSdk.instructions.updateMarket({
              admin,
              market: address,
              params: entry.params,
              arbiter,
            }),
          ),
      });
    } else {
      items.push({
        item: label,
        address,
        status: "create",
        changes: [],
        note: `burn ${entry.params.burnBps} bps, fee ${entry.params.feeBps} bps, arbiter ${arbiter.toBase58()}${workPool ? `, work recorded in ${workPool.toBase58()}` : ""}`,
        build: async () =>
          walletTx(
            marketSdk.instructions.createMarket({
              admin,
              marketId: entry.id,
              name: entry.name,
              arbiter,
              stakingPool: poolKey,
              params: entry.params,
              workPool,
            }),
          ),
      });
    }
  }
  const configAdmin = ctx.existingConfig?.admin ?? admin;
  if (
    items.some((x) => x.status === "create" || x.status === "update") &&
    !configAdmin.equals(admin)
  )
    refusals.push(
      `markets: the market admin is ${configAdmin.toBase58()}, not the wallet ${admin.toBase58()}`,
    );
  return items;
}
