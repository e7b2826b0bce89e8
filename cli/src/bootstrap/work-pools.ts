// The work-rewards pools: create_work_pool (anyone may; the wallet pays), before the vaults that
// pay them and the markets that record in them. Nothing in a pool can change after creation: an
// existing pool that differs from the config is refused.
import { PublicKey } from "@solana/web3.js";

import {
  emissions as emissionsSdk,
  market as marketSdk,
  staking as stakingSdk,
} from "../../../sdk/src";
import type { WorkPoolConfigEntry } from "./config";
import { Change, diff, MintContext, PlanItem, statusOf, walletTx } from "./context";

/** The token account a pool's destination names. */
export function destinationAccount(
  d: WorkPoolConfigEntry["destination"],
  poolKey: PublicKey,
  treasury: PublicKey,
): PublicKey {
  if (d === "stakingRewardVault") return stakingSdk.rewardVaultPda(poolKey);
  if (d === "treasury") return treasury;
  return d;
}

/** The address of the config's work pool `id`. */
export function workPoolAddress(ctx: MintContext, id: bigint): PublicKey {
  return emissionsSdk.workPoolPda(ctx.mint, id);
}

/** Plans every work pool of the config, in order. */
export async function planWorkPools(
  ctx: MintContext,
  poolKey: PublicKey,
  treasury: PublicKey,
): Promise<PlanItem[]> {
  const { admin, connection, mint, tokenProgram } = ctx;
  const items: PlanItem[] = [];
  for (const [i, p] of ctx.cfg.workPools.entries()) {
    const address = workPoolAddress(ctx, p.id);
    const destination = destinationAccount(p.destination, poolKey, treasury);
    const vault = emissionsSdk.vaultPda(mint, p.vault);
    const recorder = marketSdk.workRecorderPda();
    const existing = ctx.mintInfo ? await emissionsSdk.fetchWorkPool(connection, address) : null;
    const label = `work pool ${p.id}`;
    if (existing) {
      const changes: Change[] = [];
      diff(`workPools[${i}].vault`, existing.emissionVault, vault, false, changes);
      diff(`workPools[${i}].capBps`, existing.capBps, p.capBps, false, changes);
      diff(`workPools[${i}].destination`, existing.destination, destination, false, changes);
      diff(`workPools[${i}] recorder`, existing.recorder, recorder, false, changes);
      items.push({ item: label, address, status: statusOf(changes, ctx.update), changes });
      continue;
    }
    items.push({
      item: label,
      address,
      status: "create",
      changes: [],
      note: `cap ${p.capBps} bps of each hour's burn, follows vault ${p.vault}, the rest to ${destination.toBase58()}`,
      build: async () =>
        walletTx(
          emissionsSdk.createWorkPool({
            mint,
            poolId: p.id,
            tokenProgram,
            creator: admin,
            vaultId: p.vault,
            capBps: p.capBps,
            destination,
            recorder,
          }),
        ),
    });
  }
  return items;
}
