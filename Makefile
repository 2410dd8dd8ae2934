# Kimi Proxy: `make run` builds and starts the proxy; `make test` runs the whole suite.
MVN ?= mvn -B
JAR := target/kimi-proxy.jar
CONFIG ?= config.toml

.PHONY: run build test clean browser-deps

build: $(JAR)

$(JAR): pom.xml $(shell find src/main static -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

run: $(JAR)
	java -jar $(JAR) --config $(CONFIG)

test: browser-deps
	$(MVN) test

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
