package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.Timeouts;
import io.kimiproxy.config.WireType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.util.Secret;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GeminiAdapterTest {
  private static final String KEY = "AIzaSyTestKey0123456789abcdefghijkl";
  private final GeminiAdapter adapter = new GeminiAdapter();

  private static Route route(String model) {
    ProviderConfig provider = new ProviderConfig("gemini", WireType.GEMINI,
        URI.create("https://generativelanguage.googleapis.com/v1beta"), Secret.ofNullable(KEY), "GEMINI_API_KEY", false,
        new Timeouts(10_000, 180_000, 60_000, 180_000), 8, Map.of("X-Extra", "yes"));
    return new Route("gemini/x", new ModelConfig("gemini/x", "gemini", model, 0, 0, 0, 0, List.of()), provider);
  }

  private static ChatRequest request(boolean stream) {
    return Requests.chat(new JsonObject("""
        {"model":"gemini/x","stream":%s,"messages":[{"role":"user","content":"What is 5 times 3?"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"multiply","arguments":"{\\"x\\":5,\\"y\\":3}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"15"}]}""".formatted(stream)));
  }

  @Test
  void should_call_generate_content_with_the_key_in_a_header_only() {
    UpstreamCall call = adapter.toUpstream(request(false), route("gemini-2.5-flash"));
    assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", call.pathAndQuery());
    assertEquals(KEY, call.headers().get("x-goog-api-key"));
    assertNull(call.headers().get("Authorization"));
    assertEquals("yes", call.headers().get("X-Extra"));
    assertEquals("application/json", call.headers().get("Accept"));
    assertTrue(!call.stream() && !call.pathAndQuery().contains(KEY));
  }

  @Test
  void should_stream_through_alt_sse() {
    UpstreamCall call = adapter.toUpstream(request(true), route("models/gemini-2.5-pro"));
    assertEquals("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", call.pathAndQuery());
    assertEquals("text/event-stream", call.headers().get("Accept"));
    assertTrue(call.stream());
    assertEquals("/v1beta/tunedModels/my-model-1:generateContent",
        adapter.toUpstream(request(false), route("tunedModels/my-model-1")).pathAndQuery());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../files", "gemini-2.5-flash:generateContent?key=x", "models/../../x", "a/b/c", "-x", "gemini 2"})
  void should_refuse_a_model_name_that_would_change_the_path(String model) {
    ProxyError error = assertThrows(ProxyError.class, () -> adapter.toUpstream(request(false), route(model)));
    assertEquals(400, error.status());
  }

  @ParameterizedTest
  @CsvSource({
      "gemini-3-flash-preview, true",
      "models/gemini-3.1-pro-preview, true",
      "gemini-flash-latest, true",
      "gemini-2.5-flash, false",
      "gemini-2.0-flash-001, false",
      "gemini-1.5-pro, false",
      "gemma-3-27b-it, false",
  })
  void should_add_the_signature_placeholder_only_for_models_that_check_signatures(String model, boolean placeholder) {
    JsonObject body = adapter.toUpstream(request(false), route(model)).body().toJsonObject();
    JsonObject call = body.getJsonArray("contents").getJsonObject(1).getJsonArray("parts").getJsonObject(0);
    assertEquals(placeholder ? GeminiContents.SIGNATURE_PLACEHOLDER : null, call.getString("thoughtSignature"));
  }
}
