# Kimi Proxy: `make run` builds and starts the proxy; `make test` runs the whole suite;
# `make bench` measures the proxy's overhead and writes docs/benchmarks.md.
MVN ?= mvn -B
JAR := target/kimi-proxy.jar
CONFIG ?= config.toml
BENCH_OPTS ?=

.PHONY: run build test bench clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

run: $(JAR)
	java -jar $(JAR) --config $(CONFIG)

test:
	$(MVN) test

# The bench classes live in src/test but are not tests (no @Test, names end in Benchmark): the
# shaded jar carries every runtime dependency they use, so no test-scoped classpath is needed.
bench: $(JAR)
	$(MVN) -q test-compile
	java -Xmx512m $(BENCH_OPTS) -cp target/test-classes:$(JAR) io.kimiproxy.bench.ProxyBenchmark

clean:
	$(MVN) -q clean
