package io.kimiproxy.bench;

import io.kimiproxy.bench.LoadDriver.Probe;
import io.kimiproxy.bench.LoadDriver.Target;
import io.kimiproxy.bench.LoadDriver.Throughput;
import io.kimiproxy.testing.engines.LocalPostgres;
import io.kimiproxy.testing.engines.LocalRedis;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code make bench-team}: what one solo proxy (SQLite) and a team of two instances (one
 * PostgreSQL, one Redis, every request through a shared rate limit and budget) answer, on this
 * machine, with the canned upstream of {@code make bench}. The load is split evenly over the
 * instances: a fixed rate for latency, then as many requests as {@code bench.connections}
 * connections carry. Prints a table for docs/team-mode.md. Talks to 127.0.0.1 only, starts the
 * engines in temporary folders and stops everything it started.
 *
 * <p>System properties (defaults in brackets): bench.rate [100] in total, bench.seconds [15],
 * bench.connections [32] in total, bench.maxSeconds [10], bench.warmSeconds [5], bench.bodyBytes
 * [8192], bench.jar [target/kimi-proxy.jar].
 */
public final class TeamBenchmark {
  private static final String LIMITS = """

      [rate_limits]
      max_wait_ms = 0

      [quotas."model:%s"]
      daily_usd = 1000000
      """.formatted(ChatBodies.MODEL);

  private record Result(String setup, Samples fixedRate, Throughput max, int errors) {}

  private TeamBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = Integer.getInteger("bench.rate", 100);
    int seconds = Integer.getInteger("bench.seconds", 15);
    int connections = Integer.getInteger("bench.connections", 32);
    int maxSeconds = Integer.getInteger("bench.maxSeconds", 10);
    int warmSeconds = Integer.getInteger("bench.warmSeconds", 5);
    Path jar = Path.of(System.getProperty("bench.jar", "target/kimi-proxy.jar"));
    ChatBodies bodies = ChatBodies.of(Corpus.load(Path.of("src/main/java")), Integer.getInteger("bench.bodyBytes", 8192), false);
    Machine machine = Machine.describe();
    String loadBefore = Machine.loadAverage();
    Vertx vertx = Vertx.vertx();
    LocalPostgres postgres = new LocalPostgres();
    LocalRedis redis = new LocalRedis();
    List<Result> results = new ArrayList<>();
    List<Path> folders = new ArrayList<>();
    String postgresVersion;
    try {
      CannedUpstream upstream = CannedUpstream.fromFixtures(Path.of("tests-data/fixtures"));
      int upstreamPort = upstream.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // The model has an rpm far above the load: every request runs the limit's script, none is refused by it.
      String model = ProxyProcess.config(upstreamPort, LIMITS).replace("output_price = 2.0", "output_price = 2.0\nrpm = 10000000");
      try (ProxyProcess solo = ProxyProcess.start(jar, folder(folders, "bench-solo"),
          model + "\n[storage]\npath = \"bench.db\"\n", Map.of(), List.of())) {
        results.add(measure("one instance, SQLite", List.of(solo), bodies, rate, seconds, connections, maxSeconds, warmSeconds));
      }
      postgres.start();
      postgresVersion = postgres.version();
      redis.start();
      String team = model + "\n[storage]\ntype = \"postgres\"\nurl = \"${KP_DATABASE_URL}\"\n\n[shared]\nredis_url = \"${KP_REDIS_URL}\"\n";
      Map<String, String> env = Map.of("KP_DATABASE_URL", postgres.url(), "KP_REDIS_URL", redis.url());
      try (ProxyProcess a = ProxyProcess.start(jar, folder(folders, "bench-team-a"), team, env, List.of());
           ProxyProcess b = ProxyProcess.start(jar, folder(folders, "bench-team-b"), team, env, List.of())) {
        results.add(measure("two instances, PostgreSQL + Redis", List.of(a, b), bodies, rate, seconds, connections,
            maxSeconds, warmSeconds));
      }
      upstream.close();
    } finally {
      redis.remove();
      postgres.remove();
      for (Path folder : folders) ProxyBenchmark.deleteTree(folder);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.out.println();
    System.out.println(machine.cores() + " cores (" + machine.cpu() + "), load average before " + loadBefore + ", after "
        + Machine.loadAverage() + "; PostgreSQL " + postgresVersion + ", Redis of Debian's package");
    System.out.println("| setup | p50 at " + rate + " req/s | p99 at " + rate + " req/s | most answers/s ("
        + connections + " connections) | p99 then | errors |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.0f | %.1f ms | %d |%n", r.setup(),
          r.fixedRate().percentileMs(50), r.fixedRate().percentileMs(99), r.max().perSecond(),
          r.max().samples().percentileMs(99), r.errors());
    }
  }

  private static Path folder(List<Path> folders, String prefix) throws java.io.IOException {
    Path folder = Files.createTempDirectory(prefix);
    folders.add(folder);
    return folder;
  }

  /** The load split evenly over the instances, one driver each, run side by side. */
  private static Result measure(String setup, List<ProxyProcess> instances, ChatBodies bodies, int rate, int seconds,
                                int connections, int maxSeconds, int warmSeconds) throws Exception {
    ProxyBenchmark.say(setup + ": warm-up");
    Vertx vertx = Vertx.vertx();
    ExecutorService threads = Executors.newFixedThreadPool(instances.size());
    List<LoadDriver> drivers = new ArrayList<>();
    try {
      for (ProxyProcess ignored : instances) drivers.add(new LoadDriver(vertx, Math.max(1, connections / instances.size())));
      each(threads, instances, drivers, (driver, target) ->
          driver.closedLoop(target, bodies, Probe.WHOLE, 8, Duration.ofSeconds(warmSeconds)).samples());
      ProxyBenchmark.say(setup + ": " + rate + " req/s for " + seconds + " s");
      Samples fixed = new Samples(rate * seconds);
      each(threads, instances, drivers, (driver, target) ->
          driver.openLoop(target, bodies, Probe.WHOLE, Math.max(1, rate / instances.size()), Duration.ofSeconds(seconds)))
          .forEach(fixed::addAll);
      ProxyBenchmark.say(setup + ": " + connections + " connections for " + maxSeconds + " s");
      long start = System.nanoTime();
      Samples max = new Samples(connections * 1000);
      each(threads, instances, drivers, (driver, target) -> driver.closedLoop(target, bodies, Probe.WHOLE,
          Math.max(1, connections / instances.size()), Duration.ofSeconds(maxSeconds)).samples()).forEach(max::addAll);
      Throughput total = new Throughput(max, (System.nanoTime() - start) / 1e9);
      return new Result(setup, fixed, total, fixed.errors() + max.errors());
    } finally {
      for (LoadDriver driver : drivers) driver.close();
      threads.shutdownNow();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private interface Run {
    Samples on(LoadDriver driver, Target target) throws Exception;
  }

  private static List<Samples> each(ExecutorService threads, List<ProxyProcess> instances, List<LoadDriver> drivers,
                                    Run run) throws Exception {
    List<Future<Samples>> runs = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      LoadDriver driver = drivers.get(i);
      Target target = new Target(instances.get(i).port());
      Callable<Samples> one = () -> run.on(driver, target);
      runs.add(threads.submit(one));
    }
    List<Samples> out = new ArrayList<>();
    for (Future<Samples> f : runs) out.add(f.get());
    return out;
  }
}
