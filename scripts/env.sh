# Shared environment for the scripts in this folder. Source it, don't run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
#
# CARGO_TARGET_DIR lives outside the clone by default, so that fresh clones (CI on the same
# machine, git worktrees) reuse one build of the ~500-crate native stack instead of starting cold.

CRUCIBLE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CRUCIBLE_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crucible/target}"
# The programs' own workspace (the root one) builds into a target dir of its own: its programs
# are `cdylib` + `lib` path crates, whose rlib cargo names without a hash, so a build of the
# root workspace (programs with their entrypoint) and of localnet/ (the same crates with
# `no-entrypoint`) in one target dir overwrite each other's library while each workspace's
# fingerprint still says it is fresh.
export CRUCIBLE_PROGRAMS_TARGET_DIR="${CRUCIBLE_PROGRAMS_TARGET_DIR:-$CARGO_TARGET_DIR-programs}"
# The local validator binary, built with the dev profile (fast to build, fast enough to run).
export CRUCIBLE_LOCALNET_BIN="$CARGO_TARGET_DIR/debug/crucible-localnet"

# Print a step the way the other scripts do.
crucible_step() {
  printf '\n==> %s\n' "$*" >&2
}

# Build crucible-localnet with the dev profile.
crucible_build_localnet() {
  crucible_step "cargo build --locked --manifest-path localnet/Cargo.toml -p crucible-localnet (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  (cd "$CRUCIBLE_ROOT" && cargo build --locked --manifest-path localnet/Cargo.toml -p crucible-localnet)
}
