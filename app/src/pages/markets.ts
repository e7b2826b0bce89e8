// #/markets: every market with its parameters, and the open and running jobs (filtered on
// the server: `listJobs` with memcmp on the job's state and market).
import { market } from "@crucible/sdk";

import { formatTokens } from "../amount";
import { h, link, short, span } from "../dom";
import { connection, loadNetwork } from "../net";
import { noNetwork, type Page } from "../page";
import { jobTable } from "./jobs";

const bps = (n: number) => `${(n / 100).toFixed(2)} %`;

export function paramsRows(
  p: market.MarketParams,
  decimals: number,
): Array<[string, string, string]> {
  return [
    ["market-min-stake", "min provider stake", formatTokens(p.minProviderStake, decimals)],
    [
      "market-collateral",
      "collateral",
      `${bps(p.collateralBps)} (min ${formatTokens(p.minCollateral, decimals)})`,
    ],
    ["market-burn", "burn", bps(p.burnBps)],
    ["market-fee", "fee", bps(p.feeBps)],
    ["market-max-duration", "max duration", span(p.maxDurationSecs)],
    ["market-dispute-window", "dispute window", span(p.disputeWindowSecs)],
    ["market-arbitration-window", "arbitration window", span(p.arbitrationWindowSecs)],
    ["market-default-split", "default dispute split", bps(p.defaultDisputeSplitBps)],
    ["market-expiry-slash", "expiry slash", bps(p.expirySlashBps)],
    ["market-lifetime", "job lifetime", span(p.jobLifetimeSecs)],
    ["market-quit-grace", "quit grace", span(p.quitGraceSecs)],
  ];
}

export function marketsPage(): Page {
  return {
    title: "Markets",
    view: async () => {
      const net = await loadNetwork();
      if (!net) return noNetwork();
      const c = connection();
      const [markets, open, running] = await Promise.all([
        market.listMarkets(c),
        market.listJobs(c, { state: "open" }),
        market.listJobs(c, { state: "running" }),
      ]);
      const names = new Map(markets.map((m) => [m.address.toBase58(), m.account.name]));
      const header = ["id", "name", "min stake", "collateral", "burn", "fee", "max duration"];
      return h(
        "div",
        {},
        h(
          "table",
          { class: "list", testid: "markets-table" },
          h("tr", {}, ...header.map((t) => h("th", {}, t))),
          ...markets.map(({ address, account: m }) => {
            const a = address.toBase58();
            const p = m.params;
            return h(
              "tr",
              { testid: `market-row-${m.marketId}` },
              h("td", {}, String(m.marketId)),
              h("td", {}, link(`/market/${a}`, m.name || short(a), `market-link-${m.marketId}`)),
              h("td", {}, formatTokens(p.minProviderStake, net.decimals)),
              h(
                "td",
                {},
                `${bps(p.collateralBps)} (min ${formatTokens(p.minCollateral, net.decimals)})`,
              ),
              h("td", {}, bps(p.burnBps)),
              h("td", {}, bps(p.feeBps)),
              h("td", {}, span(p.maxDurationSecs)),
            );
          }),
        ),
        h("h2", {}, "Open jobs ", h("span", { testid: "open-count" }, String(open.length))),
        jobTable("open-jobs", open, net.decimals, names),
        h(
          "h2",
          {},
          "Running jobs ",
          h("span", { testid: "running-count" }, String(running.length)),
        ),
        jobTable("running-jobs", running, net.decimals, names),
      );
    },
    live: (c, changed) => {
      const id = c.onProgramAccountChange(market.program.programId, changed, "confirmed");
      return [() => void c.removeProgramAccountChangeListener(id)];
    },
  };
}
