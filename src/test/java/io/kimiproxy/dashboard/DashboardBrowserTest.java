package io.kimiproxy.dashboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
