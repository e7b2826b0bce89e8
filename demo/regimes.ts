// Both demand regimes on one page, from two runs' report.json: a comparison table (hours, total
// burn, total emission, net supply change) and each run's report and chart.
//
//   npm run demo -- --hours 48 --demand low  --out demo-out/low    # each on a fresh validator
//   npm run demo -- --hours 48 --demand high --out demo-out/high
//   node --import tsx demo/regimes.ts demo-out/low demo-out/high docs/demo-report.md
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

import { chart, dollars, markdown, tokens } from "./render";
import type { DemoReport } from "./simulate";

const read = (dir: string): DemoReport =>
  JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as DemoReport;

/** The comparison: one row per run. */
export function comparison(runs: Array<[name: string, r: DemoReport]>): string[] {
  return [
    "| demand | hours | total burn | total burn (USD) | total emission | net supply change | per hour: burn / emission |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...runs.map(([name, r]) => {
      const g = r.regime;
      const net = BigInt(g.netSupplyChange);
      const perHour = (units: string) => tokens(BigInt(units) / BigInt(g.hours), 0);
      return `| ${name} (${g.demand}) | ${g.hours} | ${tokens(g.burned, 2)} | ${dollars(g.burnedMicroUsd)} | ${tokens(g.emitted, 2)} | ${net > 0n ? "+" : ""}${tokens(net, 2)} (${g.verdict}) | ${perHour(g.burned)} / ${perHour(g.emitted)} |`;
    }),
  ];
}

function main(): void {
  const [lowDir, highDir, out] = process.argv.slice(2);
  if (!lowDir || !highDir || !out) {
    throw new Error("usage: node --import tsx demo/regimes.ts <low-dir> <high-dir> <out.md>");
  }
  const runs: Array<[string, DemoReport]> = [
    ["low", read(lowDir)],
    ["high", read(highDir)],
  ];
  const stem = basename(out, ".md").replace(/-report$/, "");
  const sections = runs.flatMap(([name, r]) => {
    const svg = `${stem}-chart-${name}.svg`;
    writeFileSync(join(dirname(out), svg), chart(r.hours));
    // The run's own report, its headings one level down.
    const body = markdown(r, svg).replace(/^#/gm, "##");
    return [body];
  });
  const page = [
    "# Crucible demo: low and high USD demand",
    "",
    "The same network twice, on a fresh validator each time: a token-priced market, a USD-priced",
    "market whose jobs are priced in micro-USD and converted at the token/USD price written into",
    "its Pyth account at the start of every simulated hour (a seeded walk, the same in both runs),",
    "and an emission vault paying 1 000 tokens an hour (80 % to the staking pool, 20 % to the",
    "treasury). Only the USD demand differs. Low demand burns less than the emission: the",
    "circulating supply grows (net inflation). High demand burns more: it shrinks (net deflation).",
    "",
    ...comparison(runs),
    "",
    ...sections,
  ];
  writeFileSync(out, page.join("\n"));
  console.log(`written: ${out}`);
}

if (require.main === module) main();
