package io.kimiproxy.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.kimiproxy.api.ProxyServer;
import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real proxy, in-process, on a random port, with a real SQLite file in a temporary folder and
 * a WireMock server as every provider's upstream. Tests talk to it over real HTTP.
 *
 * <p>The config's text may use {@code {{UPSTREAM}}} for the WireMock base URL (e.g.
 * {@code base_url = "{{UPSTREAM}}/v1"}); {@code [server]} and {@code [storage]} are filled in.
 */
public final class TestProxy implements AutoCloseable {
  public static final String KEY = "sk-test-provider-key-0123456789abcdef";

  private final Vertx vertx;
  private final WireMockServer upstream;
  private final ProxyServer server;
  private final Path folder;
  private final ProxyConfig config;
  private final boolean ownsUpstream;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestProxy(Vertx vertx, WireMockServer upstream, ProxyServer server, Path folder, ProxyConfig config,
                    boolean ownsUpstream) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.server = server;
    this.folder = folder;
    this.config = config;
    this.ownsUpstream = ownsUpstream;
  }

  /** One provider "test" (OpenAI wire format, key {@link #KEY}) with the alias "test/model". */
  public static final String ONE_PROVIDER = """
        [providers.test]
        base_url = "{{UPSTREAM}}/v1"
        api_key = "${TEST_KEY}"
        timeout_s = 10

        [models."test/model"]
        provider = "test"
        model = "upstream-model"
        max_context = 1000
        input_price = 2.0
        output_price = 4.0
        """;

  /** The proxy with {@link #ONE_PROVIDER}. */
  public static TestProxy start() {
    return start(ONE_PROVIDER);
  }

  public static TestProxy start(String providersAndModels) {
    return start(providersAndModels, "");
  }

  /** @param serverExtra extra lines for the [server] table (api_keys, allowed_hosts...) */
  public static TestProxy start(String providersAndModels, String serverExtra) {
    try {
      return startIn(Files.createTempDirectory("kimi-proxy-test"), providersAndModels, serverExtra);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A proxy in a given folder: on the database a closed proxy left there, as after a restart. */
  public static TestProxy startIn(Path folder, String providersAndModels, String serverExtra) {
    return startIn(folder, providersAndModels, serverExtra, "");
  }

  /** @param storageExtra extra lines for the [storage] table (retention_days, vacuum_interval_h...) */
  public static TestProxy startIn(Path folder, String providersAndModels, String serverExtra, String storageExtra) {
    return launch(folder, "path = \"test.db\"\n" + storageExtra, providersAndModels, serverExtra);
  }

  /** A proxy whose database is at {@code databasePath}, relative to a fresh folder (for the folders it creates). */
  public static TestProxy startWithDatabaseAt(String databasePath, String providersAndModels) {
    try {
      return launch(Files.createTempDirectory("kimi-proxy-test"), "path = \"" + databasePath + "\"\n", providersAndModels, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestProxy launch(Path folder, String storage, String providersAndModels, String serverExtra) {
    WireMockServer upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort()
        .asynchronousResponseEnabled(true).containerThreads(32));
    upstream.start();
    try {
      String text = "[server]\nhost = \"127.0.0.1\"\nport = 0\n" + serverExtra + "\n\n[storage]\n" + storage + "\n\n"
          + providersAndModels.replace("{{UPSTREAM}}", upstream.baseUrl());
      Path file = folder.resolve("config.toml");
      Files.writeString(file, text);
      ProxyConfig config = ConfigLoader.load(file, Map.of("TEST_KEY", KEY));
      Vertx vertx = TestVertx.create();
      ProxyServer server = await(ProxyServer.start(vertx, config));
      return new TestProxy(vertx, upstream, server, folder, config, true);
    } catch (IOException e) {
      upstream.stop();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A proxy on a whole configuration of the test's making ({@code {{UPSTREAM}}} filled in), whose
   * providers are an upstream the caller shares between proxies (a team's instances) and stops.
   *
   * @param env the environment the configuration reads (TEST_KEY is added)
   */
  public static TestProxy startWithConfig(Path folder, String configText, WireMockServer upstream,
                                          Map<String, String> env) {
    try {
      Path file = folder.resolve("config.toml");
      Files.writeString(file, configText.replace("{{UPSTREAM}}", upstream.baseUrl()));
      Map<String, String> all = new java.util.HashMap<>(env);
      all.put("TEST_KEY", KEY);
      ProxyConfig config = ConfigLoader.load(file, all);
      Vertx vertx = TestVertx.create();
      try {
        return new TestProxy(vertx, upstream, await(ProxyServer.start(vertx, config)), folder, config, false);
      } catch (RuntimeException e) {
        await(vertx.close());
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WireMockServer upstream() {
    return upstream;
  }

  public ProxyServer server() {
    return server;
  }

  public ProxyConfig config() {
    return config;
  }

  public Path folder() {
    return folder;
  }

  public Path databaseFile() {
    return config.databaseFile();
  }

  public Vertx vertx() {
    return vertx;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  public HttpClient http() {
    return http;
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  public HttpResponse<String> post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A fresh session id, so that a test finds exactly its own ledger rows. */
  public static String newSession() {
    return "s-" + UUID.randomUUID();
  }

  /** A chat request to the proxy, in a session of the test's choosing (to find its ledger rows). */
  public HttpResponse<String> chat(String model, boolean stream, String session) {
    String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    return send(request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** A minimal chat body for "test/model". */
  public static String chat(boolean stream) {
    return "{\"model\":\"test/model\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  @Override
  public void close() {
    try {
      await(server.close());
    } finally {
      await(vertx.close());
      if (ownsUpstream) upstream.stop();
    }
  }
}
