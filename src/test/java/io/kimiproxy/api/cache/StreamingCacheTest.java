package io.kimiproxy.api.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static io.kimiproxy.api.cache.CacheRequests.awaitEntries;
import static io.kimiproxy.api.cache.CacheRequests.body;
import static io.kimiproxy.api.cache.CacheRequests.chat;
import static io.kimiproxy.api.cache.CacheRequests.question;
import static io.kimiproxy.api.cache.CacheRequests.stats;
import static io.kimiproxy.api.cache.CacheRequests.status;
import static io.kimiproxy.api.cache.CacheRequests.streamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streamed answers through the cache: a hit replays as a stream a strict client accepts. */
class StreamingCacheTest {
  private static final String TEXT = "openai/chat-stream-text-include-usage.sse";
  private static final String TOOLS = "openai/chat-stream-parallel-tool-calls-include-usage.sse";

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(CacheRequests.CACHE_ON);

  private static int calls(TestProxy proxy) {
    return Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH);
  }

  /** Streams {@code body} and checks it as a strict client would. */
  private static StrictStreamChecker.Result stream(TestProxy proxy, JsonObject body, String expectedStatus) {
    HttpResponse<String> response = chat(proxy, body);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(expectedStatus, status(response));
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
        response.headers().map().toString());
    boolean usageAsked = body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
    return StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), usageAsked);
  }

  /** Asks once (a miss, kept) and once more (a hit), and returns both streams. */
  private static StrictStreamChecker.Result[] missThenHit(TestProxy proxy, String fixture, boolean usageFirst,
                                                          boolean usageSecond) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.sse(fixture)));
    String question = question();
    long entries = stats(proxy).getLong("entries");
    StrictStreamChecker.Result miss = stream(proxy, streamed(question, usageFirst), "miss");
    awaitEntries(proxy, entries + 1);
    StrictStreamChecker.Result hit = stream(proxy, streamed(question, usageSecond), "hit");
    assertEquals(1, calls(proxy), "a hit must not call the provider");
    return new StrictStreamChecker.Result[] {miss, hit};
  }

  @Test
  void should_replay_a_streamed_text_answer_as_the_same_stream_with_its_usage(TestProxy proxy) {
    StrictStreamChecker.Result[] streams = missThenHit(proxy, TEXT, true, true);

    assertFalse(streams[0].content().isEmpty());
    assertEquals(streams[0].content(), streams[1].content());
    assertEquals(streams[0].finishReasons(), streams[1].finishReasons());
    assertEquals(streams[0].usage().getLong("prompt_tokens"), streams[1].usage().getLong("prompt_tokens"));
    assertEquals(streams[0].usage().getLong("completion_tokens"), streams[1].usage().getLong("completion_tokens"));
  }

  @Test
  void should_replay_parallel_tool_calls_with_their_ids_and_arguments(TestProxy proxy) {
    StrictStreamChecker.Result[] streams = missThenHit(proxy, TOOLS, true, true);

    assertEquals(2, streams[0].toolCalls().size(), streams[0].toolCalls().toString());
    assertEquals(streams[0].toolCalls(), streams[1].toolCalls());
    assertEquals(streams[0].finishReasons(), streams[1].finishReasons());
  }

  @Test
  void should_send_usage_on_replay_to_a_client_that_asks_although_the_first_did_not(TestProxy proxy) {
    // The checker counts the usage chunks: none for the first client, exactly one for the second.
    StrictStreamChecker.Result[] streams = missThenHit(proxy, TEXT, false, true);

    assertEquals(streams[0].content(), streams[1].content());
    assertTrue(streams[1].usage().getLong("completion_tokens") > 0, streams[1].usage().encode());
  }

  @Test
  void should_not_send_usage_on_replay_to_a_client_that_does_not_ask(TestProxy proxy) {
    StrictStreamChecker.Result[] streams = missThenHit(proxy, TOOLS, true, false);

    assertEquals(streams[0].toolCalls(), streams[1].toolCalls());
  }

  @Test
  void should_keep_a_streamed_and_a_whole_answer_to_the_same_messages_apart(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().atPriority(1)
        .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))).willReturn(Stubs.sse(TEXT)));
    proxy.upstream().stubFor(Stubs.chat().atPriority(2).willReturn(Stubs.ok()));
    String question = question();
    long entries = stats(proxy).getLong("entries");
    stream(proxy, streamed(question, false), "miss");
    awaitEntries(proxy, entries + 1);

    HttpResponse<String> whole = chat(proxy, body(question, false, 0.0));
    assertEquals(200, whole.statusCode(), whole.body());
    assertEquals("miss", status(whole));
    assertEquals("chat.completion", new JsonObject(whole.body()).getString("object"));
    awaitEntries(proxy, entries + 2);
    HttpResponse<String> wholeAgain = chat(proxy, body(question, false, 0.0));
    StrictStreamChecker.Result streamAgain = stream(proxy, streamed(question, false), "hit");

    assertEquals("hit", status(wholeAgain));
    assertEquals(whole.body(), wholeAgain.body());
    assertFalse(streamAgain.content().isEmpty());
    assertEquals(2, calls(proxy));
  }
}
