#!/usr/bin/env bash
# Team mode for a try, on one machine: PostgreSQL, Redis and two proxy instances sharing them.
#
#   scripts/team.sh [--dir DIR] [--config FILE] [--ports "8001 8002"]
#
# DIR (default data/team) keeps PostgreSQL's cluster, Redis' folder, the instances' configuration
# and logs; a second run reuses the cluster. FILE (default config.toml) gives the providers,
# models and governance; its [server] and [storage] tables are replaced by the team's. The engines
# listen on 127.0.0.1 only (PostgreSQL on $KP_PG_PORT, default 54329; Redis on $KP_REDIS_PORT,
# default 63790). Ctrl-C stops the instances, then Redis, then PostgreSQL: every process this
# script started, by its pid, and nothing else. See docs/team-mode.md.
set -euo pipefail

ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DIR="$ROOT/data/team"
CONFIG="$ROOT/config.toml"
PORTS="8001 8002"
PG_PORT="${KP_PG_PORT:-54329}"
REDIS_PORT="${KP_REDIS_PORT:-63790}"
JAR="${KIMI_PROXY_JAR:-$ROOT/target/kimi-proxy.jar}"

while (($#)); do
  case "$1" in
    --dir) DIR="$(readlink -f "${2:?--dir needs a folder}")"; shift 2 ;;
    --config) CONFIG="$(readlink -f "${2:?--config needs a file}")"; shift 2 ;;
    --ports) PORTS="${2:?--ports needs two ports}"; shift 2 ;;
    -h|--help) sed -n '4,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "team.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f "$JAR" ]] || { echo "team.sh: no $JAR: run make build first" >&2; exit 1; }
[[ -f "$CONFIG" ]] || { echo "team.sh: no configuration $CONFIG" >&2; exit 1; }

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$PG_BIN/initdb" ]] || { echo "team.sh: PostgreSQL is not installed: run make engines" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "team.sh: redis-server is not installed: run make engines" >&2; exit 1; }

mkdir -p "$DIR/pg" "$DIR/redis" "$DIR/logs"
# PostgreSQL refuses to run as root: under root its cluster belongs to, and runs as, user postgres.
AS_PG=()
if [[ "$(id -u)" == 0 ]]; then
  chown postgres: "$DIR/pg"
  AS_PG=(setpriv --reuid=postgres --regid=postgres --clear-groups --)
fi
if [[ ! -f "$DIR/pg/data/PG_VERSION" ]]; then
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$DIR/pg/data" -U kp --auth=trust -E UTF8 --locale=C >"$DIR/logs/initdb.log"
fi

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  # Reverse order: the instances first (they flush their ledger rows), then Redis, then PostgreSQL.
  # TERM, not INT: processes a script starts in the background ignore SIGINT.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[i]}" 2>/dev/null || true
    wait "${PIDS[i]}" 2>/dev/null || true
  done
}
trap stop_all INT TERM EXIT

"${AS_PG[@]}" "$PG_BIN/postgres" -D "$DIR/pg/data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$DIR/pg" >"$DIR/logs/postgres.log" 2>&1 &
PIDS+=($!)
until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U kp; do sleep 0.2; done

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR/redis" --save "" --appendonly no \
  >"$DIR/logs/redis.log" 2>&1 &
PIDS+=($!)
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.2; done

# The team's configuration: the given one without its [server] and [storage] tables, then the team's.
TEAM_CONFIG="$DIR/team.toml"
{
  echo "[server]"
  echo 'host = "127.0.0.1"'
  echo "port = 8000"
  echo
  echo "[storage]"
  echo 'type = "postgres"'
  echo 'url = "${KP_DATABASE_URL}"'
  echo
  echo "[shared]"
  echo 'redis_url = "${KP_REDIS_URL}"'
  echo 'instance = "${KP_INSTANCE}"'
  echo
  awk '/^\[/ { skip = ($0 ~ /^\[(server|storage|shared)\]/) } !skip' "$CONFIG"
} >"$TEAM_CONFIG"

export KP_DATABASE_URL="postgresql://kp@127.0.0.1:$PG_PORT/postgres"
export KP_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
for port in $PORTS; do
  KP_INSTANCE="instance-$port" java ${KIMI_PROXY_JAVA_OPTS:-} -jar "$JAR" serve --config "$TEAM_CONFIG" --port "$port" \
    >"$DIR/logs/instance-$port.log" 2>&1 &
  PIDS+=($!)
done
for port in $PORTS; do
  until grep -q "Kimi Proxy listening on" "$DIR/logs/instance-$port.log" 2>/dev/null; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "team.sh: an instance stopped; see $DIR/logs" >&2; exit 1; }
    sleep 0.2
  done
  echo "instance on http://127.0.0.1:$port (dashboard http://127.0.0.1:$port/, log $DIR/logs/instance-$port.log)"
done
echo "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT; Ctrl-C stops everything."
wait "${PIDS[@]}"
