// The demo's token/USD price: a seeded geometric random walk with drift, one point an hour,
// written at the start of every simulated hour into a Pyth `PriceUpdateV2` account at a fixed
// address (surfpool's `surfnet_setAccount`, in the receiver program's exact layout, owner the
// receiver program, fully verified), published at the chain's clock. The USD market reads it
// as it would read Pyth's push feed on a real cluster.
import { createHash } from "node:crypto";

import { Connection, Keypair, PublicKey } from "@solana/web3.js";

import { market } from "../../sdk/src";
import { setAccount } from "../../tests/harness/cheatcodes";
import { Rng } from "../../tests/harness/rng";

/** The feed the demo's USD market pins: "CRU/USD", a made-up feed id fixed here. */
export const DEMO_FEED_ID = Uint8Array.from(
  createHash("sha256").update("crucible-demo CRU/USD").digest(),
);

/** Where the demo's price lives: a fixed address, derived from the feed id under the Pyth
 * receiver program (it signs nothing; the validator's cheatcode writes it). */
export const DEMO_PRICE_ACCOUNT = PublicKey.findProgramAddressSync(
  [Buffer.from("crucible-demo-price"), DEMO_FEED_ID],
  market.PYTH_RECEIVER_PROGRAM_ID,
)[0];

/** The USD market's oracle bounds: a price older than an hour, or wider than 1 %, is refused. */
export const MAX_PRICE_AGE_SECS = 3_600;
export const MAX_CONF_BPS = 100;

/** Prices are written with Pyth's usual exponent for USD pairs: 10^-8 dollars. */
export const PRICE_EXPONENT = -8;

/** The walk: start, drift and volatility per hour (log returns), confidence in bps. */
export const PRICE_WALK = {
  startUsd: 0.5,
  driftPerHour: 0.0005,
  volatilityPerHour: 0.02,
  confBpsMin: 2,
  confBpsMax: 8,
};

/** One hour's point of the path, in the account's integers (price and conf × 10^-8 USD). */
export interface PricePoint {
  price: bigint;
  conf: bigint;
  /** Pyth's exponentially weighted average (α = 0.2 an hour) and its confidence. */
  emaPrice: bigint;
  emaConf: bigint;
}

/** The path of `hours` points for `seed`: its own random stream (the jobs' draws never shift
 * it), so a run's prices depend only on the seed and the hour. */
export function pricePath(seed: number, hours: number): PricePoint[] {
  const r = new Rng((seed * 2_654_435_761 + 0x50595448) >>> 0);
  const { startUsd, driftPerHour, volatilityPerHour, confBpsMin, confBpsMax } = PRICE_WALK;
  const scale = 10 ** -PRICE_EXPONENT;
  const points: PricePoint[] = [];
  let usd = startUsd;
  let ema = startUsd;
  let emaConf = 0;
  for (let h = 0; h < hours; h++) {
    if (h > 0) {
      // Box-Muller: a standard normal draw from two uniform ones.
      const z = Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
      usd *= Math.exp(driftPerHour - volatilityPerHour ** 2 / 2 + volatilityPerHour * z);
    }
    const confBps = confBpsMin + r.next() * (confBpsMax - confBpsMin);
    const price = BigInt(Math.round(usd * scale));
    const conf = (price * BigInt(Math.round(confBps * 100))) / 1_000_000n;
    ema = h === 0 ? usd : 0.8 * ema + 0.2 * usd;
    emaConf = h === 0 ? Number(conf) : 0.8 * emaConf + 0.2 * Number(conf);
    points.push({
      price,
      conf,
      emaPrice: BigInt(Math.round(ema * scale)),
      emaConf: BigInt(Math.round(emaConf)),
    });
  }
  return points;
}

/** Writes `p` into the demo's price account, published at `publishTime` (the chain's clock). */
export async function writePrice(
  connection: Connection,
  p: PricePoint,
  publishTime: bigint,
  prevPublishTime: bigint,
  postedSlot: bigint,
): Promise<void> {
  const data = market.encodePriceUpdate({
    writeAuthority: WRITE_AUTHORITY,
    verification: { level: "full" },
    feedId: DEMO_FEED_ID,
    price: p.price,
    conf: p.conf,
    exponent: PRICE_EXPONENT,
    publishTime,
    prevPublishTime,
    emaPrice: p.emaPrice,
    emaConf: p.emaConf,
    postedSlot,
  });
  await setAccount(connection.rpcEndpoint, DEMO_PRICE_ACCOUNT, {
    lamports: 10_000_000,
    data: Buffer.from(data).toString("hex"),
    owner: market.PYTH_RECEIVER_PROGRAM_ID.toBase58(),
  });
}

/** The price account as the market will check it at `now`, read back from the chain. */
export async function readPrice(connection: Connection, now: bigint): Promise<market.Price> {
  const info = await connection.getAccountInfo(DEMO_PRICE_ACCOUNT, "confirmed");
  if (!info) throw new Error(`no price account at ${DEMO_PRICE_ACCOUNT.toBase58()}`);
  return market.validatedPrice(
    info.owner,
    info.data,
    DEMO_FEED_ID,
    MAX_PRICE_AGE_SECS,
    MAX_CONF_BPS,
    now,
  );
}

/** `price` (× 10^exponent USD) as dollars, for display and the chart. */
export function usdOf(price: { price: bigint; exponent: number }): number {
  return Number(price.price) * 10 ** price.exponent;
}

/** Micro-USD worth of `units` token base units (6 decimals) at `price`, rounded down. */
export function microUsdOf(units: bigint, price: { price: bigint; exponent: number }): bigint {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const v =
    price.exponent >= 0
      ? abs * price.price * 10n ** BigInt(price.exponent)
      : (abs * price.price) / 10n ** BigInt(-price.exponent);
  return neg ? -v : v;
}

/** The write authority recorded in the account (Pyth's would be the receiver's payer). */
const WRITE_AUTHORITY = Keypair.fromSeed(new Uint8Array(32).fill(7)).publicKey;
