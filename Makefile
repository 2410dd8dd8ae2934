# Kimi Proxy. On a fresh machine with JDK 17 and Maven:
#   make run    builds the jar if needed and runs the proxy in the foreground (config.toml, 127.0.0.1:8000)
#   make test   runs the whole suite: unit tests, then integration tests (*IT.java) against the packaged jar
#   make bench  measures the proxy's overhead and writes docs/benchmarks.md
# Also: make build, make clean. `make run CONFIG=my.toml PORT=9000 HOST=127.0.0.1` overrides the config.
MVN ?= mvn -B
JAR := target/kimi-proxy.jar
CONFIG ?= config.toml
HOST ?=
PORT ?=
BENCH_OPTS ?=

.PHONY: build run test test-prereqs browser-deps codex-cli bench clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main static -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

run: $(JAR)
	bin/kimi-proxy start --foreground --config $(CONFIG) $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# ---- test prerequisites ----------------------------------------------------------------------
# What the tests need beyond JDK 17 and Maven (chromium and npm packages for the browser tests)
# is installed by these targets when missing; `make test` runs them first.
test-prereqs: browser-deps codex-cli

test: test-prereqs
	$(MVN) verify

# The bench classes live in src/test but are not tests (no @Test, names end in Benchmark): the
# shaded jar carries every runtime dependency they use, so no test-scoped classpath is needed.
bench: $(JAR)
	$(MVN) -q test-compile
	java -Xmx512m $(BENCH_OPTS) -cp target/test-classes:$(JAR) io.kimiproxy.bench.ProxyBenchmark

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

# The Codex CLI that CodexCliTest runs against the proxy, pinned in tests-clients/codex
# (package-lock.json) and installed when missing. Install scripts are skipped: the launcher finds the
# platform package's binary, which npm installs as an optional dependency, and nothing else is fetched.
CODEX_MODULES := tests-clients/codex/node_modules/.package-lock.json

codex-cli: $(CODEX_MODULES)

$(CODEX_MODULES): tests-clients/codex/package-lock.json
	cd tests-clients/codex && npm ci --ignore-scripts --no-audit --no-fund
