#!/usr/bin/env bash
# The test harness: mocha suites (tests/**/*.test.ts, see .mocharc.json) against a local validator.
#
#   bash scripts/mocha.sh [mocha args...]     e.g. bash scripts/mocha.sh --grep conformance
#
# - With ANCHOR_PROVIDER_URL set (as under `anchor test`, with solana-test-validator), mocha runs
#   directly against that endpoint and ANCHOR_WALLET.
# - Otherwise it builds crucible-localnet (dev profile), picks a port P with P and P + 1 free,
#   creates a throwaway wallet unless ANCHOR_WALLET is set, starts the validator with that wallet
#   funded, waits for its ready line, runs mocha with ANCHOR_PROVIDER_URL / ANCHOR_WALLET exported,
#   and stops the validator on exit. The exit status is mocha's.
#
# Set CRUCIBLE_KEEP_LOGS=1 to keep the validator's logs (their folder is printed), and
# CRUCIBLE_LOCALNET_ARGS to pass more flags to the validator: CRUCIBLE_LOCALNET_ARGS=--no-cheatcodes
# rehearses solana-test-validator under `anchor test` (no surfnet_* cheatcodes: the tests that
# move the clock skip, after one line saying why).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CRUCIBLE_ROOT"

MOCHA="$CRUCIBLE_ROOT/node_modules/.bin/mocha"
TSX="$CRUCIBLE_ROOT/node_modules/.bin/tsx"
READY_TIMEOUT_SECS="${CRUCIBLE_READY_TIMEOUT_SECS:-60}"

if [[ ! -x "$MOCHA" ]]; then
  echo "mocha is not installed: run npm ci (or npm install) first" >&2
  exit 1
fi

if [[ -n "${ANCHOR_PROVIDER_URL:-}" ]]; then
  crucible_step "mocha against ANCHOR_PROVIDER_URL=$ANCHOR_PROVIDER_URL (ANCHOR_WALLET=${ANCHOR_WALLET:-unset})"
  exec "$MOCHA" "$@"
fi

crucible_build_localnet
if [[ ! -x "$CRUCIBLE_LOCALNET_BIN" ]]; then
  echo "crucible-localnet was not built at $CRUCIBLE_LOCALNET_BIN" >&2
  exit 1
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/crucible-localnet.XXXXXX")"
validator_pid=""
mocha_pid=""

stop_validator() {
  if [[ -n "$validator_pid" ]] && kill -0 "$validator_pid" 2>/dev/null; then
    kill -TERM "$validator_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$validator_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$validator_pid" 2>/dev/null || true
    wait "$validator_pid" 2>/dev/null || true
  fi
  validator_pid=""
}

cleanup() {
  if [[ -n "$mocha_pid" ]] && kill -0 "$mocha_pid" 2>/dev/null; then
    kill -TERM "$mocha_pid" 2>/dev/null || true
    wait "$mocha_pid" 2>/dev/null || true
  fi
  stop_validator
  if [[ "${CRUCIBLE_KEEP_LOGS:-0}" == "1" ]]; then
    echo "validator logs kept in $workdir" >&2
  else
    rm -rf "$workdir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wallet="${ANCHOR_WALLET:-}"
if [[ -z "$wallet" ]]; then
  wallet="$workdir/wallet.json"
  node -e '
    const { Keypair } = require("@solana/web3.js");
    process.stdout.write(JSON.stringify(Array.from(Keypair.generate().secretKey)));
  ' >"$wallet"
fi

# Start the validator and wait for its ready line. A port taken between the check and the bind
# makes it exit early: try again with another port, a few times.
rpc_url=""
for attempt in 1 2 3; do
  port="$("$TSX" tests/harness/free-port.ts)"
  crucible_step "crucible-localnet --port $port --fund $wallet (attempt $attempt)"
  : >"$workdir/stdout.log"
  : >"$workdir/stderr.log"
  # shellcheck disable=SC2086 # CRUCIBLE_LOCALNET_ARGS is a list of flags
  "$CRUCIBLE_LOCALNET_BIN" --port "$port" --fund "$wallet" ${CRUCIBLE_LOCALNET_ARGS:-} \
    >"$workdir/stdout.log" 2>"$workdir/stderr.log" &
  validator_pid=$!

  deadline=$((SECONDS + READY_TIMEOUT_SECS))
  ready_line=""
  while true; do
    ready_line="$(grep -m1 '^crucible-localnet ready ' "$workdir/stdout.log" || true)"
    [[ -n "$ready_line" ]] && break
    if ! kill -0 "$validator_pid" 2>/dev/null; then
      wait "$validator_pid" && code=0 || code=$?
      validator_pid=""
      echo "crucible-localnet exited with status $code before it was ready; its stderr:" >&2
      cat "$workdir/stderr.log" >&2
      break
    fi
    if ((SECONDS >= deadline)); then
      echo "crucible-localnet was not ready after ${READY_TIMEOUT_SECS}s; its stderr:" >&2
      cat "$workdir/stderr.log" >&2
      exit 1
    fi
    sleep 0.1
  done

  if [[ -n "$ready_line" ]]; then
    echo "$ready_line" >&2
    rpc_url="$(sed -n 's/.* rpc=\([^ ]*\).*/\1/p' <<<"$ready_line")"
    rpc_url="${rpc_url:-http://127.0.0.1:$port}"
    break
  fi
done
if [[ -z "$rpc_url" ]]; then
  echo "could not start crucible-localnet" >&2
  exit 1
fi

export ANCHOR_PROVIDER_URL="$rpc_url"
export ANCHOR_WALLET="$wallet"
crucible_step "mocha against ANCHOR_PROVIDER_URL=$ANCHOR_PROVIDER_URL"
# Mocha runs in the background and the script waits for it: bash runs a trap only once the
# foreground command has finished, and a waiting `wait` lets TERM/INT stop everything at once.
status=0
"$MOCHA" "$@" &
mocha_pid=$!
wait "$mocha_pid" || status=$?
mocha_pid=""

if ((status != 0)); then
  echo >&2
  echo "mocha exited with status $status; the last lines of crucible-localnet's stderr:" >&2
  tail -n 40 "$workdir/stderr.log" >&2 || true
fi
exit "$status"
