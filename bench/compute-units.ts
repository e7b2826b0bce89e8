// Compute-unit estimates for every instruction of the three programs (bench/README.md, "Compute
// units"): the in-process measurement (localnet/program-tests/tests/compute.rs) under valgrind's
// callgrind, its dumps parsed here, calibrated against SPL Token-2022 run both as its SBF binary
// and natively, and written as sdk/src/common/compute-units.ts.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { COMPUTE_UNIT_LIMITS } from "../sdk/src/common/compute-units";

type Program = keyof typeof COMPUTE_UNIT_LIMITS;
type Count = [calls: number, units: number];
interface Row {
  group: string;
  instruction: string;
  variant: string;
  dump: number;
  txUnits: number;
  tally: {
    log: Count;
    logData: Count;
    invoke: Count;
    sysvar: Count;
    returnData: Count;
    other: Count;
    syscallUnits: number;
    calleeUnits: number;
  };
}

/**
 * Host functions that are syscalls on chain: charged per call (low, median, high), their host
 * instructions excluded. An arc from one of them into another is not counted twice.
 */
const HOST_SYSCALLS: Array<{ pattern: RegExp; units: [number, number, number]; what: string }> = [
  {
    // sol_try_find_program_address: 1 500 units per attempt, and each attempt fails (the
    // address is on the curve) with probability 1/2, whatever the host's run met with these
    // random keys: 1 attempt at best, 2 on average, 6 for the upper bound (exceeded by 1 find
    // in 64; the SDK's 1.5x headroom then covers several more).
    pattern: /^solana_pubkey::Pubkey::(try_)?find_program_address$/,
    units: [1_500, 3_000, 9_000],
    what: "find_program_address",
  },
  {
    // sol_create_program_address (seeds with a stored bump): 1 500 units, one attempt.
    pattern: /^solana_pubkey::Pubkey::create_program_address$/,
    units: [1_500, 1_500, 1_500],
    what: "create_program_address",
  },
  {
    // solana-program-memory's host stubs; on chain sol_memcpy_ & co., max(10, n / 250) units
    // (n is not known here: the base is charged).
    pattern: /^solana_program_memory::stubs::sol_mem(cpy|move|cmp|set)$/,
    units: [10, 10, 10],
    what: "sol_mem*",
  },
];

interface Dump {
  total: number;
  /** Calls and inclusive instructions of each host syscall, by index in HOST_SYSCALLS. */
  syscalls: Array<{ calls: number; ir: number }>;
}

/**
 * Parses one callgrind dump (format: valgrind's callgrind "Callgrind Format Specification"):
 * the total, and the call arcs into the host syscalls with their inclusive cost. `names` maps
 * compressed `(id)` names, shared across the dumps of one run.
 */
export function parseCallgrind(text: string, names: Map<string, string>): Dump {
  const syscalls = HOST_SYSCALLS.map(() => ({ calls: 0, ir: 0 }));
  let total = 0;
  let caller = "";
  let pending: { index: number; calls: number } | undefined;
  const resolve = (spec: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (!m) return spec;
    if (m[2] !== undefined) names.set(m[1], m[2]);
    return names.get(m[1]) ?? spec;
  };
  let callee = "";
  for (const line of text.split("\n")) {
    if (pending) {
      // The line after `calls=` holds the arc's position and inclusive cost.
      const fields = line.trim().split(/\s+/);
      const ir = Number(fields[fields.length - 1]);
      syscalls[pending.index].calls += pending.calls;
      syscalls[pending.index].ir += ir;
      pending = undefined;
      continue;
    }
    if (line.startsWith("fn=")) caller = resolve(line.slice(3));
    else if (line.startsWith("cfn=")) callee = resolve(line.slice(4));
    else if (line.startsWith("calls=")) {
      const index = HOST_SYSCALLS.findIndex((s) => s.pattern.test(callee));
      // Arcs between host syscalls (none expected) would count twice.
      const inner = HOST_SYSCALLS.some((s) => s.pattern.test(caller));
      if (index >= 0 && !inner) pending = { index, calls: Number(line.slice(6).split(" ")[0]) };
    } else if (line.startsWith("totals:") || line.startsWith("summary:")) {
      total = Number(line.split(":")[1].trim());
    }
  }
  return { total, syscalls };
}

/** How much the high estimate of one instruction moves between runs (measured: up to ~8 %). */
export const RUN_TO_RUN_NOISE = 0.1;

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Rounds a limit up to a round figure: the next 1 000, at most the transaction maximum. */
export function roundLimit(units: number): number {
  return Math.min(1_400_000, Math.ceil(units / 1_000) * 1_000);
}

export interface Estimate {
  program: Program;
  instruction: string;
  variant: string;
  /** Syscalls as agave charges them, host syscalls (PDAs, sol_mem*), and CPI callees. */
  syscallUnits: number;
  calleeUnits: number;
  hostSyscallUnits: number;
  /** Calls of each host syscall (HOST_SYSCALLS' `what`). */
  hostSyscalls: Record<string, number>;
  /** Host instructions of the program's own code (syscalls excluded). */
  hostInstructions: number;
  low: number;
  median: number;
  high: number;
  limit: number;
  committedLimit: number;
}

export interface Calibration {
  instruction: string;
  sbfUnits: number;
  syscallUnits: number;
  hostInstructions: number;
  unitsPerInstruction: number;
}

/** An out-of-sample check: SPL Token's estimate against its units measured on SBF. */
export interface Check {
  instruction: string;
  sbfUnits: number;
  low: number;
  median: number;
  high: number;
  errorPercent: number;
}

export interface ComputeUnits {
  method: string;
  profile: string;
  calibration: {
    program: string;
    points: Calibration[];
    median: number;
    min: number;
    max: number;
  };
  check: { program: string; points: Check[] };
  maxPeriodsPerCall: number;
  estimates: Estimate[];
  /** Instructions whose committed limit is below 1.5 x the upper estimate, beyond the noise. */
  stale: string[];
}

export const METHOD = [
  "Our programs run natively (the runtime charges a builtin nothing useful), so each instruction's",
  "compute units are estimated as syscalls + callees + k x host instructions:",
  "- syscalls: every syscall the native glue serves is charged as agave 2.3's BPF loader charges",
  "  it (localnet/src/native/meter.rs: sol_log max(100, len); sol_log_data 100 + 100/field + bytes;",
  "  CPI 1 000 + (data + each account's data) / 250; sysvars 100 + size; return data 100 + len / 250);",
  "  host functions that are syscalls on chain are counted with callgrind and charged per call",
  "  (create_program_address 1 500; find_program_address 1 500 per attempt, an attempt failing",
  "  with probability 1/2: 1 / 2 / 6 attempts for low / median / high; sol_mem* 10), their host",
  "  instructions excluded;",
  "- callees: the units the runtime charged the CPIs' callees (SPL Token runs as SBF, metered; the",
  "  System Program its fixed 150), read from the compute meter around each CPI;",
  "- host instructions: valgrind callgrind counts the x86-64 instructions run inside the glue's",
  "  crucible_cu_program_call (the entrypoint's deserialization and the program), syscall stubs",
  "  excluded (--toggle-collect), release profile (opt-level 3, overflow checks on);",
  "- k (units per host instruction): SPL Token-2022 measured both ways in the same chain, its SBF",
  "  binary (litesvm's spl_token_2022-8.0.0.so, metered) and the crate spl-token-2022 8.0.1 natively",
  "  through the same glue: k = (SBF units - charged syscalls) / host instructions, per instruction;",
  "  each estimate is given with k's median and [min..max] over those instructions (error bars).",
  "- check: SPL Token (not used for k), estimated the same way, against its SBF binary's units.",
  "  That binary (3.5.0, litesvm's, as on mainnet) was built by the pre-platform-tools bpf-tools",
  "  and costs 3-4x the estimate: k holds for programs built by a platform-tools toolchain like",
  "  Token-2022 8.0.0's (as anchor build with the pinned toolchain does), not across toolchains.",
  "Caveats: 8.0.0 (SBF) vs 8.0.1 (source; their processors are identical, the diff touches a URL,",
  "an import and builder parameter names); Token-2022's code style (Pod, no Anchor) differs from",
  "Anchor's (Borsh, account constraints); memcpy/memset are libc on the host and partly syscalls",
  "on SBF (charged at the base when they go through solana-program-memory); the 4 KiB stack and",
  "32 KiB heap are not modelled; heap-heavy paths cost more on SBF. Runs differ by up to ~8 %",
  "in a high estimate (random keys and heap state change host paths; k's median moved",
  "0.39..0.45 over three runs). The SDK's limit is ceil(1.5 x the upper estimate), rounded up",
  "to the next 1 000; a run flags a limit once it is below that by more than 10 %.",
].join("\n");

function testBinary(root: string, target: string): string {
  const out = execFileSync(
    "cargo",
    [
      "test",
      "--release",
      "--locked",
      "--manifest-path",
      "localnet/Cargo.toml",
      "-p",
      "crucible-program-tests",
      "--test",
      "compute",
      "--no-run",
      "--message-format=json",
    ],
    {
      cwd: root,
      env: { ...process.env, CARGO_TARGET_DIR: target },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 256 << 20,
    },
  ).toString();
  for (const line of out.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line) as {
      reason?: string;
      target?: { name?: string };
      executable?: string;
    };
    if (msg.reason === "compiler-artifact" && msg.target?.name === "compute" && msg.executable)
      return msg.executable;
  }
  throw new Error("cargo built no `compute` test executable");
}

export function valgrindAvailable(): boolean {
  return spawnSync("valgrind", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Builds and runs the measurement under callgrind, and computes the estimates. */
export function measureComputeUnits(root: string, target: string): ComputeUnits {
  const exe = testBinary(root, target);
  const dir = mkdtempSync(join(tmpdir(), "crucible-cu-"));
  try {
    const run = spawnSync(
      "valgrind",
      [
        "--tool=callgrind",
        "--collect-atstart=no",
        "--toggle-collect=*crucible_cu_program_call*",
        "--toggle-collect=*crucible_cu_syscall*",
        "--dump-before=*crucible_cu_checkpoint*",
        `--callgrind-out-file=${join(dir, "cg.out")}`,
        exe,
        "--ignored",
        "--exact",
        "compute_units",
        "--nocapture",
        "--test-threads=1",
      ],
      { cwd: dir, maxBuffer: 256 << 20 },
    );
    const stdout = run.stdout.toString();
    const line = stdout.split("\n").find((l) => l.includes("CU_JSON "));
    if (run.status !== 0 || !line)
      throw new Error(`the compute measurement failed:\n${stdout}\n${run.stderr.toString()}`);
    const data = JSON.parse(line.slice(line.indexOf("CU_JSON ") + 8)) as {
      checkpoints: string[];
      rows: Row[];
      maxPeriodsPerCall: number;
    };
    const files = readdirSync(dir).filter((f) => /^cg\.out\.\d+$/.test(f));
    if (files.length < data.checkpoints.length)
      throw new Error(
        `callgrind wrote ${files.length} dumps for ${data.checkpoints.length} checkpoints`,
      );
    const names = new Map<string, string>();
    const dumps = new Map<number, Dump>();
    for (let n = 1; n <= data.checkpoints.length; n++)
      dumps.set(n, parseCallgrind(readFileSync(join(dir, `cg.out.${n}`), "utf8"), names));
    return estimate(data.rows, dumps, data.maxPeriodsPerCall);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function estimate(rows: Row[], dumps: Map<number, Dump>, maxPeriodsPerCall: number): ComputeUnits {
  const host = (row: Row) => {
    const d = dumps.get(row.dump);
    if (!d) throw new Error(`no callgrind dump ${row.dump}`);
    const units = (bound: 0 | 1 | 2) =>
      d.syscalls.reduce((s, c, i) => s + c.calls * HOST_SYSCALLS[i].units[bound], 0);
    const ir = d.total - d.syscalls.reduce((s, c) => s + c.ir, 0);
    const calls = Object.fromEntries(d.syscalls.map((c, i) => [HOST_SYSCALLS[i].what, c.calls]));
    return { units: units(1), low: units(0), high: units(2), ir, calls };
  };
  // Both runs of one token program: units measured on SBF, and what the native run charged.
  const pairs = (sbfGroup: string, nativeGroup: string) =>
    rows
      .filter((r) => r.group === nativeGroup)
      .map((native) => {
        const sbf = rows.find((r) => r.group === sbfGroup && r.instruction === native.instruction);
        if (!sbf) throw new Error(`no SBF run of ${native.instruction} (${sbfGroup})`);
        const h = host(native);
        return {
          instruction: native.instruction,
          sbfUnits: sbf.txUnits,
          syscallUnits: native.tally.syscallUnits + h.units,
          hostInstructions: h.ir,
        };
      });
  const points: Calibration[] = pairs("t22sbf", "t22native").map((p) => ({
    ...p,
    unitsPerInstruction: (p.sbfUnits - p.syscallUnits) / p.hostInstructions,
  }));
  const ks = points.map((p) => p.unitsPerInstruction);
  const k = { median: median(ks), min: Math.min(...ks), max: Math.max(...ks) };
  // SPL Token, not used for k: the estimate against what its SBF binary is charged.
  const check: Check[] = pairs("tokensbf", "tokennative").map((p) => {
    const at = (x: number) => p.syscallUnits + x * p.hostInstructions;
    return {
      instruction: p.instruction,
      sbfUnits: p.sbfUnits,
      low: Math.floor(at(k.min)),
      median: Math.round(at(k.median)),
      high: Math.ceil(at(k.max)),
      errorPercent: (100 * (at(k.median) - p.sbfUnits)) / p.sbfUnits,
    };
  });
  const estimates: Estimate[] = rows
    .filter((r) => r.group in COMPUTE_UNIT_LIMITS)
    .map((r) => {
      const h = host(r);
      const fixed = r.tally.syscallUnits + r.tally.calleeUnits;
      const high = Math.ceil(fixed + h.high + k.max * h.ir);
      const program = r.group as Program;
      const committed = (COMPUTE_UNIT_LIMITS[program] as Record<string, number>)[r.instruction];
      return {
        program,
        instruction: r.instruction,
        variant: r.variant,
        syscallUnits: r.tally.syscallUnits,
        calleeUnits: r.tally.calleeUnits,
        hostSyscallUnits: h.units,
        hostSyscalls: h.calls,
        hostInstructions: h.ir,
        low: Math.floor(fixed + h.low + k.min * h.ir),
        median: Math.round(fixed + h.units + k.median * h.ir),
        high,
        limit: roundLimit(Math.ceil(1.5 * high)),
        committedLimit: committed ?? 0,
      };
    });
  for (const [program, table] of Object.entries(COMPUTE_UNIT_LIMITS))
    for (const name of Object.keys(table))
      if (!estimates.some((e) => e.program === program && e.instruction === name))
        throw new Error(`no compute measurement of ${program}.${name}`);
  // Runs differ by up to ~8 % in a high estimate (random keys, heap state): a committed limit is
  // stale once it falls below 1.5 x the high estimate by more than that noise.
  const stale = worst(estimates)
    .filter((e) => e.committedLimit < (1.5 * e.high) / (1 + RUN_TO_RUN_NOISE))
    .map((e) => `${e.program}.${e.instruction}`);
  return {
    method: METHOD,
    profile: "release (opt-level 3, overflow checks on)",
    calibration: { program: "SPL Token-2022 (SBF 8.0.0 / source 8.0.1)", points, ...k },
    check: {
      program: "SPL Token (SBF 3.5.0 built with the old bpf-tools / source 8.0.0)",
      points: check,
    },
    maxPeriodsPerCall,
    estimates,
    stale,
  };
}

/** The most expensive variant of each instruction. */
export function worst(estimates: Estimate[]): Estimate[] {
  const out = new Map<string, Estimate>();
  for (const e of estimates) {
    const key = `${e.program}.${e.instruction}`;
    const seen = out.get(key);
    if (!seen || e.high > seen.high) out.set(key, e);
  }
  return [...out.values()];
}

const n = (x: number) => x.toLocaleString("en-US").replace(/,/g, "_");

/** sdk/src/common/compute-units.ts for these estimates. */
export function renderTable(cu: ComputeUnits): string {
  const byProgram = (f: (e: Estimate) => string) =>
    (Object.keys(COMPUTE_UNIT_LIMITS) as Program[])
      .map((program) => {
        const rows = worst(cu.estimates)
          .filter((e) => e.program === program)
          .sort((a, b) => a.instruction.localeCompare(b.instruction))
          .map((e) => `    ${e.instruction}: ${f(e)},`);
        return `  ${program}: {\n${rows.join("\n")}\n  },`;
      })
      .join("\n");
  const k = cu.calibration;
  const fmt = (x: number) => x.toFixed(3);
  return `// The compute-unit limit the SDK requests for each Crucible instruction: ceil(1.5 x the upper
// bound of the bench's worst-case estimate), rounded up to the next 1 000. Written by
// \`npm run bench -- --write-compute-units\` (bench/README.md, "Compute units"); do not edit by
// hand. Keys: program, then the IDL's instruction name.
//
// Estimate = syscalls charged as agave 2.3 charges them + units the runtime charged the CPIs'
// callees (SPL Token as SBF) + k x host instructions of the program's own code (callgrind),
// k calibrated on SPL Token-2022 run both as SBF and natively: median ${fmt(k.median)}, range
// [${fmt(k.min)}..${fmt(k.max)}] units per host instruction over ${k.points.length} instructions.
// Worst cases measured: eight recipients, eight reward sources, MAX_PERIODS_PER_CALL
// (${n(cu.maxPeriodsPerCall)}) decay periods per emit, every payout and slash, accounts created.
export const COMPUTE_UNIT_LIMITS = {
${byProgram((e) => n(e.limit))}
} as const satisfies Record<string, Record<string, number>>;

/** The bench's worst-case estimate of each instruction: median, and the range k's bounds give. */
export const COMPUTE_UNIT_ESTIMATES = {
${byProgram((e) => `{ low: ${n(e.low)}, median: ${n(e.median)}, high: ${n(e.high)} }`)}
} as const satisfies Record<string, Record<string, { low: number; median: number; high: number }>>;
`;
}

export function writeTable(root: string, cu: ComputeUnits): string {
  const path = join(root, "sdk/src/common/compute-units.ts");
  writeFileSync(path, renderTable(cu));
  execFileSync("npx", ["prettier", "--write", path], { cwd: root, stdio: "ignore" });
  return path;
}
