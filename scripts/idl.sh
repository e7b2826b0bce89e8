#!/usr/bin/env bash
# Regenerates every program's IDL (JSON) and its TypeScript type from the program source, as
# `anchor build` would, into sdk/src/<module>/idl/. With --check, regenerates into a temporary
# folder and fails if the committed files differ (IDL drift).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CRUCIBLE_ROOT"

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/idl.sh [--check]" >&2; exit 2 ;;
esac

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

crucible_step "building the IDLs (idl-build feature, CARGO_TARGET_DIR=$CARGO_TARGET_DIR/idl)"
cargo build --locked -q -p crucible-idl --target-dir "$CRUCIBLE_PROGRAMS_TARGET_DIR"
# The IDL builder compiles with RUSTFLAGS="-A warnings": its own target dir keeps that from
# invalidating the main build.
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/idl" "$CRUCIBLE_PROGRAMS_TARGET_DIR/debug/crucible-idl" "$out/json" >/dev/null
npx tsx scripts/idl-types.ts "$out/json" "$out/sdk"

if [ "$check" = 1 ]; then
  status=0
  for dir in "$out"/sdk/*/idl; do
    module="$(basename "$(dirname "$dir")")"
    if ! diff -ru "sdk/src/$module/idl" "$dir"; then status=1; fi
  done
  if [ "$status" != 0 ]; then
    echo "IDL drift: the committed IDL under sdk/src/*/idl differs from what the programs generate. Run 'npm run idl' and commit the result." >&2
    exit 1
  fi
  echo "IDL check: sdk/src/*/idl matches the program source."
else
  for dir in "$out"/sdk/*/idl; do
    module="$(basename "$(dirname "$dir")")"
    mkdir -p "sdk/src/$module/idl"
    cp "$dir"/* "sdk/src/$module/idl/"
    echo "wrote sdk/src/$module/idl/"
  done
fi
