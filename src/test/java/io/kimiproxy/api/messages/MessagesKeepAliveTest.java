package io.kimiproxy.api.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.MessagesClient;
import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.StrictAnthropicStreamChecker;
import io.kimiproxy.testing.StrictAnthropicStreamChecker.Frame;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A provider that falls silent in the middle of its answer: once the stream has begun, the client
 * is sent Anthropic's ping after ten quiet seconds (looked at every second), between the provider's
 * events; the provider here is silent for fifteen.
 */
class MessagesKeepAliveTest {

  private static String chunk(JsonObject delta, String finish) {
    return "data: " + new JsonObject().put("id", "chatcmpl-quiet").put("object", "chat.completion.chunk").put("created", 1)
        .put("model", "m").put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
            .put("finish_reason", finish))).encode() + "\n\n";
  }

  @Test
  void should_ping_a_client_while_the_provider_is_silent_mid_stream() {
    try (ScriptedUpstream upstream = ScriptedUpstream.start(request -> request.body().onSuccess(body -> {
      ScriptedUpstream.beginStream(request);
      request.response().write(chunk(new JsonObject().put("role", "assistant").put("content", "Thinking"), null));
      Vertx.currentContext().owner().setTimer(15_000, id -> request.response()
          .end(chunk(new JsonObject().put("content", " done."), "stop") + "data: [DONE]\n\n"));
    }));
         TestProxy proxy = TestProxy.start("""
             [providers.quiet]
             base_url = "%s"
             timeout_s = 60

             [models."quiet/model"]
             provider = "quiet"
             model = "m"
             """.formatted(upstream.baseUrl()))) {
      String body = new JsonObject().put("model", "quiet/model").put("max_tokens", 50).put("stream", true)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Think."))).encode();
      HttpResponse<String> response = MessagesClient.post(proxy, body, TestProxy.newSession());

      assertEquals(200, response.statusCode(), response.body());
      StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(response.body());
      assertEquals("Thinking done.", result.text());
      List<String> events = StrictAnthropicStreamChecker.frames(response.body()).stream().map(Frame::event).toList();
      int first = events.indexOf("content_block_delta");
      int second = events.lastIndexOf("content_block_delta");
      assertTrue(events.subList(first, second).contains("ping"), events.toString());
    }
  }
}
