// Pure mirrors of the staking program's reward math (programs/staking/src/math.rs and
// crates/crucible-common/src/math.rs), exact to the unit: Q64.64 accumulator, floor rounding.
import type { ProviderStake, StakePool } from "./accounts";

const Q64 = 1n << 64n;
const U64_MAX = Q64 - 1n;

/** `floor(a * q / 2^64)`. */
export function mulQ64Floor(a: bigint, q: bigint): bigint {
  return (a * q) / Q64;
}

type SyncFields =
  | "accRewardPerShare"
  | "accRemainder"
  | "accRemainderBase"
  | "rewardAccounted"
  | "totalActive"
  | "totalWarming";

/** How long new stake warms up before `activate_stake` (one emission hour), in seconds. */
export const WARMUP_SECS = 3600n;

/** The pool's earning stake: active stake that finished warming up. */
export function rewardWeight(pool: Pick<StakePool, "totalActive" | "totalWarming">): bigint {
  return pool.totalActive - pool.totalWarming;
}

/**
 * The accumulator after a sync with the reward vault holding `rewardVaultBalance`:
 * `acc += (arrived · 2^64 + remainder) / weight`, `weight` being the earning stake
 * (`totalActive - totalWarming`), where the remainder of the previous division is carried only
 * while the weight is unchanged.
 */
export function syncedAccumulator(
  pool: Pick<StakePool, SyncFields>,
  rewardVaultBalance: bigint,
): bigint {
  const arrived = rewardVaultBalance - pool.rewardAccounted;
  if (arrived < 0n) throw new RangeError("reward vault holds less than the pool has accounted");
  const weight = rewardWeight(pool);
  if (arrived === 0n || weight === 0n) return pool.accRewardPerShare;
  const carried = pool.accRemainderBase === weight ? pool.accRemainder : 0n;
  return pool.accRewardPerShare + ((arrived << 64n) + carried) / weight;
}

/**
 * What `owner` could claim now: settled rewards plus `max(0, floor(weight · acc / 2^64) - debt)`
 * (`weight = active - warming`)
 * after the sync that `claim_rewards` performs first. Matches the program to the unit.
 */
export function pendingRewards(
  pool: Pick<StakePool, SyncFields>,
  stake: Pick<ProviderStake, "active" | "warming" | "rewardDebt" | "rewardsPending">,
  rewardVaultBalance: bigint,
): bigint {
  const acc = syncedAccumulator(pool, rewardVaultBalance);
  const earned = mulQ64Floor(stake.active - stake.warming, acc);
  const fresh = earned > stake.rewardDebt ? earned - stake.rewardDebt : 0n;
  const total = stake.rewardsPending + fresh;
  if (total > U64_MAX) throw new RangeError("inconsistent stake account");
  return total;
}
