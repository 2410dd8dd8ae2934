#!/usr/bin/env bash
# Stops the Kimi Proxy that bin/kimi-proxy started for this config: `scripts/stop.sh [--config FILE]`.
set -euo pipefail
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bin/kimi-proxy" stop "$@"
