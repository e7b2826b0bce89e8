#!/usr/bin/env bash
# npm test: everything, in the order CI runs it. Stops at the first failure.
#   0. formatting: cargo fmt --all --check, prettier --check; overflow-checks in the release
#      profile; no import circle between the Rust modules of any crate (programs, crates,
#      localnet)
#   1. scripts/sbf-lockfile.ts (the programs' Cargo.lock fits the pinned platform-tools), then
#      cargo clippy --locked -D warnings and cargo test --workspace --locked in both workspaces:
#      the programs' (root: unit tests) and localnet/ (the validator's tests and the programs'
#      in-process integration tests in programs/*/tests)
#   2. scripts/idl.sh --check      (committed IDL and generated types match the program source)
#      scripts/cli-docs.ts --check (cli/README.md's flag reference matches the command registry)
#      scripts/import-cycles.ts    (no import circle in cli/, sdk/src, demo/)
#   3. npm run typecheck, lint     (tsc --noEmit and eslint over sdk, cli, demo, tests, bench);
#      the SDK builds to CJS, ESM and types
#   4. scripts/mocha.sh            (mocha suites against a local validator)
# Cargo runs with --locked: Cargo.lock is what is tested, never silently re-resolved.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CRUCIBLE_ROOT"

crucible_step "cargo fmt --all --check; prettier --check; release profile keeps overflow checks"
cargo fmt --all --check
cargo fmt --all --check --manifest-path localnet/Cargo.toml
npm run --silent format:check
# Release builds (and `anchor build`) must trap arithmetic overflow: fail if Cargo.toml's
# [profile.release] does not say overflow-checks = true.
if ! awk '/^\[profile\.release\]/{r=1;next} /^\[/{r=0} r && /^overflow-checks *= *true/{ok=1} END{exit !ok}' Cargo.toml; then
  echo "Cargo.toml: [profile.release] must set overflow-checks = true" >&2
  exit 1
fi

crucible_step "no import circle between the Rust modules of the programs, crates/ and localnet/src"
npx tsx scripts/rust-module-cycles.ts programs/*/src crates/*/src localnet/src localnet/program-tests/src

crucible_step "the programs' Cargo.lock fits the platform-tools that anchor build uses"
npx tsx scripts/sbf-lockfile.ts

crucible_step "cargo clippy --locked --workspace --all-targets -- -D warnings (programs; localnet)"
cargo clippy --locked --workspace --all-targets --target-dir "$CRUCIBLE_PROGRAMS_TARGET_DIR" -- -D warnings
cargo clippy --locked --manifest-path localnet/Cargo.toml --workspace --all-targets -- -D warnings

crucible_step "cargo test --locked --workspace (programs: $CRUCIBLE_PROGRAMS_TARGET_DIR; localnet: $CARGO_TARGET_DIR)"
cargo test --locked --workspace --target-dir "$CRUCIBLE_PROGRAMS_TARGET_DIR" -- --show-output
cargo test --locked --manifest-path localnet/Cargo.toml --workspace -- --show-output

crucible_step "bash scripts/idl.sh --check"
bash scripts/idl.sh --check

crucible_step "npm run cli-docs -- --check; npm run check:cycles"
npm run --silent cli-docs -- --check
npm run --silent check:cycles

crucible_step "npm run typecheck && npm run lint; the SDK builds to CJS, ESM and types"
npm run --silent typecheck
npm run --silent lint
npm run --silent build -w @crucible/sdk
npm run --silent check:dist -w @crucible/sdk

crucible_step "bash scripts/mocha.sh"
bash scripts/mocha.sh "$@"
