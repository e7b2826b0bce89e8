// The plan: reads the chain and decides, item by item, what the config needs, in the order the
// items are applied (mint, staking pool, treasury, market config, markets, vaults, the vaults'
// registration as reward sources). Each planner adds its refusals to the shared context; a
// last pass refuses whatever differs without --update or cannot change at all.
import { AnchorProvider } from "@coral-xyz/anchor";

import { market as marketSdk } from "../../../sdk/src";
import type { BootstrapConfig } from "./config";
import type { BootstrapOptions, Plan, PlanContext, PlanItem } from "./context";
import { planMarketConfig } from "./market-config";
import { planMarkets } from "./markets";
import { planMint } from "./mint";
import { planPool } from "./pool";
import { requireDeployed } from "./programs";
import { planTreasury } from "./treasury";
import { planRewardSources, planVaults } from "./vaults";
import { planWorkPools } from "./work-pools";

/** Refuses each difference that --update cannot apply, or that it was not given to apply. */
function refuseDifferences(items: PlanItem[], update: boolean, refusals: string[]): void {
  for (const item of items) {
    if (item.status !== "differs") continue;
    for (const c of item.changes) {
      if (!c.updatable) {
        if (!refusals.some((r) => r.startsWith(c.field)))
          refusals.push(
            `${c.field}: ${c.chain} on chain, ${c.config} in the config (cannot be changed)`,
          );
      } else if (!update) {
        refusals.push(
          `${c.field}: ${c.chain} on chain, ${c.config} in the config (run with --update to apply)`,
        );
      }
    }
  }
}

/** Reads the chain and decides, item by item, what the config needs. Sends nothing. */
export async function plan(
  provider: AnchorProvider,
  cfg: BootstrapConfig,
  o: BootstrapOptions = {},
): Promise<Plan> {
  const { connection } = provider;
  await requireDeployed(
    connection,
    cfg.vaults.length === 0
      ? ["crucible_staking", "crucible_market"]
      : ["crucible_staking", "crucible_market", "crucible_emissions"],
  );
  // The market config is read first: it names the network's mint.
  const configAddress = marketSdk.configPda();
  const ctx: PlanContext = {
    connection,
    admin: provider.wallet.publicKey,
    cfg,
    update: o.update === true,
    refusals: [],
    configAddress,
    existingConfig: await marketSdk.fetchMarketConfig(connection, configAddress),
  };
  const items: PlanItem[] = [];
  const { item: mintItem, mint } = await planMint(ctx);
  items.push(mintItem);
  const { item: poolItem, poolKey, pool } = await planPool(mint);
  items.push(poolItem);
  const { item: treasuryItem, treasury } = await planTreasury(mint);
  if (treasuryItem) items.push(treasuryItem);
  items.push(planMarketConfig(mint, treasury));
  items.push(...(await planWorkPools(mint, poolKey, treasury)));
  items.push(...(await planMarkets(mint, poolKey)));
  items.push(...(await planVaults(mint, poolKey, treasury)));
  items.push(...planRewardSources(mint, pool));
  refuseDifferences(items, ctx.update, ctx.refusals);
  return { admin: ctx.admin, mint: mint.mint, items, refusals: ctx.refusals };
}
