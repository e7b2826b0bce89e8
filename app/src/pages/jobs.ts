// Job tables, shared by the markets, market and provider pages.
import { market } from "@crucible/sdk";
import type { PublicKey } from "@solana/web3.js";

import { formatTokens } from "../amount";
import { h, link, short, span, when } from "../dom";

export type JobRow = { address: PublicKey; account: market.Job };

/** A table of jobs: one row each, `job-row-<address>`. */
export function jobTable(
  testid: string,
  jobs: JobRow[],
  decimals: number,
  names: Map<string, string>,
): HTMLElement {
  if (jobs.length === 0) return h("p", { testid, class: "muted" }, "none");
  const sorted = [...jobs].sort((a, b) => Number(b.account.createdAt - a.account.createdAt));
  return h(
    "table",
    { testid, class: "list" },
    h(
      "tr",
      {},
      ...["job", "market", "state", "price", "duration", "client", "provider", "created"].map((t) =>
        h("th", {}, t),
      ),
    ),
    ...sorted.map(({ address, account: j }) => {
      const a = address.toBase58();
      return h(
        "tr",
        { testid: `job-row-${a}` },
        h("td", {}, link(`/job/${a}`, short(a), `job-link-${a}`)),
        h("td", {}, names.get(j.market.toBase58()) ?? short(j.market.toBase58())),
        h("td", { testid: "job-row-state" }, j.state),
        h("td", { testid: "job-row-price" }, formatTokens(j.price, decimals)),
        h("td", {}, span(j.durationSecs)),
        h("td", {}, link(`/provider/${j.client.toBase58()}`, short(j.client.toBase58()))),
        h(
          "td",
          {},
          j.provider
            ? link(`/provider/${j.provider.toBase58()}`, short(j.provider.toBase58()))
            : "—",
        ),
        h("td", {}, when(j.createdAt)),
      );
    }),
  );
}
