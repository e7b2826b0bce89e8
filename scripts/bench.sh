#!/usr/bin/env bash
# npm run bench: measure Crucible on this machine (see bench/run.ts and README.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CRUCIBLE_ROOT"
exec node --import tsx bench/run.ts "$@"
