// `npm run demo`: a simulated week of Crucible on a local validator it starts itself, with a
// report (Markdown and JSON) and the burn-and-mint chart (SVG).
//
//   npm run demo                                   # 168 hours, 20 providers, 50 clients
//   npm run demo -- --hours 24 --providers 5 --clients 10 --seed 7 --out demo-out
//   npm run demo -- --url http://127.0.0.1:8899 --keypair ~/.config/solana/id.json
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { Connection, Keypair } from "@solana/web3.js";

import { CARGO_TARGET_DIR, startValidator } from "../tests/harness/validator";
import { DEFAULTS, DemoOptions, DemoReport, HourRow, simulate } from "./simulate";

const ROOT = join(__dirname, "..");

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100_000) {
    throw new Error(`--${name}: expected a whole number from 1 to 100000, got "${value}"`);
  }
  return Number(value);
}

/** Formats base units (6 decimals) as tokens. */
function tokens(units: string | bigint): string {
  const u = BigInt(units);
  const whole = u / 1_000_000n;
  const frac = (u % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${whole.toLocaleString("en-US")}${frac ? "." + frac : ""}`;
}

/** Three stacked panels: supply, cumulative burn, cumulative emission, per simulated hour. */
export function chart(rows: HourRow[]): string {
  const W = 760;
  const H = 180;
  const pad = { l: 110, r: 20, t: 28, b: 26 };
  const panels: Array<[string, keyof HourRow, string]> = [
    ["Supply (tokens)", "supply", "#1f6feb"],
    ["Cumulative burn (tokens)", "cumulativeBurned", "#d1242f"],
    ["Cumulative emission (tokens)", "cumulativeEmitted", "#1a7f37"],
  ];
  const x = (i: number) => pad.l + ((W - pad.l - pad.r) * i) / Math.max(1, rows.length - 1);
  const parts = panels.map(([title, key, color], p) => {
    const ys = rows.map((r) => Number(BigInt(r[key] as string) / 1000n) / 1000);
    let lo = Math.min(...ys);
    let hi = Math.max(...ys);
    if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
    const y = (v: number) => p * H + pad.t + (H - pad.t - pad.b) * (1 - (v - lo) / (hi - lo));
    const path = ys
      .map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`)
      .join(" ");
    const label = (v: number) =>
      v.toLocaleString("en-US", { maximumFractionDigits: v < 100 ? 2 : 0 });
    return [
      `<text x="${pad.l}" y="${p * H + 18}" font-size="13" font-weight="bold">${title}</text>`,
      `<line x1="${pad.l}" y1="${p * H + H - pad.b}" x2="${W - pad.r}" y2="${p * H + H - pad.b}" stroke="#999"/>`,
      `<line x1="${pad.l}" y1="${p * H + pad.t}" x2="${pad.l}" y2="${p * H + H - pad.b}" stroke="#999"/>`,
      `<text x="${pad.l - 6}" y="${y(hi) + 4}" font-size="11" text-anchor="end">${label(hi)}</text>`,
      `<text x="${pad.l - 6}" y="${y(lo) + 4}" font-size="11" text-anchor="end">${label(lo)}</text>`,
      `<text x="${W - pad.r}" y="${p * H + H - 8}" font-size="11" text-anchor="end">hour ${rows.length}</text>`,
      `<text x="${pad.l}" y="${p * H + H - 8}" font-size="11">hour 1</text>`,
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`,
    ].join("\n  ");
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H * panels.length}" font-family="sans-serif">\n  <rect width="100%" height="100%" fill="white"/>\n  ${parts.join("\n  ")}\n</svg>\n`;
}

export function markdown(r: DemoReport): string {
  const lines = [
    `# Crucible demo: ${r.options.hours} simulated hours`,
    "",
    `${r.options.providers} providers, ${r.options.clients} clients, about ${r.options.jobsPerHour} jobs an hour, seed ${r.options.seed}; ${r.transactions} transactions in ${r.seconds.toFixed(0)} s.`,
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
    "## Conservation checks (DESIGN.md)",
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
    "![supply, cumulative burn and cumulative emission per simulated hour](chart.svg)",
    "",
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hours: { type: "string" },
      providers: { type: "string" },
      clients: { type: "string" },
      "jobs-per-hour": { type: "string" },
      seed: { type: "string" },
      concurrency: { type: "string" },
      out: { type: "string" },
      url: { type: "string" },
      keypair: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm run demo -- [--hours 168] [--providers 20] [--clients 50] [--jobs-per-hour 10] [--seed 42] [--concurrency 8] [--out demo-out] [--url <rpc> --keypair <file>]",
    );
    return;
  }
  const o: DemoOptions = {
    hours: positive("hours", values.hours, DEFAULTS.hours),
    providers: positive("providers", values.providers, DEFAULTS.providers),
    clients: positive("clients", values.clients, DEFAULTS.clients),
    jobsPerHour: positive("jobs-per-hour", values["jobs-per-hour"], DEFAULTS.jobsPerHour),
    seed: positive("seed", values.seed, DEFAULTS.seed),
    concurrency: positive("concurrency", values.concurrency, DEFAULTS.concurrency),
    progress: (hour, hours, line) => {
      const done = Math.round((30 * hour) / hours);
      process.stderr.write(
        `\r[${"#".repeat(done)}${".".repeat(30 - done)}] hour ${hour}/${hours}  ${line}`.padEnd(
          110,
        ),
      );
    },
  };
  const out = resolve(values.out ?? join(ROOT, "demo-out"));
  let url = values.url;
  let wallet = values.keypair;
  let stop = () => undefined as void;
  if (!url) {
    process.stderr.write("==> building and starting crucible-localnet\n");
    execFileSync(
      "cargo",
      [
        "build",
        "--locked",
        "-q",
        "--manifest-path",
        "localnet/Cargo.toml",
        "-p",
        "crucible-localnet",
      ],
      {
        cwd: ROOT,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, CARGO_TARGET_DIR },
      },
    );
    wallet = join(mkdtempSync(join(tmpdir(), "crucible-demo-")), "admin.json");
    writeFileSync(wallet, JSON.stringify([...Keypair.generate().secretKey]));
    const v = await startValidator(wallet);
    url = v.url;
    stop = v.stop;
  } else if (!wallet) {
    throw new Error("--url needs --keypair (the admin: the mint authority of a fresh network)");
  }
  const admin = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(wallet!, "utf8"))));
  const provider = new AnchorProvider(new Connection(url, "confirmed"), new Wallet(admin), {
    commitment: "confirmed",
    preflightCommitment: "confirmed",
  });
  try {
    const report = await simulate(provider, o);
    process.stderr.write("\n");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "report.json"), JSON.stringify(report, null, 2) + "\n");
    writeFileSync(join(out, "report.md"), markdown(report));
    writeFileSync(join(out, "chart.svg"), chart(report.hours));
    console.log(markdown(report));
    console.log(`written: ${join(out, "report.md")}, report.json, chart.svg`);
    if (!report.checks.every((c) => c.ok)) {
      console.error("a conservation check failed");
      process.exitCode = 1;
    }
  } finally {
    stop();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e) => {
      console.error(`\nerror: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
