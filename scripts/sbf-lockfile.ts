// Can `anchor build` (cargo-build-sbf with the pinned platform-tools) load and build the programs
// from the committed Cargo.lock? Fails when a package it would parse or compile needs a newer
// edition or rust-version than the platform-tools' cargo/rustc.
//
//   node --import tsx scripts/sbf-lockfile.ts [--manifest-path Cargo.toml]
//
// It reads `cargo metadata --locked` of the workspace and checks:
// - every workspace member's manifest (cargo-build-sbf loads every member);
// - every package reachable from the program crates (programs/*) by normal and build
//   dependencies, a dependency's platform condition evaluated for the SBF target
//   (target_os = "solana") and, below a build dependency or a proc-macro, for the host.
// - every package the programs compile (for SBF or the host) that is not a workspace member
//   comes from crates.io: no path or git dependency (native/'s host-only stand-ins included)
//   can replace an upstream crate in what goes on-chain.
// The bound is the toolchain pinned in Anchor.toml's [toolchain] and written in the README:
// platform-tools v1.48 of Solana 2.3, whose rustc and cargo are 1.84.1.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const PLATFORM_TOOLS_RUST = [1, 84, 1];
const PLATFORM_TOOLS = "platform-tools v1.48 (Solana 2.3), rustc/cargo 1.84.1";
const CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";
/** Editions that cargo 1.84 parses. */
const EDITIONS = new Set(["2015", "2018", "2021"]);

interface DepKind {
  kind: "dev" | "build" | null;
  target: string | null;
}
export interface Metadata {
  packages: {
    id: string;
    name: string;
    version: string;
    edition: string;
    rust_version: string | null;
    manifest_path: string;
    /** `registry+https://github.com/rust-lang/crates.io-index` for crates.io; null for a path. */
    source: string | null;
    targets: { kind: string[] }[];
  }[];
  workspace_members: string[];
  resolve: { nodes: { id: string; deps: { pkg: string; dep_kinds: DepKind[] }[] }[] };
}

type Cfg = Record<string, string[]>;

/** The SBF target as rustc sees it (`sbf-solana-solana`). */
const SBF: Cfg = {
  target_os: ["solana"],
  target_arch: ["sbf"],
  target_vendor: ["solana"],
  target_env: [""],
  target_family: [],
  target_endian: ["little"],
  target_pointer_width: ["64"],
  target_has_atomic: [],
  feature: [],
};
/** The host that compiles build scripts and proc-macros (this machine's, Linux x86_64). */
const HOST: Cfg = {
  target_os: ["linux"],
  target_arch: ["x86_64"],
  target_vendor: ["unknown"],
  target_env: ["gnu"],
  target_family: ["unix"],
  unix: [""],
  target_endian: ["little"],
  target_pointer_width: ["64"],
  target_has_atomic: ["8", "16", "32", "64", "ptr"],
  feature: [],
};

/** Evaluates a dependency's platform condition: `cfg(...)` or a target triple. */
export function platformMatches(target: string | null, cfg: Cfg): boolean {
  if (target === null) return true;
  if (!target.startsWith("cfg(")) return cfg === SBF ? target.startsWith("sbf-") : false;
  const src = target.slice(4, -1);
  let i = 0;
  const skip = () => {
    while (src[i] === " ") i++;
  };
  const ident = () => {
    skip();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!m) throw new Error(`cannot parse cfg ${target} at ${i}`);
    i += m[0].length;
    return m[0];
  };
  const expr = (): boolean => {
    const name = ident();
    skip();
    if (src[i] === "(") {
      i++;
      const args: boolean[] = [];
      skip();
      while (src[i] !== ")") {
        args.push(expr());
        skip();
        if (src[i] === ",") i++;
        skip();
      }
      i++;
      if (name === "all") return args.every(Boolean);
      if (name === "any") return args.some(Boolean);
      if (name === "not") return !args[0];
      throw new Error(`unknown cfg predicate ${name} in ${target}`);
    }
    if (src[i] === "=") {
      i++;
      skip();
      const m = /^"([^"]*)"/.exec(src.slice(i));
      if (!m) throw new Error(`cannot parse cfg ${target} at ${i}`);
      i += m[0].length;
      return (cfg[name] ?? []).includes(m[1]);
    }
    return name in cfg && cfg[name].includes("");
  };
  return expr();
}

export function tooNew(rustVersion: string | null): boolean {
  if (!rustVersion) return false;
  const v = rustVersion.split(".").map(Number);
  for (let k = 0; k < 3; k++) {
    const a = v[k] ?? 0;
    const b = PLATFORM_TOOLS_RUST[k];
    if (a !== b) return a > b;
  }
  return false;
}

/**
 * What the SBF build would load that the platform-tools cannot parse or build, one line each
 * (empty when it fits), and how many packages it loads.
 */
export function sbfProblems(meta: Metadata): { problems: string[]; count: number } {
  const pkg = new Map(meta.packages.map((p) => [p.id, p]));
  const node = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const problems: string[] = [];
  const check = (id: string, why: string) => {
    const p = pkg.get(id)!;
    const wrong: string[] = [];
    if (!EDITIONS.has(p.edition)) wrong.push(`edition ${p.edition}`);
    if (tooNew(p.rust_version)) wrong.push(`rust-version ${p.rust_version}`);
    if (wrong.length) problems.push(`${p.name} ${p.version}: ${wrong.join(", ")} (${why})`);
  };

  for (const id of meta.workspace_members) check(id, "a workspace member");

  const programs = meta.workspace_members.filter((id) =>
    pkg.get(id)!.manifest_path.includes("/programs/"),
  );
  if (programs.length === 0)
    throw new Error("no program crate under programs/ among the workspace members");
  // Breadth-first over (package, platform): what the SBF build compiles for the target, and
  // for the host below build dependencies and proc-macros.
  const seen = new Set<string>();
  const queue: [string, Cfg, string][] = programs.map((id) => [id, SBF, pkg.get(id)!.name]);
  while (queue.length) {
    const [id, cfg, path] = queue.shift()!;
    const key = `${id} ${cfg === SBF ? "sbf" : "host"}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!meta.workspace_members.includes(id)) {
      check(id, `needed by ${path}`);
      const p = pkg.get(id)!;
      if (p.source !== CRATES_IO)
        problems.push(
          `${p.name} ${p.version}: ${p.source === null ? `a path dependency (${dirname(p.manifest_path)})` : p.source}, not the crates.io crate (needed by ${path})`,
        );
    }
    for (const dep of node.get(id)?.deps ?? []) {
      const d = pkg.get(dep.pkg)!;
      const procMacro = d.targets.some((t) => t.kind.includes("proc-macro"));
      for (const k of dep.dep_kinds) {
        if (k.kind === "dev" || !platformMatches(k.target, cfg)) continue;
        const next = k.kind === "build" || procMacro ? HOST : cfg;
        queue.push([dep.pkg, next, `${path} > ${d.name}`]);
      }
    }
  }

  const count = new Set([...seen].map((k) => k.split(" ")[0])).size;
  return { problems: [...new Set(problems)].sort(), count };
}

function main(): void {
  const args = process.argv.slice(2);
  const manifest = args[0] === "--manifest-path" ? args[1] : "Cargo.toml";
  // The programs' SBF build must be the upstream crates: host-only patches (native/) belong to
  // the local validator's workspace, never to this one.
  if (/^\[patch\./m.test(readFileSync(manifest, "utf8"))) {
    console.error(
      `${manifest}: a [patch] section would change what the programs compile to on-chain`,
    );
    process.exit(1);
  }
  const meta = JSON.parse(
    execFileSync(
      "cargo",
      ["metadata", "--format-version", "1", "--locked", "--manifest-path", manifest],
      {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        cwd: dirname(resolve(manifest)),
      },
    ),
  ) as Metadata;
  const { problems, count } = sbfProblems(meta);
  if (problems.length) {
    console.error(
      `${manifest}: ${problems.length} package(s) that ${PLATFORM_TOOLS} cannot parse or build:`,
    );
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(
    `${manifest}: the ${count} packages cargo-build-sbf loads for the programs and every workspace member fit ${PLATFORM_TOOLS}.`,
  );
}

if (process.argv[1]?.endsWith("sbf-lockfile.ts")) main();
