package io.kimiproxy.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.buffer.Buffer;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Codex CLI (pinned in tests-clients/codex, installed by {@code make codex-cli}, a
 * prerequisite of {@code make test}) runs headless ({@code codex exec}) in a temporary workspace
 * against the real proxy, as a model provider with {@code wire_api = "responses"}; the proxy's model
 * is a scripted upstream speaking OpenAI Chat Completions. Codex asks for a file, gets an
 * exec_command call, runs it in its workspace-write sandbox, sends the output back as a
 * function_call_output and gets a final answer.
 *
 * <p>Offline: Codex runs with nothing of this machine's environment (its own HOME and CODEX_HOME,
 * whose config.toml turns off update checks, analytics, feedback, plugins, apps, web search and
 * sub-agents), and every proxy variable points at a trap that answers 403 and remembers what was
 * asked of it, so a call to any host but the proxy fails at once and fails the test by name.
 */
class CodexCliTest {
  private static final Path PACKAGES = Path.of("tests-clients", "codex", "node_modules", "@openai");
  private static final Path OUT = Path.of("target", "codex");
  private static final String KEY = "sk-kimi-codex-test-" + "0123456789abcdef";
  private static final String GREETING = "Hello from Kimi Proxy's Codex test!";
  private static final String FINAL = "I created hello.txt with a greeting.";

  @BeforeAll
  static void needsTheCli() {
    assertTrue(Files.isRegularFile(launcher()) && Files.isExecutable(binary()), "the Codex test needs the CLI in " + PACKAGES
        + ": run `make codex-cli` (npm ci in tests-clients/codex)");
  }

  private static Path launcher() {
    return PACKAGES.resolve("codex").resolve("bin").resolve("codex.js");
  }

  /** The platform package's binary, which the launcher runs. */
  private static Path binary() {
    boolean arm = List.of("aarch64", "arm64").contains(System.getProperty("os.arch").toLowerCase(Locale.ROOT));
    return PACKAGES.resolve(arm ? "codex-linux-arm64" : "codex-linux-x64").resolve("vendor")
        .resolve(arm ? "aarch64-unknown-linux-musl" : "x86_64-unknown-linux-musl").resolve("bin").resolve("codex");
  }

  @Test
  void should_write_a_file_through_a_tool_call_and_its_result_and_be_recorded_as_codex(@TempDir Path root) throws Exception {
    Path workspace = Files.createDirectories(root.resolve("project"));
    Path home = Files.createDirectories(root.resolve("home"));
    Path codexHome = Files.createDirectories(root.resolve("codex-home"));
    List<JsonObject> asked = new CopyOnWriteArrayList<>();
    List<String> elsewhere = new CopyOnWriteArrayList<>();
    try (ScriptedUpstream upstream = ScriptedUpstream.start(request -> answer(request, asked));
         TestProxy proxy = TestProxy.start(config(upstream), "api_keys = [\"" + KEY + "\"]")) {
      NetServer trap = trap(upstream, elsewhere);
      Files.writeString(codexHome.resolve("config.toml"), codexConfig(proxy));
      Process cli = cli(workspace, home, codexHome, trap.actualPort());
      boolean ended = cli.waitFor(240, TimeUnit.SECONDS);
      if (!ended) cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      String output = Files.readString(OUT.resolve("cli.log"), StandardCharsets.UTF_8);
      assertTrue(ended, "Codex did not finish within 240 s:\n" + output);
      assertEquals(0, cli.exitValue(), output);
      assertEquals(List.of(), elsewhere, "Codex tried to reach hosts other than the proxy");

      assertEquals(GREETING + "\n", Files.readString(workspace.resolve("hello.txt"), StandardCharsets.UTF_8), output);
      assertTrue(output.contains("\"type\":\"agent_message\",\"text\":\"" + FINAL + "\""), output);
      JsonObject turn = asked.stream().filter(CodexCliTest::answersTheCall).findFirst()
          .orElseThrow(() -> new AssertionError("no request carried the command's output: " + asked));
      JsonArray messages = turn.getJsonArray("messages");
      assertEquals("call_exec_1", messages.getJsonObject(messages.size() - 1).getString("tool_call_id"));

      JsonObject session = Poll.until(Duration.ofSeconds(10), () -> codexSession(proxy),
          s -> s != null && s.getLong("request_count") >= 2, "the Codex session in /api/sessions");
      assertTrue(session.getLong("prompt_tokens") > 0 && session.getLong("completion_tokens") > 0, session.encode());
      assertTrue(session.getDouble("cost_usd") > 0, session.encode());
      HttpResponse<String> rows = proxy.send(proxy.request("/api/sessions/" + session.getString("id"))
          .header("Authorization", "Bearer " + KEY).GET().build());
      for (Object row : new JsonObject(rows.body()).getJsonArray("requests")) {
        assertEquals("responses", ((JsonObject) row).getString("api"));
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
        """.formatted(upstream.baseUrl());
  }

  /**
   * Codex's config: the proxy as its model provider (the block docs/clients.md shows), and every
   * feature that would reach OpenAI or offer tools a Chat Completions model cannot have turned off.
   */
  private static String codexConfig(TestProxy proxy) {
    return """
        model_provider = "kimi-proxy"
        check_for_update_on_startup = false
        web_search = "disabled"

        [model_providers.kimi-proxy]
        name = "Kimi Proxy"
        base_url = "%s/v1"
        wire_api = "responses"
        env_key = "KIMI_PROXY_KEY"

        [analytics]
        enabled = false

        [feedback]
        enabled = false

        [agents]
        enabled = false

        [features]
        plugins = false
        apps = false
        """.formatted(proxy.baseUrl());
  }

  /** The CLI with nothing of this machine's environment: its own HOME and CODEX_HOME, the proxy's key, traps for proxies. */
  private static Process cli(Path workspace, Path home, Path codexHome, int trap) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("node", launcher().toAbsolutePath().toString(), "exec",
        "--skip-git-repo-check", "--ephemeral", "--json", "-C", workspace.toString(), "-s", "workspace-write",
        "-m", "scripted/model", "Create a file named hello.txt in the current directory containing a friendly greeting.");
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("CODEX_HOME", codexHome.toString());
    env.put("KIMI_PROXY_KEY", KEY);
    for (String variable : List.of("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy")) {
      env.put(variable, "http://127.0.0.1:" + trap);
    }
    env.put("NO_PROXY", "127.0.0.1,localhost");
    env.put("no_proxy", "127.0.0.1,localhost");
    Files.createDirectories(OUT);
    // Nothing on stdin: codex exec reads a prompt from a pipe before starting.
    return builder.directory(workspace.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(OUT.resolve("cli.log").toFile()).start();
  }

  /** A forward proxy that lets nothing through and writes down what it was asked for. */
  private static NetServer trap(ScriptedUpstream upstream, List<String> asked) {
    return TestProxy.await(upstream.vertx().createNetServer().connectHandler(socket -> socket.handler(data -> {
      asked.add(data.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0]);
      socket.end(Buffer.buffer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
    })).listen(0, "127.0.0.1"));
  }

  /**
   * The model, scripted as an OpenAI-compatible server streaming its answers: to the task (a request
   * offering exec_command) a command that writes the file; to the command's output the final answer;
   * to anything else a short text.
   */
  private static void answer(HttpServerRequest request, List<JsonObject> asked) {
    request.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      asked.add(json);
      boolean offersExec = json.getJsonArray("tools", new JsonArray()).stream()
          .anyMatch(t -> "exec_command".equals(((JsonObject) t).getJsonObject("function").getString("name")));
      JsonObject delta;
      String finish;
      if (answersTheCall(json)) {
        delta = new JsonObject().put("role", "assistant").put("content", FINAL);
        finish = "stop";
      } else if (offersExec) {
        String command = "printf '%s\\n' \"" + GREETING + "\" > hello.txt";
        delta = new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
            .put("index", 0).put("id", "call_exec_1").put("type", "function").put("function", new JsonObject()
                .put("name", "exec_command").put("arguments", new JsonObject().put("cmd", command).encode()))));
        finish = "tool_calls";
      } else {
        delta = new JsonObject().put("role", "assistant").put("content", "Greeting file");
        finish = "stop";
      }
      ScriptedUpstream.beginStream(request);
      JsonObject chunk = new JsonObject().put("id", "chatcmpl-codex").put("object", "chat.completion.chunk")
          .put("created", 1).put("model", "scripted-model");
      request.response().write("data: " + chunk.copy().put("choices", new JsonArray().add(new JsonObject()
          .put("index", 0).put("delta", delta).putNull("finish_reason"))).encode() + "\n\n");
      request.response().write("data: " + chunk.copy().put("choices", new JsonArray().add(new JsonObject()
          .put("index", 0).put("delta", new JsonObject()).put("finish_reason", finish))).encode() + "\n\n");
      request.response().write("data: " + chunk.copy().put("choices", new JsonArray()).put("usage", new JsonObject()
          .put("prompt_tokens", 6000).put("completion_tokens", 40).put("total_tokens", 6040)).encode() + "\n\n");
      request.response().end("data: [DONE]\n\n");
    });
  }

  private static boolean answersTheCall(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    return !messages.isEmpty() && "tool".equals(messages.getJsonObject(messages.size() - 1).getString("role"));
  }

  private static JsonObject codexSession(TestProxy proxy) {
    HttpResponse<String> response = proxy.send(proxy.request("/api/sessions").header("Authorization", "Bearer " + KEY)
        .GET().build());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(s -> "codex".equals(s.getString("client"))).findFirst().orElse(null);
  }
}
