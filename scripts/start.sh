#!/usr/bin/env bash
# npm start: build the local validator (dev profile) if needed, then run it with a default
# network bootstrapped (scripts/start.ts). Extra arguments go to crucible-localnet.
#   npm start                       # RPC on 8899, PubSub on 8900
#   PORT=9000 npm start -- --verbose
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

crucible_build_localnet
cd "$CRUCIBLE_ROOT"
exec node --import tsx scripts/start.ts "$CRUCIBLE_LOCALNET_BIN" "$@"
