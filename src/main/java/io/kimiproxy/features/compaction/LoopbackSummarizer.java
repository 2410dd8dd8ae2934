package io.kimiproxy.features.compaction;

import io.kimiproxy.core.util.InternalCalls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.function.IntSupplier;

/**
 * Asks the summarizer model through the proxy's own {@code /v1/chat/completions}, as an internal
 * call of kind "summary": it is routed, sanitized and recorded in the ledger like any request
 * (under the session it summarizes), and is never compacted itself.
 */
public final class LoopbackSummarizer implements Summarizer {
  static final String INSTRUCTIONS = "You condense the middle of a conversation between a developer and a coding "
      + "assistant, so the assistant can continue the task without it. Keep every decision, file path, function "
      + "and command name, command outcome, error and fix, and open question; drop pleasantries and repeated file "
      + "contents. Write plain prose and short lists, at most 400 words. Answer with the summary only.";
  private static final int MAX_SUMMARY_TOKENS = 1_024;
  private static final long TIMEOUT_MS = 120_000;

  private final WebClient client;
  private final String host;
  private final IntSupplier port;
  private final InternalCalls internal;

  public LoopbackSummarizer(Vertx vertx, String host, IntSupplier port, InternalCalls internal) {
    this.client = WebClient.create(vertx, new WebClientOptions().setName("kimi-proxy-loopback"));
    this.host = host;
    this.port = port;
    this.internal = internal;
  }

  @Override
  public Future<String> summarize(String sessionId, String modelAlias, String transcript) {
    JsonObject body = new JsonObject().put("model", modelAlias).put("stream", false).put("max_tokens", MAX_SUMMARY_TOKENS)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", INSTRUCTIONS))
            .add(new JsonObject().put("role", "user").put("content", transcript)));
    return client.post(port.getAsInt(), host, "/v1/chat/completions")
        .putHeader(InternalCalls.TOKEN_HEADER, internal.token())
        .putHeader(InternalCalls.KIND_HEADER, "summary")
        .putHeader("X-Session-Id", sessionId)
        .timeout(TIMEOUT_MS)
        .sendJsonObject(body)
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("summarizer answered HTTP " + response.statusCode());
          }
          JsonObject answer = response.bodyAsJsonObject();
          String text = answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
          return text == null || text.isBlank() ? Future.failedFuture("empty summary") : Future.succeededFuture(text.strip());
        });
  }
}
