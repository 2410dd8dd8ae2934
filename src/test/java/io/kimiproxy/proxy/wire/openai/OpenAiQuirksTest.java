package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.routing.Route;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiQuirksTest {
  private static final ProxyConfig CONFIG = ConfigLoader.parse("""
      [providers.mistral]
      base_url = "https://api.mistral.ai/v1"
      [providers.codestral]
      base_url = "https://codestral.mistral.ai/v1"
      [providers.openai]
      base_url = "https://api.openai.com/v1"
      [providers.local]
      base_url = "http://127.0.0.1:8080/v1"
      stream_options = false
      [providers.mistral-proxy]
      base_url = "https://api.mistral.ai/v1"
      stream_options = true
      max_completion_tokens = true
      """, Path.of("config.toml"), Map.of());
  private static final String BODY = "{\"model\":\"m\",\"stream\":true,\"max_completion_tokens\":100,"
      + "\"stream_options\":{\"include_usage\":false},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static JsonObject sent(String provider, String body) {
    Route route = new ModelResolver(CONFIG).resolve(provider + "/model-x");
    return new OpenAiAdapter().toUpstream(Requests.chat(new JsonObject(body)), route).body().toJsonObject();
  }

  @Test
  void should_never_send_stream_options_or_max_completion_tokens_to_mistral() {
    for (String provider : new String[] {"mistral", "codestral"}) {
      JsonObject body = sent(provider, BODY);
      assertFalse(body.containsKey("stream_options"), provider + ": " + body);
      assertFalse(body.containsKey("max_completion_tokens"), provider + ": " + body);
      assertEquals(100, body.getInteger("max_tokens"), provider);
    }
  }

  @Test
  void should_keep_an_explicit_max_tokens_when_renaming() {
    JsonObject body = sent("mistral", BODY.replace("\"max_completion_tokens\":100,", "\"max_completion_tokens\":100,\"max_tokens\":7,"));
    assertEquals(7, body.getInteger("max_tokens"));
  }

  @Test
  void should_ask_openai_compatible_servers_for_usage() {
    JsonObject body = sent("openai", BODY);
    assertTrue(body.getJsonObject("stream_options").getBoolean("include_usage"));
    assertEquals(100, body.getInteger("max_completion_tokens"));
    assertNull(body.getValue("max_tokens"));
    assertEquals("model-x", body.getString("model"));
  }

  @Test
  void should_let_the_config_override_what_the_name_implies() {
    assertFalse(sent("local", BODY).containsKey("stream_options"));
    JsonObject overridden = sent("mistral-proxy", BODY);
    assertTrue(overridden.getJsonObject("stream_options").getBoolean("include_usage"));
    assertEquals(100, overridden.getInteger("max_completion_tokens"));
  }
}
