# Kimi Proxy: `make run` builds and starts the proxy; `make test` runs the whole suite.
MVN ?= mvn -B
JAR := target/kimi-proxy.jar
CONFIG ?= config.toml

.PHONY: run build test clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

run: $(JAR)
	java -jar $(JAR) --config $(CONFIG)

test:
	$(MVN) test

clean:
	$(MVN) -q clean
