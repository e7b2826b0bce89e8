// `npm run demo`: a simulated week of Crucible on a local validator it starts itself, with a
// report (Markdown and JSON) and the burn-and-mint chart (SVG). `--demand low` keeps the USD
// demand's burn under the emission (net inflation), `--demand high` above it (net deflation);
// a number is a multiplier of USD_JOBS_PER_HOUR.
//
//   npm run demo                                   # 168 hours, 20 providers, 50 clients, low
//   npm run demo -- --demand high --hours 48
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
import { chart, markdown } from "./render";
import { DEFAULTS, DEMAND, DemoOptions, simulate } from "./simulate";

const ROOT = join(__dirname, "..");

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100_000) {
    throw new Error(`--${name}: expected a whole number from 1 to 100000, got "${value}"`);
  }
  return Number(value);
}

/** `low`, `high` or a multiplier of the USD market's base demand (0 to 100). */
function demand(value: string | undefined): number {
  if (value === undefined) return DEFAULTS.demand;
  if (value === "low" || value === "high") return DEMAND[value];
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 100) {
    throw new Error(`--demand: expected low, high or a multiplier from 0 to 100, got "${value}"`);
  }
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hours: { type: "string" },
      providers: { type: "string" },
      clients: { type: "string" },
      "jobs-per-hour": { type: "string" },
      demand: { type: "string" },
      slippage: { type: "string" },
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
      "usage: npm run demo -- [--hours 168] [--providers 20] [--clients 50] [--demand low|high|<multiplier>] [--jobs-per-hour 4] [--slippage <bps, 100>] [--seed 42] [--concurrency 8] [--out demo-out] [--url <rpc> --keypair <file>]",
    );
    return;
  }
  const o: DemoOptions = {
    hours: positive("hours", values.hours, DEFAULTS.hours),
    providers: positive("providers", values.providers, DEFAULTS.providers),
    clients: positive("clients", values.clients, DEFAULTS.clients),
    jobsPerHour: positive("jobs-per-hour", values["jobs-per-hour"], DEFAULTS.jobsPerHour),
    demand: demand(values.demand),
    slippageBps: positive("slippage", values.slippage, 100),
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
