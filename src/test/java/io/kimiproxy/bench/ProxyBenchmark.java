package io.kimiproxy.bench;

import io.kimiproxy.bench.LoadDriver.Probe;
import io.kimiproxy.bench.LoadDriver.Target;
import io.kimiproxy.bench.LoadDriver.Throughput;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code make bench}: the proxy's cost over calling a provider directly. A canned upstream runs in
 * this JVM, the packaged proxy in a process of its own; the same requests go to each, alternating
 * sides so that other load on the machine falls on both. Then the token-counting figures. Prints
 * the tables and writes docs/benchmarks.md. Talks to 127.0.0.1 only and ends by itself.
 *
 * <p>System properties (defaults in brackets): bench.rate [200], bench.bodyBytes [8192],
 * bench.seconds [20] per side at the fixed rate, bench.streamSeconds [10], bench.connections [64],
 * bench.maxSeconds [10] per side for the throughput, bench.warmSeconds [5], bench.jar, bench.out,
 * bench.proxyOpts [none]: extra JVM options for the proxy, to diagnose (e.g. a flight recording).
 */
public final class ProxyBenchmark {
  /** The fixed-rate runs are split in this many rounds per side, alternating direct and proxy. */
  static final int ROUNDS = 2;

  record Settings(int rate, int bodyBytes, int seconds, int streamSeconds, int connections, int maxSeconds,
                  int warmSeconds, Path jar, Path out, List<String> proxyOpts) {
    static Settings fromSystemProperties() {
      return new Settings(Integer.getInteger("bench.rate", 200), Integer.getInteger("bench.bodyBytes", 8192),
          Integer.getInteger("bench.seconds", 20), Integer.getInteger("bench.streamSeconds", 10),
          Integer.getInteger("bench.connections", 64), Integer.getInteger("bench.maxSeconds", 10),
          Integer.getInteger("bench.warmSeconds", 5),
          Path.of(System.getProperty("bench.jar", "target/kimi-proxy.jar")),
          Path.of(System.getProperty("bench.out", "docs/benchmarks.md")),
          List.of(System.getProperty("bench.proxyOpts", "").trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList());
    }
  }

  /** Everything measured against the proxy process. */
  /** @param proxyCpuPerRequestMs the proxy's CPU time (all its threads) per answer, at maximum throughput */
  record ProxyResults(Samples[] whole, Samples[] firstEvent, Throughput directMax, Throughput proxyMax,
                      double proxyCpuPerRequestMs, long idleKib, long afterKib, long peakKib, Machine.CpuShare cpu,
                      String proxyLogIssues) {}

  private ProxyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    Machine machine = Machine.describe();
    String loadBefore = Machine.loadAverage();
    ZonedDateTime started = ZonedDateTime.now();
    Corpus corpus = Corpus.load(Path.of("src/main/java"));
    say("load average before: " + loadBefore + " on " + machine.cores() + " cores");

    ProxyResults proxy = measureProxy(settings, corpus);
    say("token counting");
    TokenCountBenchmark.Result tokens = TokenCountBenchmark.run(corpus);
    String loadAfter = Machine.loadAverage();

    BenchReport latency = latencyTable(settings, proxy);
    BenchReport counting = countingTable(tokens);
    System.out.println();
    System.out.print(latency.console());
    System.out.println();
    System.out.print(counting.console());
    String disturbance = cpuLine(proxy.cpu());
    System.out.println("\nload average before " + loadBefore + ", after " + loadAfter + "; " + disturbance);
    if (!proxy.proxyLogIssues().isEmpty()) System.out.println("proxy log: " + proxy.proxyLogIssues());

    BenchReport.write(settings.out(), BenchDocument.render(settings, machine, started, loadBefore, loadAfter,
        disturbance, latency, counting, tokens, proxy.proxyLogIssues()));
    System.out.println("written " + settings.out());
  }

  private static ProxyResults measureProxy(Settings s, Corpus corpus) throws Exception {
    Path folder = Files.createTempDirectory("kimi-proxy-bench");
    Vertx vertx = Vertx.vertx();
    try {
      CannedUpstream upstream = CannedUpstream.fromFixtures(Path.of("tests-data/fixtures"));
      int upstreamPort = upstream.start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      ChatBodies whole = ChatBodies.of(corpus, s.bodyBytes(), false);
      ChatBodies stream = ChatBodies.of(corpus, s.bodyBytes(), true);
      say("request bodies: " + whole.size() + " bytes (" + stream.size() + " streaming)");
      long[] cpuStart = Machine.CpuShare.mark();
      try (ProxyProcess proxy = ProxyProcess.start(s.jar(), folder, upstreamPort, s.proxyOpts());
           LoadDriver driver = new LoadDriver(vertx, s.connections())) {
        Target direct = new Target(upstreamPort);
        Target viaProxy = new Target(proxy.port());
        Thread.sleep(2000); // let start-up work (JIT, migrations) settle before reading idle memory
        long idle = proxy.rssKib();
        say("proxy pid " + proxy.pid() + " on port " + proxy.port() + ", idle RSS " + BenchReport.mib(idle));

        say("warm-up");
        Duration warm = Duration.ofSeconds(s.warmSeconds());
        for (Target t : new Target[] {direct, viaProxy}) {
          driver.closedLoop(t, whole, Probe.WHOLE, 16, warm);
          driver.closedLoop(t, stream, Probe.FIRST_EVENT, 16, warm);
          driver.openLoop(t, whole, Probe.WHOLE, s.rate(), Duration.ofSeconds(2));
        }
        say("fixed rate, whole answers: " + s.rate() + " req/s, " + s.seconds() + " s per side");
        Samples[] wholeAnswers = alternate(driver, direct, viaProxy, whole, Probe.WHOLE, s.rate(), s.seconds());
        say("fixed rate, first stream event: " + s.rate() + " req/s, " + s.streamSeconds() + " s per side");
        Samples[] firstEvents = alternate(driver, direct, viaProxy, stream, Probe.FIRST_EVENT, s.rate(), s.streamSeconds());
        say("maximum throughput: " + s.connections() + " connections, " + s.maxSeconds() + " s per side");
        Duration max = Duration.ofSeconds(s.maxSeconds());
        Throughput directMax = driver.closedLoop(direct, whole, Probe.WHOLE, s.connections(), max);
        long ticks = Machine.processTicks(proxy.pid());
        Throughput proxyMax = driver.closedLoop(viaProxy, whole, Probe.WHOLE, s.connections(), max);
        double cpuPerRequestMs = (Machine.processTicks(proxy.pid()) - ticks) * 1000.0 / Machine.TICKS_PER_SECOND
            / Math.max(1, proxyMax.samples().count());
        Thread.sleep(3000); // the ledger flushes, in-flight work ends: memory "after the load", not during it
        long after = proxy.rssKib();
        long peak = proxy.peakRssKib();
        Machine.CpuShare cpu = Machine.CpuShare.since(cpuStart, proxy.pid());
        proxy.close();
        upstream.close();
        return new ProxyResults(wholeAnswers, firstEvents, directMax, proxyMax, cpuPerRequestMs, idle, after, peak, cpu,
            logIssues(folder.resolve("proxy.log")));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      deleteTree(folder);
    }
  }

  /** {direct, proxy}: {@link #ROUNDS} rounds each, alternating, so drifting machine load hits both. */
  private static Samples[] alternate(LoadDriver driver, Target direct, Target proxy, ChatBodies bodies, Probe probe,
                                     int rate, int seconds) throws Exception {
    Samples[] out = {new Samples(rate * seconds), new Samples(rate * seconds)};
    Duration round = Duration.ofMillis(seconds * 1000L / ROUNDS);
    for (int i = 0; i < ROUNDS; i++) {
      out[0].addAll(driver.openLoop(direct, bodies, probe, rate, round));
      out[1].addAll(driver.openLoop(proxy, bodies, probe, rate, round));
    }
    return out;
  }

  private static BenchReport latencyTable(Settings s, ProxyResults r) {
    BenchReport t = new BenchReport("measure", "direct", "through proxy", "added by proxy", "aim");
    String at = " (" + s.rate() + " req/s, " + s.bodyBytes() / 1024 + " KB)";
    percentiles(t, "whole answer", at, r.whole());
    percentiles(t, "first stream event", at, r.firstEvent());
    t.add("answered / failed at fixed rate", answered(r.whole()[0], r.firstEvent()[0]), answered(r.whole()[1], r.firstEvent()[1]), "", "");
    t.add("max throughput (" + s.connections() + " connections)", perSecond(r.directMax()), perSecond(r.proxyMax()), "", "");
    t.add("  p50 latency at max throughput", BenchReport.ms(r.directMax().samples().percentileMs(50)),
        BenchReport.ms(r.proxyMax().samples().percentileMs(50)), "", "");
    t.add("proxy CPU time per request at max throughput", "", BenchReport.ms(r.proxyCpuPerRequestMs()), "", "");
    t.add("proxy RSS idle after start", "", BenchReport.mib(r.idleKib()), "", "< 150 MiB");
    t.add("proxy RSS after the load", "", BenchReport.mib(r.afterKib()), "", "");
    t.add("proxy peak RSS (VmHWM)", "", BenchReport.mib(r.peakKib()), "", "");
    return t;
  }

  /** p50 and p99 of {direct, proxy} and the difference, the aim on the p99 row. */
  private static void percentiles(BenchReport t, String what, String at, Samples[] sides) {
    for (int p : new int[] {50, 99}) {
      double direct = sides[0].percentileMs(p);
      double proxy = sides[1].percentileMs(p);
      t.add(what + " p" + p + at, BenchReport.ms(direct), BenchReport.ms(proxy), BenchReport.addedMs(proxy, direct),
          p == 99 ? "< 1 ms added" : "");
    }
  }

  private static BenchReport countingTable(TokenCountBenchmark.Result r) {
    BenchReport t = new BenchReport("token counting (" + r.tokens() + " tokens, " + r.messages() + " messages)", "time", "aim");
    t.add("first use of the encoding (vocabulary load)", String.format("%.1f ms", r.loadMs()), "");
    t.add("cold: whole conversation, empty cache", String.format("%.1f ms", r.coldMs()), "report");
    t.add("warm: again with one new message", BenchReport.ms(r.warmFirstMs()), "< 2 ms");
    t.add("warm: median of " + r.warmMs().length + " turns (max)", BenchReport.ms(r.warmMedianMs())
        + " (" + BenchReport.ms(r.warmMaxMs()) + ")", "< 2 ms");
    return t;
  }

  private static String cpuLine(Machine.CpuShare cpu) {
    return String.format("during the proxy measurements the machine's CPU went %.0f%% to the bench JVM, %.0f%% to the proxy"
        + " and %.0f%% to other processes", cpu.bench() * 100, cpu.proxy() * 100, cpu.others() * 100);
  }

  private static String answered(Samples whole, Samples events) {
    return (whole.count() + events.count()) + " / " + (whole.errors() + events.errors());
  }

  private static String perSecond(Throughput t) {
    return String.format("%.0f req/s", t.perSecond()) + (t.samples().errors() > 0 ? " (" + t.samples().errors() + " failed)" : "");
  }

  /**
   * Warnings in the proxy's own log (a blocked event loop, a failed ledger write) would cast doubt
   * on the run: the count and the first one are reported, since the log goes with the temporary folder.
   */
  private static String logIssues(Path log) throws IOException {
    try (Stream<String> lines = Files.lines(log)) {
      var warnings = lines.filter(l -> l.contains("WARNING") || l.contains("SEVERE")).toList();
      return warnings.isEmpty() ? "" : warnings.size() + " warning lines, the first: " + warnings.get(0);
    }
  }

  static void deleteTree(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  static void say(String line) {
    System.out.println(DateTimeFormatter.ofPattern("HH:mm:ss").format(ZonedDateTime.now()) + " " + line);
  }
}
