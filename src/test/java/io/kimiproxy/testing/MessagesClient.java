package io.kimiproxy.testing;

import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** An Anthropic Messages client of the test proxy, as Claude Code calls it. */
public final class MessagesClient {
  public static final String PATH = "/v1/messages?beta=true";

  private MessagesClient() {}

  /** POST /v1/messages?beta=true with Claude Code's headers, in a session of the test's choosing. */
  public static HttpResponse<String> post(TestProxy proxy, String body, String session) {
    return proxy.send(request(proxy, PATH, body, session).build());
  }

  public static HttpRequest.Builder request(TestProxy proxy, String path, String body, String session) {
    HttpRequest.Builder request = proxy.request(path).header("Content-Type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
        .header("User-Agent", "claude-cli/2.1.328 (external, sdk-cli)")
        .header("x-api-key", "sk-ant-local")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) request.header("X-Session-Id", session);
    return request;
  }

  /**
   * Asserts that a provider was sent the client's body spliced: the same top-level fields in the
   * same order, each with exactly the client's bytes, but the model.
   */
  public static void assertSpliced(String client, String upstream, String upstreamModel) {
    JsonIndex sent = JsonIndex.ofObject(client.getBytes(StandardCharsets.UTF_8));
    JsonIndex received = JsonIndex.ofObject(upstream.getBytes(StandardCharsets.UTF_8));
    List<String> expected = Stream.concat(Stream.of("model"), sent.fields().keySet().stream().filter(k -> !k.equals("model")))
        .toList();
    if (!List.copyOf(received.fields().keySet()).equals(expected)) {
      throw new AssertionError("fields differ: " + sent.fields().keySet() + " vs " + received.fields().keySet());
    }
    for (Map.Entry<String, Span> field : sent.fields().entrySet()) {
      if (field.getKey().equals("model")) continue;
      byte[] a = slice(sent, field.getValue());
      byte[] b = slice(received, received.field(field.getKey()));
      if (!Arrays.equals(a, b)) {
        throw new AssertionError("field " + field.getKey() + " was not sent as the client wrote it:\n"
            + new String(a, StandardCharsets.UTF_8) + "\n---\n" + new String(b, StandardCharsets.UTF_8));
      }
    }
    Object model = JsonValues.decode(received.bytes(), received.field("model"));
    if (!upstreamModel.equals(model)) throw new AssertionError("model sent: " + model);
  }

  private static byte[] slice(JsonIndex index, Span span) {
    return Arrays.copyOfRange(index.bytes(), span.start(), span.end());
  }
}
