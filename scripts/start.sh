#!/usr/bin/env bash
# npm start: build the local validator (dev profile) and run it in the foreground.
#   npm start                       # RPC on 8899, PubSub on 8900
#   PORT=9000 npm start -- --fund <pubkey or keypair file> --quiet
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

crucible_build_localnet
exec "$CRUCIBLE_LOCALNET_BIN" --port "${PORT:-8899}" "$@"
