#!/usr/bin/env bash
# A consistent copy of the usage database, safe while the proxy runs (SQLite's VACUUM INTO reads one
# snapshot). Keeps the newest 10 backups in the database's folder/backups unless told otherwise:
#   scripts/backup.sh [--config FILE] [--out DIR] [--keep N]
# Prints the new file's path. Needs only Java (the proxy's own jar does the copy; no sqlite3 tool).
set -euo pipefail
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bin/kimi-proxy" backup "$@"
