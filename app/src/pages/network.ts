// #/network: the burn-and-mint picture. Supply (the mint), tokens still in the emission
// vaults, cumulative emission (the vaults' `totalEmitted`, and per hour from their
// schedules), cumulative burn (every settlement's burn, from the market's events in the
// cluster's history), per UTC hour; plus samples of the supply recorded while the page is open.
import { emissions, market, MARKET_PROGRAM_ID } from "@crucible/sdk";
import { AccountLayout } from "@solana/spl-token";
import type { Connection } from "@solana/web3.js";

import { formatTokens } from "../amount";
import { lineChart } from "../chart";
import { facts, h, when } from "../dom";
import { chainNow, connection, loadNetwork } from "../net";
import { noNetwork, type Page } from "../page";

const HOUR = 3_600n;
/** Hours in the per-hour table and chart. */
const HOURS_SHOWN = 48n;

/** Burns read from settled transactions, by signature (a transaction never changes). */
const burnsBySig = new Map<string, { time: bigint; burned: bigint }>();

/** Every burn the market's events report (settlements and dispute slashes to burn), with its
 * block time, from the newest `pages` × 1 000 market transactions. */
async function marketBurns(
  c: Connection,
  pages = 5,
): Promise<Array<{ time: bigint; burned: bigint }>> {
  let before: string | undefined;
  const fresh: string[] = [];
  const times = new Map<string, bigint>();
  for (let i = 0; i < pages; i++) {
    const sigs = await c.getSignaturesForAddress(
      MARKET_PROGRAM_ID,
      { limit: 1000, before },
      "confirmed",
    );
    let known = false;
    for (const s of sigs) {
      // Newest first: past a transaction read before, every older one was read too.
      if (burnsBySig.has(s.signature)) {
        known = true;
        break;
      }
      if (s.err) continue;
      fresh.push(s.signature);
      times.set(s.signature, BigInt(s.blockTime ?? 0));
    }
    if (known || sigs.length < 1000) break;
    before = sigs[sigs.length - 1].signature;
  }
  for (let i = 0; i < fresh.length; i += 100) {
    const batch = fresh.slice(i, i + 100);
    const txs = await c.getTransactions(batch, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    txs.forEach((tx, k) => {
      if (!tx) return;
      let burned = 0n;
      for (const e of market.parseEvents(tx.meta?.logMessages ?? [])) {
        if (e.name === "jobCompleted") burned += e.data.burned;
        if (e.name === "disputeResolved")
          burned += e.data.burned + (e.data.slashBurned ? e.data.slashed : 0n);
      }
      const time = tx.blockTime ? BigInt(tx.blockTime) : (times.get(batch[k]) ?? 0n);
      burnsBySig.set(batch[k], { time, burned });
    });
  }
  return [...burnsBySig.values()].filter((b) => b.burned > 0n);
}

interface Sample {
  time: bigint;
  supply: bigint;
  emitted: bigint;
  burned: bigint;
}

export function networkPage(): Page {
  const samples: Sample[] = [];
  return {
    title: "Network",
    view: async () => {
      const net = await loadNetwork();
      if (!net) return noNetwork();
      const c = connection();
      const [supplyRes, vaults, now, burns] = await Promise.all([
        c.getTokenSupply(net.mint, "confirmed"),
        emissions.listEmissionVaults(c, { mint: net.mint }),
        chainNow(),
        marketBurns(c),
      ]);
      const d = net.decimals;
      const t = (x: bigint) => formatTokens(x, d);
      const supply = BigInt(supplyRes.value.amount);
      const vaultInfos = vaults.length
        ? await c.getMultipleAccountsInfo(
            vaults.map((v) => v.account.tokenVault),
            "confirmed",
          )
        : [];
      const inVaults = vaultInfos.reduce(
        (s, info) => s + (info ? AccountLayout.decode(info.data).amount : 0n),
        0n,
      );
      const emitted = vaults.reduce((s, v) => s + v.account.totalEmitted, 0n);
      const burned = burns.reduce((s, b) => s + b.burned, 0n);
      const last = samples[samples.length - 1];
      if (
        !last ||
        last.supply !== supply ||
        last.emitted !== emitted ||
        last.burned !== burned ||
        last.time !== now
      )
        samples.push({ time: now, supply, emitted, burned });
      if (samples.length > 500) samples.shift();

      // Per UTC hour: what the schedules emit by each hour's end, and the burns in it.
      const hourNow = now / HOUR;
      const first = hourNow - HOURS_SHOWN + 1n;
      const scheduled = (end: bigint) =>
        vaults.reduce(
          (s, { account: v }) =>
            s +
            emissions.cumulativeEmitted(
              emissions.scheduleOf(v),
              emissions.hoursDue(v.startTs, end),
            ),
          0n,
        );
      const rows: Array<{
        hour: bigint;
        emitted: bigint;
        cumEmitted: bigint;
        burned: bigint;
        cumBurned: bigint;
      }> = [];
      let cumBurned = burns.filter((b) => b.time / HOUR < first).reduce((s, b) => s + b.burned, 0n);
      let prev = scheduled(first * HOUR);
      for (let hr = first; hr <= hourNow; hr++) {
        const cum = scheduled((hr + 1n) * HOUR);
        const inHour = burns.filter((b) => b.time / HOUR === hr).reduce((s, b) => s + b.burned, 0n);
        cumBurned += inHour;
        rows.push({ hour: hr, emitted: cum - prev, cumEmitted: cum, burned: inHour, cumBurned });
        prev = cum;
      }
      const active = rows.filter((r) => r.emitted > 0n || r.burned > 0n || r.hour === hourNow);
      return h(
        "div",
        {},
        facts([
          ["net-mint", "mint", net.mint.toBase58()],
          ["net-decimals", "decimals", String(d)],
          ["net-supply", "supply", t(supply)],
          ["net-in-vaults", "still in emission vaults", t(inVaults)],
          ["net-circulating", "outside the vaults", t(supply - inVaults)],
          ["net-emitted", "cumulative emission (paid)", t(emitted)],
          ["net-burned", "cumulative burn", t(burned)],
          ["net-net", "emission − burn", t(emitted - burned)],
          ["chain-now", "chain time", when(now)],
        ]),
        lineChart(
          "network-chart",
          [
            {
              label: "cum. emission",
              values: rows.map((r) => r.cumEmitted),
              color: "#36c",
              format: t,
            },
            { label: "cum. burn", values: rows.map((r) => r.cumBurned), color: "#c63", format: t },
          ],
          [when(first * HOUR).slice(0, 13) + "h", "now"],
        ),
        h("h2", {}, "Per hour (UTC, by the chain's clock)"),
        h(
          "table",
          { class: "list", testid: "network-hours" },
          h(
            "tr",
            {},
            ...["hour", "emission", "cumulative emission", "burn", "cumulative burn"].map((x) =>
              h("th", {}, x),
            ),
          ),
          ...active
            .reverse()
            .map((r) =>
              h(
                "tr",
                { testid: `hour-${r.hour}` },
                h("td", {}, when(r.hour * HOUR).slice(0, 13) + "h"),
                h("td", {}, t(r.emitted)),
                h("td", {}, t(r.cumEmitted)),
                h("td", {}, t(r.burned)),
                h("td", {}, t(r.cumBurned)),
              ),
            ),
        ),
        h("h2", {}, "Samples while this page is open"),
        h(
          "table",
          { class: "list", testid: "network-samples" },
          h("tr", {}, ...["chain time", "supply", "emitted", "burned"].map((x) => h("th", {}, x))),
          ...[...samples]
            .reverse()
            .map((s) =>
              h(
                "tr",
                {},
                h("td", {}, when(s.time)),
                h("td", {}, t(s.supply)),
                h("td", {}, t(s.emitted)),
                h("td", {}, t(s.burned)),
              ),
            ),
        ),
      );
    },
    live: (c, changed) => {
      const subs: Array<() => void> = [];
      const a = c.onProgramAccountChange(emissions.program.programId, changed, "confirmed");
      const b = c.onLogs(MARKET_PROGRAM_ID, changed, "confirmed");
      subs.push(
        () => void c.removeProgramAccountChangeListener(a),
        () => void c.removeOnLogsListener(b),
      );
      void loadNetwork().then((net) => {
        if (!net) return;
        const m = c.onAccountChange(net.mint, changed, "confirmed");
        subs.push(() => void c.removeAccountChangeListener(m));
      });
      return subs;
    },
  };
}
