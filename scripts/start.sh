#!/usr/bin/env bash
# Starts Kimi Proxy in the background: `scripts/start.sh [--config FILE] [--host H] [--port N] [--foreground]`.
set -euo pipefail
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bin/kimi-proxy" start "$@"
