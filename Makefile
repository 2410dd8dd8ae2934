# Kimi Proxy. On a fresh machine with JDK 17 and Maven:
#   make run    builds the jar if needed and runs the proxy in the foreground (config.toml, 127.0.0.1:8000)
#   make test   runs the whole suite: unit tests, then integration tests (*IT.java) against the packaged jar
#   make bench  measures the proxy's overhead and writes docs/benchmarks.md
#   make bench-team  the same figures for one solo proxy and a team of two instances
#   make team   team mode for a try: PostgreSQL, Redis and two instances on one machine (docs/team-mode.md)
# Also: make build, make clean. `make run CONFIG=my.toml PORT=9000 HOST=127.0.0.1` overrides the config.
MVN ?= mvn -B
JAR := target/kimi-proxy.jar
CONFIG ?= config.toml
HOST ?=
PORT ?=
BENCH_OPTS ?=

.PHONY: build run team test test-prereqs browser-deps engines claude-code-cli codex-cli bench bench-team clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main static -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

run: $(JAR)
	bin/kimi-proxy start --foreground --config $(CONFIG) $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# Ctrl-C stops all it started. TEAM_DIR keeps the engines' data between runs; TEAM_PORTS the instances'.
TEAM_DIR ?= data/team
TEAM_PORTS ?= 8001 8002
team: $(JAR) engines
	scripts/team.sh --dir $(TEAM_DIR) --config $(CONFIG) --ports "$(TEAM_PORTS)"

# ---- test prerequisites ----------------------------------------------------------------------
# What the tests need beyond JDK 17 and Maven (chromium and npm packages for the browser tests)
# is installed by these targets when missing; `make test` runs them first.
test-prereqs: browser-deps engines claude-code-cli codex-cli

test: test-prereqs
	$(MVN) verify

# The bench classes live in src/test but are not tests (no @Test, names end in Benchmark): the
# shaded jar carries every runtime dependency they use, so no test-scoped classpath is needed.
bench: $(JAR)
	$(MVN) -q test-compile
	java -Xmx512m $(BENCH_OPTS) -cp target/test-classes:$(JAR) io.kimiproxy.bench.ProxyBenchmark

# One solo proxy against two instances of a team on one PostgreSQL and one Redis (docs/team-mode.md).
bench-team: $(JAR) engines
	$(MVN) -q test-compile
	java -Xmx512m $(BENCH_OPTS) -cp target/test-classes:$(JAR) io.kimiproxy.bench.TeamBenchmark

clean:
	$(MVN) -q clean

# The dashboard's browser test drives Debian's chromium with playwright-core (never a downloaded
# browser); both are installed here when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium
BROWSER_MODULES := tests-browser/node_modules/.package-lock.json

browser-deps: $(CHROMIUM) $(BROWSER_MODULES)

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

$(BROWSER_MODULES): tests-browser/package-lock.json
	cd tests-browser && npm ci --no-audit --no-fund

# Team mode's tests start PostgreSQL and Redis themselves, as local processes on random ports in
# temporary folders (src/test/java/io/kimiproxy/testing/engines): only the programs are installed
# here, from Debian's packages, never a service.
PG_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
REDIS_SERVER := /usr/bin/redis-server

engines:
	@if [ -z "$(PG_INITDB)" ] || [ ! -x $(REDIS_SERVER) ]; then \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql redis-server; \
	fi

# The Claude Code CLI that ClaudeCodeCliTest runs against the proxy, pinned in
# tests-clients/claude-code (package-lock.json) and installed when missing. Install scripts are
# skipped: the test runs the platform package's binary itself, and nothing else is fetched.
CLAUDE_CODE_MODULES := tests-clients/claude-code/node_modules/.package-lock.json

claude-code-cli: $(CLAUDE_CODE_MODULES)

$(CLAUDE_CODE_MODULES): tests-clients/claude-code/package-lock.json
	cd tests-clients/claude-code && npm ci --ignore-scripts --no-audit --no-fund

# The Codex CLI that CodexCliTest runs against the proxy, pinned in tests-clients/codex
# (package-lock.json) and installed when missing. Install scripts are skipped: the launcher finds the
# platform package's binary, which npm installs as an optional dependency, and nothing else is fetched.
CODEX_MODULES := tests-clients/codex/node_modules/.package-lock.json

codex-cli: $(CODEX_MODULES)

$(CODEX_MODULES): tests-clients/codex/package-lock.json
	cd tests-clients/codex && npm ci --ignore-scripts --no-audit --no-fund
