// The burn-and-mint balance of a run: its hours summed into a regime (net inflation or net
// deflation), and the checks that tie the hours to the chain: every hour's price is the path's,
// every USD job was converted at its hour's price, the hourly burns and emissions add up.
import { Connection } from "@solana/web3.js";

import { market } from "../../sdk/src";
import type { EventLog } from "./events";
import { DEMO_PRICE_ACCOUNT, PRICE_EXPONENT, PricePoint } from "./price";
import type { Check, HourRow, Regime } from "./types";
import { DECIMALS } from "./types";

const total = (rows: HourRow[], k: keyof HourRow) =>
  rows.reduce((s, r) => s + BigInt(r[k] as string), 0n);

export function regimeOf(rows: HourRow[], demand: number): Regime {
  const burned = total(rows, "burned");
  const emitted = total(rows, "emitted");
  const net = emitted - burned;
  return {
    demand,
    hours: rows.length,
    burned: burned.toString(),
    burnedMicroUsd: total(rows, "burnedMicroUsd").toString(),
    emitted: emitted.toString(),
    emittedToStake: total(rows, "emittedToStake").toString(),
    emittedToWork: total(rows, "emittedToWork").toString(),
    netSupplyChange: net.toString(),
    verdict: net > 0n ? "net inflation" : net < 0n ? "net deflation" : "balanced",
  };
}

/** The checks between the hours, the price path, the USD jobs' events and the chain. */
export async function balanceChecks(
  connection: Connection,
  rows: HourRow[],
  path: PricePoint[],
  events: EventLog,
  supply: { start: bigint; end: bigint },
  totalEmitted: bigint,
): Promise<Check[]> {
  // Every hour's price as read back from the chain is the path's point, published at the
  // hour's clock; the account holds the last one now.
  const wrong = rows.filter((r, i) => {
    const p = path[i];
    return (
      !p ||
      r.price.price !== p.price.toString() ||
      r.price.conf !== p.conf.toString() ||
      r.price.exponent !== PRICE_EXPONENT ||
      (i > 0 && BigInt(r.price.publishTime) <= BigInt(rows[i - 1].price.publishTime))
    );
  });
  const info = await connection.getAccountInfo(DEMO_PRICE_ACCOUNT, "confirmed");
  const last = info ? market.decodePriceUpdate(info.data) : undefined;
  const lastRow = rows[rows.length - 1];
  const lastOk =
    !!last &&
    !!lastRow &&
    last.price.toString() === lastRow.price.price &&
    last.publishTime.toString() === lastRow.price.publishTime;

  // Every USD job was converted at the price of the hour it was posted in.
  const byPublish = new Map(rows.map((r) => [r.price.publishTime, r]));
  const priced = events.market.filter((e) => e.name === "jobPricedInUsd").map((e) => e.data);
  const misconverted = priced.filter((e) => {
    const r = byPublish.get(String(e.publishTime));
    if (!r || String(e.price) !== r.price.price || String(e.conf) !== r.price.conf) return true;
    const p = {
      price: BigInt(r.price.price),
      conf: BigInt(r.price.conf),
      exponent: r.price.exponent,
      publishTime: BigInt(r.price.publishTime),
    };
    return market.tokensForMicroUsd(BigInt(String(e.microUsd)), p, DECIMALS) !== e.tokens;
  });
  const usdPosted = rows.reduce((s, r) => s + r.jobsPosted.usd, 0);

  const burned = total(rows, "burned");
  const emitted = total(rows, "emitted");
  const split =
    total(rows, "emittedToStake") + total(rows, "emittedToTreasury") + total(rows, "emittedToWork");
  return [
    {
      name: "every hour's price was written: the chain's price account read back equals the path",
      ok: wrong.length === 0 && rows.length === path.length && lastOk,
      detail: `${rows.length - wrong.length} of ${path.length} hours; the account now holds ${last ? last.price : "nothing"} × 10^${PRICE_EXPONENT} published at ${last?.publishTime ?? "-"}`,
    },
    {
      name: "every USD job was converted at its hour's price (JobPricedInUsd, SDK mirror)",
      ok: misconverted.length === 0 && priced.length === usdPosted,
      detail: `${priced.length - misconverted.length} of ${priced.length} events, ${usdPosted} USD jobs posted`,
    },
    {
      name: "the hourly burns add up to the supply's fall",
      ok: burned === supply.start - supply.end,
      detail: `${burned} = ${supply.start} - ${supply.end}`,
    },
    {
      name: "the hourly emissions add up to the vault's total, and their split to the emission",
      ok: emitted === totalEmitted && split === emitted,
      detail: `${emitted} = ${totalEmitted}; stake + treasury + work = ${split}`,
    },
  ];
}
