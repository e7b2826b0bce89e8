// Pure mirrors of the market program's settlement arithmetic (programs/market/src/math.rs),
// exact to the unit: every share floors, the last share is the remainder.

const BPS = 10_000n;
const U64_MAX = (1n << 64n) - 1n;

function bpsFloor(amount: bigint, bps: number | bigint): bigint {
  return (amount * BigInt(bps)) / BPS;
}

/** How an amount paid for work settles: burned, fee to the treasury, paid to the provider. */
export interface Settlement {
  burned: bigint;
  fee: bigint;
  paid: bigint;
}

/** `burn = floor(A·burn/10 000)`, `fee = floor(A·fee/10 000)`, `paid = A − burn − fee`. */
export function settlementSplit(amount: bigint, burnBps: number, feeBps: number): Settlement {
  if (amount < 0n || amount > U64_MAX) throw new RangeError("amount must be a u64");
  if (burnBps + feeBps > 10_000) throw new RangeError("burn + fee must be at most 10 000 bps");
  const burned = bpsFloor(amount, burnBps);
  const fee = bpsFloor(amount, feeBps);
  return { burned, fee, paid: amount - burned - fee };
}

/** A dispute split: the provider's part floors, the client's refund is the rest. */
export function disputeSplit(
  price: bigint,
  providerShareBps: number,
): { refunded: bigint; providerPart: bigint } {
  if (providerShareBps < 0 || providerShareBps > 10_000)
    throw new RangeError("share must be 0..10 000 bps");
  const providerPart = bpsFloor(price, providerShareBps);
  return { refunded: price - providerPart, providerPart };
}

/** Everything a dispute verdict moves, as `resolve_dispute` computes it. */
export function disputeOutcome(
  price: bigint,
  providerShareBps: number,
  burnBps: number,
  feeBps: number,
): Settlement & { refunded: bigint } {
  const { refunded, providerPart } = disputeSplit(price, providerShareBps);
  return { refunded, ...settlementSplit(providerPart, burnBps, feeBps) };
}

/** Collateral of a job: `max(minCollateral, floor(price · collateralBps / 10 000))`. */
export function jobCollateral(price: bigint, collateralBps: number, minCollateral: bigint): bigint {
  const c = bpsFloor(price, collateralBps);
  return c > minCollateral ? c : minCollateral;
}

/** What an expiry slashes: `floor(collateral · expirySlashBps / 10 000)`. */
export function expirySlash(collateral: bigint, expirySlashBps: number): bigint {
  return bpsFloor(collateral, expirySlashBps);
}
