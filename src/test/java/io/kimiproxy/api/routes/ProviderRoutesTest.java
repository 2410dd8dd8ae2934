package io.kimiproxy.api.routes;

import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderRoutesTest {

  @Test
  void should_list_every_provider_with_its_state_and_never_its_key() {
    try (TestProxy proxy = TestProxy.start("""
        [providers.keyed]
        base_url = "{{UPSTREAM}}/keyed/v1"
        api_key = "${TEST_KEY}"

        [providers.missing]
        type = "openai"
        base_url = "https://api.groq.com/openai/v1"
        api_key = "${GROQ_API_KEY}"

        [providers.local]
        base_url = "http://127.0.0.1:11434/v1"

        [models."keyed/a"]
        provider = "keyed"
        model = "a"

        [models."keyed/b"]
        provider = "keyed"
        model = "b"
        """)) {
      sequence(proxy.upstream(), "/keyed/v1/chat/completions", ok());
      assertEquals(200, proxy.chat("keyed/a", false, "s-providers").statusCode());

      HttpResponse<String> response = proxy.get("/api/providers");
      assertEquals(200, response.statusCode());
      assertFalse(response.body().contains(TestProxy.KEY), "the key must never leave the proxy");
      JsonObject body = new JsonObject(response.body());
      assertEquals("list", body.getString("object"));
      Map<String, JsonObject> byName = new HashMap<>();
      body.getJsonArray("data").forEach(p -> byName.put(((JsonObject) p).getString("name"), (JsonObject) p));
      assertEquals(List.of("keyed", "missing", "local"),
          body.getJsonArray("data").stream().map(p -> ((JsonObject) p).getString("name")).toList());

      JsonObject keyed = byName.get("keyed");
      assertEquals("openai", keyed.getString("type"));
      assertTrue(keyed.getBoolean("configured"));
      assertEquals("TEST_KEY", keyed.getString("key_env"));
      assertEquals("closed", keyed.getString("breaker"));
      assertEquals(new JsonArray().add("keyed/a").add("keyed/b"), keyed.getJsonArray("models"));
      assertEquals(1, keyed.getLong("requests"));
      assertNotNull(keyed.getLong("latency_p50_ms"));
      assertNotNull(keyed.getLong("latency_p95_ms"));
      assertEquals(0.0, keyed.getDouble("error_rate"));

      JsonObject missing = byName.get("missing");
      assertFalse(missing.getBoolean("configured"));
      assertEquals("GROQ_API_KEY", missing.getString("key_env"));
      assertEquals("https://api.groq.com/openai/v1", missing.getString("base_url"));
      assertNull(missing.getValue("latency_p50_ms"));
      assertEquals(0, missing.getLong("requests"));

      JsonObject local = byName.get("local");
      assertTrue(local.getBoolean("configured"), "a provider without api_key needs none");
      assertTrue(local.containsKey("key_env") && local.getValue("key_env") == null);
    }
  }

  @Test
  void should_show_base_urls_without_user_info_or_query() {
    assertEquals("https://host.example:8443/v1",
        ProviderRoutes.publicUrl(URI.create("https://user:secret@host.example:8443/v1?key=abc")));
  }
}
