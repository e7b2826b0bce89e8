// The check that keeps the programs' Cargo.lock loadable by the pinned platform-tools
// (scripts/sbf-lockfile.ts, run by npm test over the real lockfile), on metadata written here:
// it must fail on what cargo-build-sbf would parse or compile, and only on that.
import { expect } from "chai";

import { Metadata, platformMatches, sbfProblems, tooNew } from "../scripts/sbf-lockfile";

type Pkg = Metadata["packages"][number];

function pkg(name: string, edition = "2021", rust: string | null = null, procMacro = false): Pkg {
  return {
    id: `${name} 1.0.0`,
    name,
    version: "1.0.0",
    edition,
    rust_version: rust,
    manifest_path: name.startsWith("crucible-")
      ? `/repo/programs/${name}/Cargo.toml`
      : `/registry/${name}/Cargo.toml`,
    source: name.startsWith("crucible-")
      ? null
      : "registry+https://github.com/rust-lang/crates.io-index",
    targets: [{ kind: [procMacro ? "proc-macro" : "lib"] }],
  };
}

/** A workspace of one program with the given dependencies (kind, platform condition). */
function workspace(
  deps: [Pkg, "build" | "dev" | null, string | null][],
  below: [string, Pkg, "build" | null, string | null][] = [],
): Metadata {
  const program = pkg("crucible-market");
  const all = [program, ...deps.map((d) => d[0]), ...below.map((b) => b[1])];
  const nodes = all.map((p) => ({ id: p.id, deps: [] as Metadata["resolve"]["nodes"][0]["deps"] }));
  const node = (id: string) => nodes.find((n) => n.id === id)!;
  for (const [d, kind, target] of deps)
    node(program.id).deps.push({ pkg: d.id, dep_kinds: [{ kind, target }] });
  for (const [parent, d, kind, target] of below)
    node(`${parent} 1.0.0`).deps.push({ pkg: d.id, dep_kinds: [{ kind, target }] });
  return { packages: all, workspace_members: [program.id], resolve: { nodes } };
}

describe("sbf lockfile check", () => {
  it("refuses an edition-2024 or too-new dependency the program compiles for SBF", () => {
    const { problems } = sbfProblems(
      workspace([
        [pkg("blake3", "2024"), null, null],
        [pkg("digest", "2021", "1.85"), null, null],
        [pkg("borsh", "2021", "1.77"), null, null],
      ]),
    );
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(
      /^blake3 1\.0\.0: edition 2024 \(needed by crucible-market > blake3\)/,
    );
    expect(problems[1]).to.match(/^digest 1\.0\.0: rust-version 1\.85/);
  });

  it("refuses a path or git crate in place of an upstream one, such as native/'s host stand-ins", () => {
    const local = {
      ...pkg("solana-invoke"),
      source: null,
      manifest_path: "/repo/native/solana-invoke/Cargo.toml",
    };
    const git = { ...pkg("solana-msg"), source: "git+https://example.org/solana-msg#abc" };
    const { problems } = sbfProblems(
      workspace([
        [local, null, null],
        [git, null, null],
      ]),
    );
    expect(problems).to.deep.equal([
      "solana-invoke 1.0.0: a path dependency (/repo/native/solana-invoke), not the crates.io crate (needed by crucible-market > solana-invoke)",
      "solana-msg 1.0.0: git+https://example.org/solana-msg#abc, not the crates.io crate (needed by crucible-market > solana-msg)",
    ]);
  });

  it("ignores dev dependencies and dependencies of other platforms", () => {
    const { problems } = sbfProblems(
      workspace([
        [pkg("litesvm", "2024"), "dev", null],
        [pkg("windows-sys", "2024"), null, 'cfg(target_os = "windows")'],
        [pkg("libc", "2024"), null, "cfg(unix)"],
        [pkg("x86-only", "2024"), null, "x86_64-unknown-linux-gnu"],
      ]),
    );
    expect(problems).to.deep.equal([]);
  });

  it("follows solana-only dependencies, and a build dependency's own dependencies for the host", () => {
    const { problems } = sbfProblems(
      workspace(
        [
          [pkg("solana-define-syscall", "2024"), null, 'cfg(target_os = "solana")'],
          [pkg("cc"), "build", null],
          [pkg("derive", "2021", null, true), null, null],
        ],
        [
          ["cc", pkg("jobserver", "2024"), null, "cfg(unix)"],
          ["derive", pkg("proc-macro2", "2021", "1.90"), null, null],
        ],
      ),
    );
    expect(problems.map((p) => p.split(":")[0])).to.deep.equal([
      "jobserver 1.0.0",
      "proc-macro2 1.0.0",
      "solana-define-syscall 1.0.0",
    ]);
  });

  it("reads cfg expressions and versions as cargo does", () => {
    expect(platformMatches(null, {})).to.equal(true);
    expect(platformMatches('cfg(not(target_os = "solana"))', { target_os: ["solana"] })).to.equal(
      false,
    );
    expect(
      platformMatches('cfg(all(target_os = "linux", any(unix, windows)))', {
        target_os: ["linux"],
        unix: [""],
      }),
    ).to.equal(true);
    expect(() => platformMatches("cfg(", {})).to.throw(/cannot parse/);
    expect(tooNew("1.84.1")).to.equal(false);
    expect(tooNew("1.84")).to.equal(false);
    expect(tooNew("1.85")).to.equal(true);
    expect(tooNew("1.84.2")).to.equal(true);
    expect(tooNew(null)).to.equal(false);
  });
});
