// `npm run bench`: measures Crucible on this machine in one run and prints a table; the same
// figures go to bench/out/bench.json. See README.md ("Benchmark") for what each figure means.
//
//   npm run bench                         # defaults below
//   BENCH_RPC_LIFECYCLES=400 BENCH_CONCURRENCY=16 npm run bench
//   npm run bench -- --compute-units-only  # only the compute-unit estimates (5.)
//   npm run bench -- --write-compute-units # also rewrite sdk/src/common/compute-units.ts
//
// 1. Job lifecycles (create, accept, submit, complete) per second through the SDK over
//    JSON-RPC against crucible-localnet, several workers at once.
// 2. The same transactions straight into the in-process chain (localnet/program-tests/tests/bench.rs): the
//    upper bound the RPC layer is compared with.
// 3. SPL Token transfers per second over RPC on crucible-localnet, against the `litesvm` npm
//    package running the same workload in-process.
// 4. The largest emission catch-up in one transaction; bytes and rent per job, provider and
//    vault; transactions per lifecycle; transaction sizes against the 1 232-byte limit.
// 5. A compute-unit estimate of every instruction's worst case, with its method and error bars
//    (bench/compute-units.ts; needs valgrind), checked against the SDK's table.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import {
  ACCOUNT_SIZE,
  createAccount,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  createMint,
  createTransferInstruction,
  MINT_SIZE,
  mintTo,
  TOKEN_PROGRAM_ID,
  transfer,
} from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from "@solana/web3.js";
import { LiteSVM } from "litesvm";

import { CARGO_TARGET_DIR, startValidator } from "../tests/harness/validator";
import {
  type ComputeUnits,
  measureComputeUnits,
  median,
  RUN_TO_RUN_NOISE,
  valgrindAvailable,
  worst,
  writeTable,
} from "./compute-units";

const ROOT = join(__dirname, "..");
const TARGET = CARGO_TARGET_DIR;
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const RPC_LIFECYCLES = env("BENCH_RPC_LIFECYCLES", 200);
const CONCURRENCY = env("BENCH_CONCURRENCY", 8);
const TRANSFERS = env("BENCH_TRANSFERS", 1_000);

function cargo(args: string[], extraEnv: Record<string, string> = {}): string {
  return execFileSync("cargo", args, {
    cwd: ROOT,
    env: { ...process.env, CARGO_TARGET_DIR: TARGET, ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
  }).toString();
}

/** Runs `n` tasks with at most `limit` at once. */
async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await task(i);
    }),
  );
  return out;
}

async function rpcLifecycles(): Promise<Record<string, number>> {
  // The harness reads the provider from these, as under `npm test`.
  const { marketWorld, HOUR } = await import("../tests/harness/market");
  const { getProvider, fundedKeypair } = await import("../tests/harness/env");
  const { tokenAccount } = await import("../tests/harness/fixtures");
  const { MarketClient, StakingClient } = await import("../sdk/src");
  const w = await marketWorld({ providerStake: 1_000_000n * 1_000_000n });
  const provider = getProvider();
  // One client and one provider per worker, each with its own wallet, so workers never
  // contend for one fee payer or one stake account.
  const workers = await pool(CONCURRENCY, CONCURRENCY, async () => {
    const clientKey = await fundedKeypair(provider, 100);
    const providerKey = await fundedKeypair(provider, 100);
    const clientToken = await tokenAccount(
      provider,
      w.mint,
      clientKey.publicKey,
      1_000_000_000_000n,
    );
    const providerToken = await tokenAccount(
      provider,
      w.mint,
      providerKey.publicKey,
      1_000_000_000_000n,
    );
    const asClient = new AnchorProvider(provider.connection, new Wallet(clientKey), provider.opts);
    const asProvider = new AnchorProvider(
      provider.connection,
      new Wallet(providerKey),
      provider.opts,
    );
    await new StakingClient(asProvider).stake({
      mint: w.mint,
      source: providerToken,
      amount: 1_000_000_000_000n,
    });
    return {
      clientToken,
      providerToken,
      client: new MarketClient(asClient),
      provider: new MarketClient(asProvider),
    };
  });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    workers.map(async (k) => {
      for (let i = next++; i < RPC_LIFECYCLES; i = next++) {
        const { job } = await k.client.createJob({
          market: w.market,
          price: 10_000n,
          durationSecs: HOUR,
          clientToken: k.clientToken,
        });
        await k.provider.acceptJob({ job });
        await k.provider.submitResult({ job, resultHash: new Uint8Array(32).fill(1) });
        await k.client.completeJob({ job, providerToken: k.providerToken });
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  return {
    lifecycles: RPC_LIFECYCLES,
    concurrency: CONCURRENCY,
    seconds: secs,
    lifecyclesPerSecond: RPC_LIFECYCLES / secs,
    transactionsPerSecond: (4 * RPC_LIFECYCLES) / secs,
    msPerConfirmedTransaction: (secs * 1000 * CONCURRENCY) / (4 * RPC_LIFECYCLES),
  };
}

async function rpcTransfers(url: string, payer: Keypair): Promise<Record<string, number>> {
  const connection = new Connection(url, "confirmed");
  const mint = await createMint(connection, payer, payer.publicKey, null, 0);
  const senders = await pool(CONCURRENCY, CONCURRENCY, async () => {
    const kp = Keypair.generate();
    await connection.confirmTransaction(
      await connection.requestAirdrop(kp.publicKey, 10 * LAMPORTS_PER_SOL),
    );
    const account = await createAccount(connection, payer, mint, kp.publicKey, Keypair.generate());
    await mintTo(connection, payer, mint, account, payer, TRANSFERS);
    return { kp, account };
  });
  const sink = await createAccount(connection, payer, mint, payer.publicKey, Keypair.generate());
  let next = 0;
  const start = performance.now();
  // One Connection per sender, as independent clients have: web3.js caches the blockhash per
  // Connection, and concurrent identical transfers through one cache can race into
  // AlreadyProcessed (a client-side effect that a cluster would show too).
  await Promise.all(
    senders.map(async (s) => {
      const own = new Connection(url, "confirmed");
      for (let i = next++; i < TRANSFERS; i = next++)
        await transfer(own, s.kp, s.account, sink, s.kp, 1);
    }),
  );
  const secs = (performance.now() - start) / 1000;
  return {
    transfers: TRANSFERS,
    concurrency: CONCURRENCY,
    seconds: secs,
    transfersPerSecond: TRANSFERS / secs,
  };
}

function litesvmTransfers(): Record<string, number> {
  const svm = new LiteSVM();
  const payer = Keypair.generate();
  svm.airdrop(payer.publicKey, BigInt(1_000 * LAMPORTS_PER_SOL));
  const send = (tx: Transaction, signers: Keypair[]) => {
    tx.recentBlockhash = svm.latestBlockhash();
    tx.feePayer = payer.publicKey;
    tx.sign(payer, ...signers);
    const result = svm.sendTransaction(tx);
    if ("err" in result && typeof result.err === "function")
      throw new Error(`litesvm: ${String(result.err())}`);
    svm.expireBlockhash();
  };
  const mint = Keypair.generate();
  const rent = Number(svm.minimumBalanceForRentExemption(BigInt(MINT_SIZE)));
  send(
    new Transaction().add(
      SystemProgram.createAccount({
        fromPubkey: payer.publicKey,
        newAccountPubkey: mint.publicKey,
        lamports: rent,
        space: MINT_SIZE,
        programId: TOKEN_PROGRAM_ID,
      }),
      createInitializeMint2Instruction(mint.publicKey, 0, payer.publicKey, null),
    ),
    [mint],
  );
  // Token accounts through the same instructions spl-token's helpers send.
  const account = (owner: Keypair) => {
    const kp = Keypair.generate();
    const lamports = Number(svm.minimumBalanceForRentExemption(BigInt(ACCOUNT_SIZE)));
    send(
      new Transaction().add(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: kp.publicKey,
          lamports,
          space: ACCOUNT_SIZE,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeAccount3Instruction(kp.publicKey, mint.publicKey, owner.publicKey),
      ),
      [kp],
    );
    return kp.publicKey;
  };
  const from = account(payer);
  const to = account(payer);
  send(
    new Transaction().add(
      createMintToInstruction(mint.publicKey, from, payer.publicKey, TRANSFERS),
    ),
    [],
  );
  const start = performance.now();
  for (let i = 0; i < TRANSFERS; i++)
    send(new Transaction().add(createTransferInstruction(from, to, payer.publicKey, 1)), []);
  const secs = (performance.now() - start) / 1000;
  return { transfers: TRANSFERS, seconds: secs, transfersPerSecond: TRANSFERS / secs };
}

function inProcess(): Record<string, unknown> {
  const out = cargo(
    [
      "test",
      "--locked",
      "--manifest-path",
      "localnet/Cargo.toml",
      "-q",
      "-p",
      "crucible-program-tests",
      "--test",
      "bench",
      "--",
      "--ignored",
      "--nocapture",
    ],
    {
      BENCH_LIFECYCLES: String(env("BENCH_LIFECYCLES", 500)),
      BENCH_TRANSFERS: String(env("BENCH_INPROCESS_TRANSFERS", 2_000)),
      BENCH_RPC_WORKERS: String(CONCURRENCY),
    },
  );
  const line = out.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (!line) throw new Error(`the in-process bench printed no BENCH_JSON line:\n${out}`);
  return JSON.parse(line.slice("BENCH_JSON ".length));
}

const ARGS = process.argv.slice(2);
const COMPUTE_ONLY = ARGS.includes("--compute-units-only");
const WRITE_COMPUTE_UNITS = ARGS.includes("--write-compute-units");

/** Part 5: the compute-unit estimates, printed as a table; undefined without valgrind. */
function computeUnits(): ComputeUnits | { skipped: string } {
  if (!valgrindAvailable()) {
    const skipped = "valgrind is not installed: compute-unit estimates skipped";
    console.log(skipped);
    return { skipped };
  }
  console.error("==> compute units (cargo test --release --test compute, under callgrind)");
  const cu = measureComputeUnits(ROOT, TARGET);
  const rows = worst(cu.estimates).map((e) => [
    e.program,
    e.instruction,
    f(e.syscallUnits + e.hostSyscallUnits, 0),
    f(e.calleeUnits, 0),
    f(e.hostInstructions, 0),
    `${f(e.median, 0)} [${f(e.low, 0)}..${f(e.high, 0)}]`,
    f(e.committedLimit, 0),
    e.variant,
  ]);
  const head = [
    "program",
    "instruction",
    "syscall CU",
    "callee CU",
    "host instr",
    "estimate median [low..high]",
    "SDK limit",
    "worst case",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = new Set([2, 3, 4, 5, 6]);
  const line = (r: string[]) =>
    r.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(`\n${line(head)}`);
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  const k = cu.calibration;
  console.log(
    `\nk = ${k.median.toFixed(3)} CU per host instruction (median; min ${k.min.toFixed(3)}, max ` +
      `${k.max.toFixed(3)}) over ${k.points.length} ${k.program} instructions:`,
  );
  for (const p of k.points)
    console.log(
      `  ${p.instruction.padEnd(20)} SBF ${f(p.sbfUnits, 0).padStart(6)} CU, syscalls ` +
        `${f(p.syscallUnits, 0).padStart(4)}, host ${f(p.hostInstructions, 0).padStart(6)} instr, ` +
        `k ${p.unitsPerInstruction.toFixed(3)}`,
    );
  const c = cu.check;
  const inside = c.points.filter((p) => p.low <= p.sbfUnits && p.sbfUnits <= p.high).length;
  console.log(
    `\nCheck on ${c.program}, not used for k: ${inside} of ${c.points.length} measured SBF ` +
      `units within [low..high]; median error (toolchains differ, see the method) ` +
      `${median(c.points.map((p) => Math.abs(p.errorPercent))).toFixed(1)} %:`,
  );
  for (const p of c.points)
    console.log(
      `  ${p.instruction.padEnd(20)} SBF ${f(p.sbfUnits, 0).padStart(6)} CU, estimate ` +
        `${f(p.median, 0).padStart(6)} [${f(p.low, 0)}..${f(p.high, 0)}] ` +
        `(${p.errorPercent >= 0 ? "+" : ""}${p.errorPercent.toFixed(1)} %)`,
    );
  console.log(`\nMethod:\n${cu.method}`);
  if (WRITE_COMPUTE_UNITS) {
    console.log(`\nwritten: ${writeTable(ROOT, cu)}`);
  } else if (cu.stale.length > 0) {
    console.log(
      `\nThe SDK's table (sdk/src/common/compute-units.ts) no longer covers 1.5 x the upper ` +
        `estimate (beyond the ${RUN_TO_RUN_NOISE * 100} % run-to-run noise) of: ` +
        `${cu.stale.join(", ")}. Run \`npm run bench -- --write-compute-units\`.`,
    );
  } else {
    console.log(
      `\nThe SDK's table covers 1.5 x every upper estimate (within the ` +
        `${RUN_TO_RUN_NOISE * 100} % run-to-run noise).`,
    );
  }
  return cu;
}

function writeResults(results: Record<string, unknown>): void {
  const outDir = join(ROOT, "bench/out");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "bench.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwritten: bench/out/bench.json`);
}

/** `a` as a percentage of `b`. */
const pct = (a: unknown, b: unknown) => `${((100 * Number(a)) / Number(b)).toFixed(0)} %`;

const f = (n: unknown, digits = 1) =>
  typeof n === "number" ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : String(n);

async function main(): Promise<void> {
  if (COMPUTE_ONLY) {
    writeResults({ computeUnits: computeUnits() });
    process.exit(0);
  }
  console.error("==> building crucible-localnet and the in-process bench (dev profile)");
  cargo([
    "build",
    "--locked",
    "-q",
    "--manifest-path",
    "localnet/Cargo.toml",
    "-p",
    "crucible-localnet",
  ]);
  const dir = mkdtempSync(join(tmpdir(), "crucible-bench-"));
  const payer = Keypair.generate();
  const wallet = join(dir, "wallet.json");
  writeFileSync(wallet, JSON.stringify([...payer.secretKey]));
  const validator = await startValidator(wallet);
  process.env.ANCHOR_PROVIDER_URL = validator.url;
  process.env.ANCHOR_WALLET = wallet;
  let results: Record<string, unknown>;
  try {
    console.error(`==> ${RPC_LIFECYCLES} job lifecycles over RPC (${CONCURRENCY} workers)`);
    const rpc = await rpcLifecycles();
    console.error(`==> ${TRANSFERS} SPL transfers over RPC`);
    const rpcSpl = await rpcTransfers(validator.url, payer);
    console.error(`==> ${TRANSFERS} SPL transfers in the litesvm npm package`);
    const lite = litesvmTransfers();
    console.error("==> in-process chain (cargo test --test bench -- --ignored)");
    type Sized = { bytes: number; rentLamports: number };
    const local = inProcess() as Record<string, Record<string, unknown>> & {
      accounts: { job: Sized; provider: Sized; vault: Sized };
      transactionBytes: Array<Record<string, unknown>>;
    };
    results = {
      machine: {
        cpus: cpus().length,
        node: process.version,
        profile: "dev (debug = 0)",
      },
      rpc,
      rpcSpl,
      litesvmNpm: lite,
      ...local,
    };

    const rows: Array<[string, string, string]> = [
      [
        "Job lifecycles/s, in-process chain",
        f(local.inProcess.lifecyclesPerSecond),
        `${f(local.inProcess.transactionsPerSecond)} tx/s, one thread, no RPC (the upper bound)`,
      ],
      [
        "Job lifecycles/s, RPC (preflight)",
        f(local.rpcLean.lifecyclesPerSecond),
        `same transactions, ${local.rpcLean.workers} client threads, each sent and confirmed`,
      ],
      [
        "  RPC / in-process",
        pct(local.rpcLean.lifecyclesPerSecond, local.inProcess.lifecyclesPerSecond),
        "the RPC layer's cost (target: at least 50 %)",
      ],
      [
        "Job lifecycles/s, RPC (skipPreflight)",
        f(local.rpcLeanSkipPreflight.lifecyclesPerSecond),
        pct(local.rpcLeanSkipPreflight.lifecyclesPerSecond, local.inProcess.lifecyclesPerSecond) +
          " of in-process",
      ],
      [
        "Job lifecycles/s, SDK over RPC",
        f(rpc.lifecyclesPerSecond),
        `web3.js + Anchor, ${rpc.concurrency} workers, ${f(rpc.transactionsPerSecond)} tx/s (client-bound)`,
      ],
      [
        "SPL transfers/s, crucible-localnet RPC",
        f(rpcSpl.transfersPerSecond),
        `web3.js, ${rpcSpl.transfers} transfers, ${rpcSpl.concurrency} workers, confirmed; ${pct(rpcSpl.transfersPerSecond, local.inProcess.splTransfersPerSecond)} of in-process`,
      ],
      [
        "SPL transfers/s, litesvm npm in-process",
        f(lite.transfersPerSecond),
        `${lite.transfers} transfers, one thread`,
      ],
      [
        "SPL transfers/s, our chain in-process",
        f(local.inProcess.splTransfersPerSecond),
        "Rust, no RPC",
      ],
      [
        "Largest emission catch-up in 1 tx",
        `${f(local.emissionCatchUp.hours, 0)} h`,
        `${local.emissionCatchUp.periodsCrossed} decay periods, to the cap (${local.emissionCatchUp.schedule})`,
      ],
      [
        "Accounts / bytes / rent per job",
        `2 / ${local.accounts.job.bytes} B`,
        `${f(Number(local.accounts.job.rentLamports) / LAMPORTS_PER_SOL, 6)} SOL, all returned to the client`,
      ],
      [
        "Accounts / bytes / rent per provider",
        `1 / ${local.accounts.provider.bytes} B`,
        `${f(Number(local.accounts.provider.rentLamports) / LAMPORTS_PER_SOL, 6)} SOL`,
      ],
      [
        "Accounts / bytes / rent per vault",
        `2 / ${local.accounts.vault.bytes} B`,
        `${f(Number(local.accounts.vault.rentLamports) / LAMPORTS_PER_SOL, 6)} SOL`,
      ],
      ["Transactions per lifecycle", "4", "happy path; disputed 5, expired 3, cancelled 2"],
      [
        "create_job per transaction",
        String(local.createJobsPerTransaction),
        "batched by the SDK within 1 232 bytes",
      ],
      ...local.transactionBytes.map((t): [string, string, string] => [
        `Tx size: ${t.instruction}`,
        `${t.bytes} B`,
        "limit 1 232 B",
      ]),
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log(`${"measure".padEnd(w0)}  ${"value".padStart(w1)}  notes`);
    console.log(`${"-".repeat(w0)}  ${"-".repeat(w1)}  -----`);
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  } finally {
    validator.stop();
  }
  results.computeUnits = computeUnits();
  writeResults(results);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
