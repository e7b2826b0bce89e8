// The market config (global: one per cluster; it names the mint, the treasury and the admin):
// init_config (the wallet must be the mint authority), or set_treasury when the treasury differs.
import { PublicKey } from "@solana/web3.js";

import { market as marketSdk } from "../../../sdk/src";
import { Change, diff, MintContext, PlanItem, statusOf, walletTx } from "./context";

/** Plans the market config. */
export function planMarketConfig(ctx: MintContext, treasury: PublicKey): PlanItem {
  const { admin, configAddress, existingConfig, mint, refusals } = ctx;
  if (existingConfig) {
    const changes: Change[] = [];
    diff("treasury", existingConfig.treasury, treasury, true, changes);
    const status = statusOf(changes, ctx.update);
    if (status === "update" && !existingConfig.admin.equals(admin))
      refusals.push(
        `treasury: the market admin is ${existingConfig.admin.toBase58()}, not the wallet ${admin.toBase58()}`,
      );
    return {
      item: "market config",
      address: configAddress,
      status,
      changes,
      build: async () =>
        walletTx(marketSdk.instructions.setTreasury({ admin, newTreasury: treasury })),
    };
  }
  if (!ctx.isMintAuthority && !refusals.some((r) => r.startsWith("mint: the wallet")))
    refusals.push(
      `mint: the wallet ${admin.toBase58()} is not the mint authority of ${mint.toBase58()} (init_config needs it)`,
    );
  return {
    item: "market config",
    address: configAddress,
    status: "create",
    changes: [],
    note: `admin ${admin.toBase58()}, fee vault ${marketSdk.feeVaultPda().toBase58()}`,
    build: async () =>
      walletTx(
        marketSdk.instructions.initConfig({
          admin,
          mint,
          treasury,
          tokenProgram: ctx.tokenProgram,
        }),
      ),
  };
}
