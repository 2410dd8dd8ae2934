package io.kimiproxy.dashboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.TestProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (the scripts in
 * tests-browser/) against this proxy, while requests go through it. {@code make browser-deps}, a
 * prerequisite of {@code make test}, installs both. Screenshots and logs go to target/browser.
 */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path HARNESS = Path.of("tests-browser");
  private static final Path OUT = Path.of("target", "browser");

  @BeforeAll
  static void needsBrowser() {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isDirectory(HARNESS.resolve("node_modules/playwright-core")),
        "the browser tests need Debian's chromium and tests-browser/node_modules: run `make browser-deps`");
  }

  private static TestProxy answering(String serverExtra) {
    TestProxy proxy = TestProxy.start(TestProxy.ONE_PROVIDER, serverExtra);
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody("""
            {"id":"chatcmpl-b","object":"chat.completion","created":1,"model":"upstream-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":620,"completion_tokens":12,"total_tokens":632}}""")));
    return proxy;
  }

  @Test
  void should_update_live_resync_and_export_in_chromium() throws Exception {
    try (TestProxy proxy = answering("")) {
      node("dashboard.test.mjs", proxy.baseUrl(), OUT.toString());
    }
  }

  /**
   * Every section with real traffic: several sessions and clients, streamed and whole answers, a
   * provider answering 500 (retries, its breaker opening, a fallback), a context overflow, a
   * mistyped model, a smart alias, a flagged `rm -rf`, cache hits, a budget running out, an agent
   * run started from the page. Then the proxy restarts on its database and the alerts are still
   * there. The full page after the traffic is target/dashboard.png.
   */
  @Test
  void should_show_every_section_truthfully_with_real_traffic_in_chromium() throws Exception {
    TestProxy proxy = sectionsProxy(null);
    try {
      node("dashboard-sections.test.mjs", proxy.baseUrl(), OUT.toString(), Path.of("target", "dashboard.png").toString());
    } finally {
      proxy.close();
    }
    try (TestProxy restarted = sectionsProxy(proxy.folder())) {
      node("dashboard-restart.test.mjs", restarted.baseUrl(), OUT.toString());
    }
  }

  /** The sections' proxy, in a new folder or (a restart) in the folder of an earlier one. */
  private static TestProxy sectionsProxy(Path folder) {
    TestProxy proxy = folder == null ? TestProxy.start(SECTIONS) : TestProxy.startIn(folder, SECTIONS, "");
    var upstream = proxy.upstream();
    String whole = """
        {"id":"chatcmpl-b","object":"chat.completion","created":1,"model":"upstream-model",
         "choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":620,"completion_tokens":12,"total_tokens":632}}""";
    upstream.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(5).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(whole)));
    upstream.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(2)
        .withRequestBody(matchingJsonPath("$.stream", equalToJson("true")))
        .willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
            .withBody(Fixtures.text("openai/chat-stream-text-include-usage.sse"))));
    upstream.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1).withRequestBody(containing("CLEAN-UP"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
            {"id":"chatcmpl-rm","object":"chat.completion","created":1,"model":"upstream-model",
             "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"execute_command",
                 "arguments":"{\\"command\\":\\"rm -rf build\\"}"}}]}}],
             "usage":{"prompt_tokens":40,"completion_tokens":9,"total_tokens":49}}""")));
    upstream.stubFor(post(urlEqualTo("/flaky/v1/chat/completions")).willReturn(aResponse().withStatus(500)
        .withHeader("Content-Type", "application/json").withBody(Fixtures.text("openai/error-500-server-error.json"))));
    return proxy;
  }

  private static final String SECTIONS = """
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10

      [providers.flaky]
      base_url = "{{UPSTREAM}}/flaky/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10
      max_retries = 1
      retry_base_ms = 10
      # One failed request (its two calls count once) opens the breaker.
      breaker_failures = 1
      breaker_reset_s = 600

      [providers.absent]
      base_url = "{{UPSTREAM}}/absent/v1"
      api_key = "${KIMI_PROXY_TEST_UNSET_KEY}"

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      max_context = 1000
      input_price = 2.0
      output_price = 4.0

      [models."test/large"]
      provider = "test"
      model = "upstream-large"
      max_context = 8000
      input_price = 4.0
      output_price = 8.0

      [models."flaky/model"]
      provider = "flaky"
      model = "flaky-model"
      max_context = 1000
      fallbacks = ["test/model"]

      [models."absent/model"]
      provider = "absent"
      model = "absent-model"

      [models.auto]
      candidates = ["test/model", "test/large"]

      [quotas."provider:test"]
      daily_tokens = 3000
      action = "warn"

      [cache]
      enabled = true
      dir = "cache"

      [compaction]
      enabled = false

      [agents.echo]
      description = "Answers through the test provider"
      model = "test/model"
      timeout_s = 30
      """;

  @Test
  void should_ask_for_the_client_key_when_the_proxy_requires_one() throws Exception {
    try (TestProxy proxy = answering("api_keys = [\"client-key-1\"]")) {
      node("dashboard-key.test.mjs", proxy.baseUrl(), "client-key-1");
    }
  }

  /** Issue 11: a page elsewhere frames the dashboard; a page at a rebinding name reads data and flips a switch. */
  @Test
  void should_stay_out_of_reach_of_framing_and_rebinding_pages() throws Exception {
    try (TestProxy proxy = answering("")) {
      node("dashboard-attacks.test.mjs", proxy.baseUrl());
    }
  }

  /** Runs a script of the harness; its output is in target/browser/<script>.log and in the failure. */
  private static void node(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", HARNESS.resolve(script).toString()));
    command.addAll(List.of(args));
    Path log = Files.createDirectories(OUT).resolve(script.replace(".mjs", ".log"));
    Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = node.waitFor(180, TimeUnit.SECONDS);
    if (!ended) node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, script + " did not finish within 180 s:\n" + output);
    assertEquals(0, node.exitValue(), output);
  }
}
