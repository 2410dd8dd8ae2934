package io.kimiproxy.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Two proxy instances of one team, in this process, each on its own Vert.x and random port: one
 * PostgreSQL for their ledger, one Redis for their shared state, one WireMock as every provider.
 * Each instance's {@code [shared]} table may differ (say, on_failure); the rest of the
 * configuration ({@code {{UPSTREAM}}} for WireMock's URL) is the same for both.
 */
public final class TeamOfTwo implements AutoCloseable {
  private final WireMockServer upstream;
  private final TestProxy a;
  private final TestProxy b;

  private TeamOfTwo(WireMockServer upstream, TestProxy a, TestProxy b) {
    this.upstream = upstream;
    this.a = a;
    this.b = b;
  }

  /**
   * @param sharedA extra lines of instance A's [shared] table
   * @param rest    every other table: providers, models, quotas, rate_limits...
   */
  public static TeamOfTwo start(String postgresUrl, String redisUrl, String sharedA, String sharedB, String rest) {
    WireMockServer upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort()
        .asynchronousResponseEnabled(true).containerThreads(32));
    upstream.start();
    TestProxy first = null;
    try {
      first = instance("a", postgresUrl, redisUrl, sharedA, rest, upstream);
      return new TeamOfTwo(upstream, first, instance("b", postgresUrl, redisUrl, sharedB, rest, upstream));
    } catch (RuntimeException e) {
      if (first != null) first.close();
      upstream.stop();
      throw e;
    }
  }

  private static TestProxy instance(String name, String postgresUrl, String redisUrl, String shared, String rest,
                                    WireMockServer upstream) {
    String config = "[server]\nhost = \"127.0.0.1\"\nport = 0\n\n"
        + "[storage]\ntype = \"postgres\"\nurl = \"${KP_DATABASE_URL}\"\npool_size = 4\n\n"
        + "[shared]\nredis_url = \"${KP_REDIS_URL}\"\ninstance = \"" + name + "\"\n" + shared + "\n\n" + rest;
    try {
      return TestProxy.startWithConfig(Files.createTempDirectory("kimi-proxy-team-" + name), config, upstream,
          Map.of("KP_DATABASE_URL", postgresUrl, "KP_REDIS_URL", redisUrl));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestProxy a() {
    return a;
  }

  public TestProxy b() {
    return b;
  }

  public WireMockServer upstream() {
    return upstream;
  }

  @Override
  public void close() {
    try {
      a.close();
    } finally {
      try {
        b.close();
      } finally {
        upstream.stop();
      }
    }
  }
}
