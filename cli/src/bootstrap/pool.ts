// The mint's staking pool (its locker: the market's collateral PDA): init_pool, or update_pool
// for the minimum stake and the unbonding delay.
import { PublicKey } from "@solana/web3.js";

import { market as marketSdk, staking as stakingSdk } from "../../../sdk/src";
import { formatAmount } from "../parse";
import { Change, diff, MintContext, PlanItem, statusOf, walletTx } from "./context";

/** Plans the staking pool; returns it with its address and account (null when to be created). */
export async function planPool(ctx: MintContext): Promise<{
  item: PlanItem;
  poolKey: PublicKey;
  pool: stakingSdk.StakePool | null;
}> {
  const { admin, cfg, connection, mint, refusals, update } = ctx;
  const poolKey = stakingSdk.poolPda(mint);
  const pool = ctx.mintInfo ? await stakingSdk.fetchStakePool(connection, poolKey) : null;
  const collateral = marketSdk.collateralPda();
  if (pool) {
    const changes: Change[] = [];
    diff("staking.minStake", pool.minStake, cfg.staking.minStake, true, changes);
    diff("staking.unbondingSecs", pool.unbondingSecs, cfg.staking.unbondingSecs, true, changes);
    diff("staking pool locker", pool.locker, collateral, false, changes);
    const status = statusOf(changes, update);
    if (status === "update" && !pool.admin.equals(admin))
      refusals.push(
        `staking: the pool's admin is ${pool.admin.toBase58()}, not the wallet ${admin.toBase58()}`,
      );
    const item: PlanItem = {
      item: "staking pool",
      address: poolKey,
      status,
      changes,
      build: async () =>
        walletTx(
          stakingSdk.instructions.updatePool({
            admin,
            mint,
            minStake: pool.minStake !== cfg.staking.minStake ? cfg.staking.minStake : undefined,
            unbondingSecs:
              pool.unbondingSecs !== cfg.staking.unbondingSecs
                ? cfg.staking.unbondingSecs
                : undefined,
          }),
        ),
    };
    return { item, poolKey, pool };
  }
  if (!ctx.isMintAuthority)
    refusals.push(
      `mint: the wallet ${admin.toBase58()} is not the mint authority of ${mint.toBase58()} (init_pool needs it)`,
    );
  const item: PlanItem = {
    item: "staking pool",
    address: poolKey,
    status: "create",
    changes: [],
    note: `min stake ${formatAmount(cfg.staking.minStake, cfg.mint.decimals)}, unbonding ${cfg.staking.unbondingSecs} s`,
    build: async () =>
      walletTx(
        stakingSdk.instructions.initPool({
          admin,
          mint,
          minStake: cfg.staking.minStake,
          unbondingSecs: cfg.staking.unbondingSecs,
          locker: collateral,
          tokenProgram: ctx.tokenProgram,
        }),
      ),
  };
  return { item, poolKey, pool };
}
