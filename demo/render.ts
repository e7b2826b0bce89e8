// The demo's report as Markdown and its chart as SVG, from the report's figures.
import { DemoReport, HourRow, USD_JOBS_PER_HOUR } from "./simulate";

/** Formats base units (6 decimals) as tokens, signed. */
export function tokens(units: string | bigint, fractionDigits = 6): string {
  const u = BigInt(units);
  const abs = u < 0n ? -u : u;
  const whole = abs / 1_000_000n;
  const frac = (abs % 1_000_000n)
    .toString()
    .padStart(6, "0")
    .slice(0, fractionDigits)
    .replace(/0+$/, "");
  return `${u < 0n ? "−" : ""}${whole.toLocaleString("en-US")}${frac ? "." + frac : ""}`;
}

/** Formats micro-USD as dollars with cents. */
export function dollars(microUsd: string | bigint): string {
  const u = BigInt(microUsd);
  const cents = (u < 0n ? -u : u) / 10_000n;
  const s = `$${(cents / 100n).toLocaleString("en-US")}.${(cents % 100n).toString().padStart(2, "0")}`;
  return u < 0n ? `−${s}` : s;
}

/** A signed token amount with its sign always written (+ inflation, − deflation). */
const signed = (units: string | bigint, digits = 2) =>
  (BigInt(units) > 0n ? "+" : "") + tokens(units, digits);

type Series = [label: string, color: string, values: number[]];

/** Base units as a float of tokens (for drawing only). */
const asTokens = (units: string) => Number(BigInt(units) / 1000n) / 1000;

/**
 * Stacked panels, one point per simulated hour: the token/USD price, burn vs emission in the
 * hour, the circulating supply, and cumulative burn and emission.
 */
export function chart(rows: HourRow[]): string {
  const W = 760;
  const H = 190;
  const pad = { l: 110, r: 20, t: 40, b: 26 };
  const panels: Array<[title: string, series: Series[], zero?: boolean]> = [
    ["Token/USD price (written each hour)", [["price", "#8250df", rows.map((r) => r.priceUsd)]]],
    [
      "Per hour: burn vs emission (tokens)",
      [
        ["burn", "#d1242f", rows.map((r) => asTokens(r.burned))],
        ["emission", "#1a7f37", rows.map((r) => asTokens(r.emitted))],
      ],
      true,
    ],
    [
      "Circulating supply (tokens outside the emission vault)",
      [["supply", "#1f6feb", rows.map((r) => asTokens(r.circulatingSupply))]],
    ],
    [
      "Cumulative burn vs emission (tokens)",
      [
        ["burn", "#d1242f", rows.map((r) => asTokens(r.cumulativeBurned))],
        ["emission", "#1a7f37", rows.map((r) => asTokens(r.cumulativeEmitted))],
      ],
      true,
    ],
  ];
  const x = (i: number) => pad.l + ((W - pad.l - pad.r) * i) / Math.max(1, rows.length - 1);
  const label = (v: number) =>
    v.toLocaleString("en-US", { maximumFractionDigits: Math.abs(v) < 10 ? 4 : 0 });
  const parts = panels.map(([title, series, zero], p) => {
    const all = series.flatMap(([, , ys]) => ys);
    let lo = Math.min(...all, ...(zero ? [0] : []));
    let hi = Math.max(...all);
    if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
    const top = p * H;
    const y = (v: number) => top + pad.t + (H - pad.t - pad.b) * (1 - (v - lo) / (hi - lo));
    const legend = series.map(
      ([name, color], k) =>
        `<text x="${W - pad.r - 90 * (series.length - 1 - k)}" y="${top + 18}" font-size="12" text-anchor="end" fill="${color}">■ ${name}</text>`,
    );
    const lines = series.map(([, color, ys]) => {
      const d = ys.map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      return `<path d="${d.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`;
    });
    return [
      `<text x="${pad.l}" y="${top + 18}" font-size="13" font-weight="bold">${title}</text>`,
      ...(series.length > 1 ? legend : []),
      `<line x1="${pad.l}" y1="${top + H - pad.b}" x2="${W - pad.r}" y2="${top + H - pad.b}" stroke="#999"/>`,
      `<line x1="${pad.l}" y1="${top + pad.t}" x2="${pad.l}" y2="${top + H - pad.b}" stroke="#999"/>`,
      `<text x="${pad.l - 6}" y="${y(hi) + 4}" font-size="11" text-anchor="end">${label(hi)}</text>`,
      `<text x="${pad.l - 6}" y="${y(lo) + 4}" font-size="11" text-anchor="end">${label(lo)}</text>`,
      `<text x="${W - pad.r}" y="${top + H - 8}" font-size="11" text-anchor="end">hour ${rows.length}</text>`,
      `<text x="${pad.l}" y="${top + H - 8}" font-size="11">hour 1</text>`,
      ...lines,
    ].join("\n  ");
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H * panels.length}" font-family="sans-serif">\n  <rect width="100%" height="100%" fill="white"/>\n  ${parts.join("\n  ")}\n</svg>\n`;
}

/** The regime in one table: hours, total burn, total emission, net supply change. */
export function regimeTable(r: DemoReport): string[] {
  const g = r.regime;
  return [
    "| demand | hours | burned | burned (USD) | emitted (to stake / to work) | net supply change | |",
    "|---|---:|---:|---:|---:|---:|---|",
    `| ${g.demand} | ${g.hours} | ${tokens(g.burned, 2)} | ${dollars(g.burnedMicroUsd)} | ${tokens(g.emitted, 2)} (${tokens(g.emittedToStake, 2)} / ${tokens(g.emittedToWork, 2)}) | ${signed(g.netSupplyChange)} | ${g.verdict} |`,
  ];
}

export function markdown(r: DemoReport, chartFile = "chart.svg"): string {
  const o = r.options;
  const lines = [
    `# Crucible demo: ${o.hours} simulated hours, demand ${o.demand}`,
    "",
    `${o.providers} providers, ${o.clients} clients, about ${o.jobsPerHour} token-priced and ${(o.demand * USD_JOBS_PER_HOUR).toLocaleString("en-US", { maximumFractionDigits: 1 })} USD-priced jobs an hour, seed ${o.seed}; ${r.transactions} transactions in ${r.seconds.toFixed(0)} s.`,
    "",
    "## Burn and mint",
    "",
    `Net supply change is emission − burn: positive is net inflation, negative net deflation. Emission moves pre-funded tokens out of the vault into circulation; burns take them out of supply. "To work" is the work-rewards pool's share of the hour; "to providers" what of it the hour's providers share, at most 100 % of what their settlements burned in the hour ("cap binds" when that held part back; the rest goes to the stakers).`,
    "",
    ...regimeTable(r),
    "",
    "## Hour by hour",
    "",
    "| hour | price (USD) | jobs (tokens / USD) | burned | burned (USD) | emitted to stake | to work | to providers | work cap binds | net supply change | circulating supply |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ...r.hours.map(
      (h) =>
        `| ${h.hour} | ${h.priceUsd.toFixed(4)} | ${h.jobsPosted.tokens} / ${h.jobsPosted.usd} | ${tokens(h.burned, 2)} | ${dollars(h.burnedMicroUsd)} | ${tokens(h.emittedToStake, 2)} | ${tokens(h.emittedToWork, 2)} | ${tokens(h.workToProviders, 2)} | ${h.workCapBinding === null ? "–" : h.workCapBinding ? "yes" : "no"} | ${signed(h.netSupplyChange)} | ${tokens(h.circulatingSupply, 0)} |`,
    ),
    "",
    "## Jobs by outcome",
    "",
    "| outcome | jobs |",
    "|---|---:|",
    ...Object.entries(r.jobs.byOutcome).map(([k, v]) => `| ${k} | ${v} |`),
    `| **posted** | **${r.jobs.posted}** |`,
    "",
    "## Tokens",
    "",
    "| | tokens |",
    "|---|---:|",
    ...Object.entries(r.tokens).map(([k, v]) => `| ${k} | ${tokens(v)} |`),
    `| supply at the start | ${tokens(r.supply.start)} |`,
    `| supply at the end | ${tokens(r.supply.end)} |`,
    "",
    "## Checks (DESIGN.md's conservation rules, the price path, the hourly balance)",
    "",
    "| check | result | figures (base units) |",
    "|---|---|---|",
    ...r.checks.map((c) => `| ${c.name} | ${c.ok ? "pass" : "**FAIL**"} | ${c.detail} |`),
    "",
    "## Refused transactions (expected: racing actors, stake already locked, windows)",
    "",
    ...(Object.keys(r.rejected).length
      ? Object.entries(r.rejected).map(([k, v]) => `- ${k}: ${v}`)
      : ["- none"]),
    "",
    `![token/USD price, burn vs emission per hour, circulating supply, cumulative burn and emission per simulated hour](${chartFile})`,
    "",
  ];
  return lines.join("\n");
}
