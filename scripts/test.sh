#!/usr/bin/env bash
# npm test: everything, in the order CI runs it. Stops at the first failure.
#   0. cargo fmt --all --check     (Rust formatting)
#   1. cargo test --workspace      (Rust unit and in-process integration tests)
#   2. scripts/idl.sh --check      (committed IDL and generated types match the program source)
#   3. npm run typecheck, lint     (tsc --noEmit and eslint over sdk, cli, tests, migrations, bench)
#   4. scripts/mocha.sh            (mocha suites against a local validator)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CRUCIBLE_ROOT"

crucible_step "cargo fmt --all --check"
cargo fmt --all --check

crucible_step "cargo test --workspace (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
cargo test --workspace -- --show-output

if [[ -f scripts/idl.sh ]]; then
  crucible_step "bash scripts/idl.sh --check"
  bash scripts/idl.sh --check
else
  crucible_step "IDL drift check skipped: scripts/idl.sh does not exist yet"
fi

crucible_step "npm run typecheck && npm run lint"
npm run --silent typecheck
npm run --silent lint

crucible_step "bash scripts/mocha.sh"
bash scripts/mocha.sh "$@"
