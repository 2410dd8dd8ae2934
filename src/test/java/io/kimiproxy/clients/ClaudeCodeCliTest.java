package io.kimiproxy.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code CLI (pinned in tests-clients/claude-code, installed by {@code make
 * claude-code-cli}, a prerequisite of {@code make test}) runs headless in a temporary workspace
 * against the real proxy, whose model is a scripted OpenAI-compatible upstream: it asks for a file,
 * gets a Write tool call, writes the file, sends the result back and gets a final answer.
 *
 * <p>Offline: the CLI's environment is its own (a temporary HOME, the proxy's address and key,
 * telemetry, updates, error reports and other non-essential traffic off), and every proxy variable
 * points at a trap that answers 403 and remembers what was asked of it, so a call to any host but
 * the proxy fails at once and fails the test by name.
 */
class ClaudeCodeCliTest {
  private static final Path PACKAGES = Path.of("tests-clients", "claude-code", "node_modules", "@anthropic-ai");
  private static final Path OUT = Path.of("target", "claude-code");
  private static final String KEY = "sk-kimi-cli-test-" + "0123456789abcdef";
  private static final String GREETING = "Hello from Kimi Proxy's Claude Code test!\n";
  private static final String FINAL = "I created hello.txt with a greeting.";

  @BeforeAll
  static void needsTheCli() {
    assertTrue(Files.isExecutable(binary()), "the Claude Code test needs the CLI in " + PACKAGES
        + ": run `make claude-code-cli` (npm ci in tests-clients/claude-code)");
  }

  /** The platform package's binary: the CLI's own launcher is a stub until its install script runs, which npm ci skips. */
  private static Path binary() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String platform = "linux-" + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64");
    return PACKAGES.resolve("claude-code-" + platform).resolve("claude");
  }

  @Test
  void should_write_a_file_through_a_tool_call_and_its_result_and_be_recorded_as_claude_code() throws Exception {
    Path root = Files.createTempDirectory("claude-code-test");
    Path workspace = Files.createDirectories(root.resolve("project"));
    Path home = Files.createDirectories(root.resolve("home"));
    Path file = workspace.resolve("hello.txt");
    List<JsonObject> asked = new CopyOnWriteArrayList<>();
    List<String> elsewhere = new CopyOnWriteArrayList<>();
    try (ScriptedUpstream upstream = ScriptedUpstream.start(request -> answer(request, file, asked));
         TestProxy proxy = TestProxy.start(config(upstream), "api_keys = [\"" + KEY + "\"]")) {
      NetServer trap = trap(upstream, elsewhere);
      Process cli = cli(proxy, workspace, home, trap.actualPort());
      boolean ended = cli.waitFor(240, TimeUnit.SECONDS);
      if (!ended) cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      String output = Files.readString(OUT.resolve("cli.log"), StandardCharsets.UTF_8);
      assertTrue(ended, "Claude Code did not finish within 240 s:\n" + output);
      assertEquals(0, cli.exitValue(), output);
      assertEquals(List.of(), elsewhere, "Claude Code tried to reach hosts other than the proxy");

      assertEquals(GREETING, Files.readString(file, StandardCharsets.UTF_8));
      assertTrue(output.contains(FINAL), output);
      JsonObject turn = asked.stream().filter(ClaudeCodeCliTest::answersTheCall).findFirst()
          .orElseThrow(() -> new AssertionError("no request carried the tool result: " + asked));
      JsonArray messages = turn.getJsonArray("messages");
      assertEquals("call_write_1", messages.getJsonObject(messages.size() - 1).getString("tool_call_id"));

      JsonObject session = Poll.until(Duration.ofSeconds(10), () -> claudeCodeSession(proxy),
          s -> s != null && s.getLong("request_count") >= 2, "the Claude Code session in /api/sessions");
      assertTrue(session.getLong("prompt_tokens") > 0 && session.getLong("completion_tokens") > 0, session.encode());
      assertTrue(session.getDouble("cost_usd") > 0, session.encode());
      HttpResponse<String> rows = proxy.send(proxy.request("/api/sessions/" + session.getString("id"))
          .header("Authorization", "Bearer " + KEY).GET().build());
      for (Object row : new JsonObject(rows.body()).getJsonArray("requests")) {
        assertEquals("messages", ((JsonObject) row).getString("api"));
        assertEquals(200, ((JsonObject) row).getInteger("status"));
      }
    }
  }

  private static String config(ScriptedUpstream upstream) {
    return """
        [providers.scripted]
        base_url = "%s"
        api_key = "${TEST_KEY}"
        timeout_s = 30

        [models."scripted/model"]
        provider = "scripted"
        model = "scripted-model"
        max_context = 200000
        input_price = 1.0
        output_price = 2.0

        [inbound.anthropic]
        default = "scripted/model"
        """.formatted(upstream.baseUrl());
  }

  /**
   * The CLI with nothing of this machine's environment: its own HOME, the proxy's address and key,
   * Claude model names (mapped by [inbound.anthropic]), and every kind of outside traffic turned off.
   */
  private static Process cli(TestProxy proxy, Path workspace, Path home, int trap) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(binary().toAbsolutePath().toString(), "-p", "--output-format", "json",
        "--model", "claude-sonnet-4-5", "--permission-mode", "acceptEdits", "--allowedTools", "Write", "--max-turns", "4",
        "Create a file named hello.txt in the current directory containing a friendly greeting.");
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("ANTHROPIC_BASE_URL", proxy.baseUrl());
    env.put("ANTHROPIC_API_KEY", KEY);
    env.put("ANTHROPIC_SMALL_FAST_MODEL", "claude-haiku-4-5");
    env.put("DISABLE_TELEMETRY", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("DISABLE_ERROR_REPORTING", "1");
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    for (String variable : List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")) {
      env.put(variable, "http://127.0.0.1:" + trap);
    }
    env.put("NO_PROXY", "127.0.0.1,localhost");
    env.put("no_proxy", "127.0.0.1,localhost");
    Files.createDirectories(OUT);
    // Nothing on stdin: in print mode it would wait for piped input before starting.
    return builder.directory(workspace.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(OUT.resolve("cli.log").toFile()).start();
  }

  /** A forward proxy that lets nothing through and writes down what it was asked for. */
  private static NetServer trap(ScriptedUpstream upstream, List<String> asked) {
    return TestProxy.await(upstream.vertx().createNetServer().connectHandler(socket -> socket.handler(data -> {
      String line = data.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
      asked.add(line);
      socket.end(io.vertx.core.buffer.Buffer.buffer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
    })).listen(0, "127.0.0.1"));
  }

  /**
   * The model, scripted as an OpenAI-compatible server streaming its answers: to the task (a request
   * offering Write) a Write call; to the call's result the final answer; to anything else (Claude
   * Code's side requests) a short text.
   */
  private static void answer(HttpServerRequest request, Path file, List<JsonObject> asked) {
    request.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      asked.add(json);
      boolean offersWrite = json.getJsonArray("tools", new JsonArray()).stream()
          .anyMatch(t -> "Write".equals(((JsonObject) t).getJsonObject("function").getString("name")));
      JsonObject delta;
      String finish;
      if (answersTheCall(json)) {
        delta = new JsonObject().put("role", "assistant").put("content", FINAL);
        finish = "stop";
      } else if (offersWrite) {
        JsonObject input = new JsonObject().put("file_path", file.toString()).put("content", GREETING);
        delta = new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
            .put("index", 0).put("id", "call_write_1").put("type", "function")
            .put("function", new JsonObject().put("name", "Write").put("arguments", input.encode()))));
        finish = "tool_calls";
      } else {
        delta = new JsonObject().put("role", "assistant").put("content", "Greeting file");
        finish = "stop";
      }
      ScriptedUpstream.beginStream(request);
      JsonObject chunk = new JsonObject().put("id", "chatcmpl-cli").put("object", "chat.completion.chunk")
          .put("created", 1).put("model", "scripted-model");
      request.response().write("data: " + chunk.copy().put("choices", new JsonArray().add(new JsonObject()
          .put("index", 0).put("delta", delta).putNull("finish_reason"))).encode() + "\n\n");
      request.response().write("data: " + chunk.copy().put("choices", new JsonArray().add(new JsonObject()
          .put("index", 0).put("delta", new JsonObject()).put("finish_reason", finish))).encode() + "\n\n");
      request.response().write("data: " + chunk.copy().put("choices", new JsonArray()).put("usage", new JsonObject()
          .put("prompt_tokens", 1200).put("completion_tokens", 40).put("total_tokens", 1240)).encode() + "\n\n");
      request.response().end("data: [DONE]\n\n");
    });
  }

  private static boolean answersTheCall(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    return !messages.isEmpty() && "tool".equals(messages.getJsonObject(messages.size() - 1).getString("role"));
  }

  private static JsonObject claudeCodeSession(TestProxy proxy) {
    HttpResponse<String> response = proxy.send(proxy.request("/api/sessions").header("Authorization", "Bearer " + KEY)
        .GET().build());
    assertFalse(response.statusCode() != 200, response.body());
    return new JsonObject(response.body()).getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(s -> "claude-code".equals(s.getString("client"))).findFirst().orElse(null);
  }
}
