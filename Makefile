# Kimi Proxy. On a fresh machine with JDK 17 and Maven:
#   make run    builds the jar if needed and runs the proxy in the foreground (config.toml, 127.0.0.1:8000)
#   make test   runs the whole suite: unit tests, then integration tests (*IT.java) against the packaged jar
# Also: make build, make clean. `make run CONFIG=my.toml PORT=9000 HOST=127.0.0.1` overrides the config.
MVN ?= mvn -B
JAR := target/kimi-proxy.jar
CONFIG ?= config.toml
HOST ?=
PORT ?=

.PHONY: build run test test-prereqs clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

run: $(JAR)
	bin/kimi-proxy start --foreground --config $(CONFIG) $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# ---- test prerequisites ----------------------------------------------------------------------
# What the tests need beyond JDK 17 and Maven (e.g. chromium and npm packages for the browser tests)
# is installed by this target's recipe; `make test` runs it first.
test-prereqs:

test: test-prereqs
	$(MVN) verify

clean:
	$(MVN) -q clean

# ---- benchmarks ------------------------------------------------------------------------------
# `make bench` goes here.
