package io.kimiproxy.api;

import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ledger's read API over a known set of requests: sessions, usage by group, exports. */
class LedgerApiTest {
  private static final String CSV_HEADER = "id,parent_id,attempt,kind,ts,session,client,model,provider,upstream_model,stream,"
      + "status,error_type,error_code,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,tokens_estimated,"
      + "cost_usd,latency_ms,ttfb_ms,client_key,cache_hit,saved_usd,api,queue_ms,masked,redacted,compaction_saved_tokens,"
      + "guard_flagged,guard_blocked";
  /** One answer of 18 prompt and 43 completion tokens at 2.0 / 4.0 USD per million. */
  private static final double COST = (18 * 2.0 + 43 * 4.0) / 1e6;

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  @BeforeAll
  static void record(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "groq/chat-nonstream-usage-timings.json")));
    chat(proxy, "Cline/3.17.0", "sess-a", "test/model", 200);
    chat(proxy, "Continue/1.2.0", "sess-b", "test/model", 200);
    chat(proxy, "OpenAI/JS 4.96.0", "sess-b", "test/other-model", 200);
    chat(proxy, "curl/8.5.0", "sess-c", "nope/model", 404);
  }

  @Test
  void should_sum_usage_by_model(TestProxy proxy) {
    Map<String, JsonObject> groups = usage(proxy, "model");
    assertEquals(Map.of("test/model", 2L, "test/other-model", 1L, "nope/model", 1L), count(groups, "requests"));
    assertEquals(36, groups.get("test/model").getLong("prompt_tokens"));
    assertEquals(86, groups.get("test/model").getLong("completion_tokens"));
    assertEquals(2 * COST, groups.get("test/model").getDouble("cost_usd"), 1e-12);
    assertEquals(0.0, groups.get("test/other-model").getDouble("cost_usd"), "provider/model has no prices");
    assertEquals(1, groups.get("nope/model").getLong("errors"));
  }

  @Test
  void should_sum_usage_by_provider_and_report_totals(TestProxy proxy) {
    JsonObject reply = new JsonObject(proxy.get("/api/usage?group_by=provider").body());
    Map<String, JsonObject> groups = byKey(reply);
    assertEquals(Map.of("test", 3L, "", 1L), count(groups, "requests"));
    assertEquals(3 * 18, groups.get("test").getLong("prompt_tokens"));
    JsonObject total = reply.getJsonObject("total");
    assertEquals(4, total.getLong("requests"));
    assertEquals(groups.values().stream().mapToLong(g -> g.getLong("prompt_tokens")).sum(), total.getLong("prompt_tokens"));
    assertEquals(3 * 43, total.getLong("completion_tokens"));
    assertEquals(2 * COST, total.getDouble("cost_usd"), 1e-12);
  }

  @Test
  void should_tell_clients_apart_by_user_agent(TestProxy proxy) {
    assertEquals(Map.of("cline", 1L, "continue", 1L, "openai-sdk", 1L, "other", 1L), count(usage(proxy, "client"), "requests"));
    assertEquals("cline", session(proxy, "sess-a").getString("client"));
    assertEquals("other", session(proxy, "sess-c").getString("client"));
  }

  @Test
  void should_sum_usage_by_utc_day(TestProxy proxy) {
    Map<String, Long> expected = export(proxy, "").stream().map(JsonObject.class::cast)
        .map(row -> Instant.ofEpochMilli(row.getLong("ts")).atOffset(ZoneOffset.UTC).toLocalDate().toString())
        .collect(Collectors.groupingBy(day -> day, TreeMap::new, Collectors.counting()));
    assertEquals(expected, count(usage(proxy, "day"), "requests"));
  }

  @Test
  void should_limit_usage_to_the_time_range(TestProxy proxy) {
    long future = System.currentTimeMillis() + 86_400_000L;
    assertEquals(Map.of(), usage(proxy, "model&from=" + future + "&to=" + (future + 1000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"group_by=week", "group_by=model&from=yesterday", "group_by=model&to=2026-13-45"})
  void should_reject_bad_usage_parameters_with_400(String query, TestProxy proxy) {
    assertError(proxy.get("/api/usage?" + query), 400, "invalid_request_error");
  }

  @Test
  void should_list_sessions_with_their_cumulative_usage(TestProxy proxy) {
    JsonArray data = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data");
    assertEquals(3, data.size());
    JsonObject b = session(proxy, "sess-b");
    assertEquals(2, b.getLong("request_count"));
    assertEquals(36, b.getLong("prompt_tokens"));
    assertEquals(86, b.getLong("completion_tokens"));
    assertEquals(COST, b.getDouble("cost_usd"), 1e-12);
    JsonArray rows = b.getJsonArray("requests");
    assertEquals(2, rows.size());
    assertEquals("test/other-model", rows.getJsonObject(0).getString("model"), "newest first");
    assertEquals(1, session(proxy, "sess-c").getLong("error_count"));
  }

  @Test
  void should_answer_404_for_an_unknown_session(TestProxy proxy) {
    assertEquals("session_not_found", assertError(proxy.get("/api/sessions/nope"), 404, "invalid_request_error").getString("code"));
  }

  @Test
  void should_export_one_session_as_csv(TestProxy proxy) {
    HttpResponse<String> response = proxy.get("/api/export/csv?session=sess-b");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
    assertTrue(response.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment"));
    String[] lines = response.body().split("\n");
    assertEquals(CSV_HEADER, lines[0]);
    assertEquals(3, lines.length, response.body());
    for (int i = 1; i < lines.length; i++) assertEquals("sess-b", lines[i].split(",", -1)[5], lines[i]);
  }

  @Test
  void should_export_one_session_as_json(TestProxy proxy) {
    JsonArray rows = export(proxy, "session=sess-b");
    assertEquals(2, rows.size());
    rows.forEach(row -> assertEquals("sess-b", ((JsonObject) row).getString("session")));
  }

  @Test
  void should_export_a_time_range(TestProxy proxy) {
    JsonArray all = export(proxy, "");
    assertEquals(4, all.size());
    long first = all.getJsonObject(0).getLong("ts");
    long last = all.getJsonObject(3).getLong("ts");
    assertEquals(4, export(proxy, "from=" + first + "&to=" + (last + 1)).size());
    assertEquals(0, export(proxy, "from=" + (last + 1)).size());
    assertEquals(0, export(proxy, "to=" + first).size());
    assertEquals(4, export(proxy, "from=2000-01-01").size());
    assertEquals(5, proxy.get("/api/export/csv?from=" + first).body().split("\n").length, "header and four rows");
  }

  @Test
  void should_reject_a_bad_export_range_with_400(TestProxy proxy) {
    assertError(proxy.get("/api/export/json?from=last-week"), 400, "invalid_request_error");
  }

  private static void chat(TestProxy proxy, String userAgent, String session, String model, int status) {
    HttpResponse<String> response = proxy.send(proxy.request("/v1/chat/completions")
        .header("User-Agent", userAgent).header("X-Session-Id", session)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false).replace("test/model", model))).build());
    assertEquals(status, response.statusCode(), response.body());
  }

  private static JsonObject session(TestProxy proxy, String id) {
    return new JsonObject(proxy.get("/api/sessions/" + id).body());
  }

  private static JsonArray export(TestProxy proxy, String query) {
    HttpResponse<String> response = proxy.get("/api/export/json?" + query);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonArray(response.body());
  }

  private static Map<String, JsonObject> usage(TestProxy proxy, String groupByAndRange) {
    HttpResponse<String> response = proxy.get("/api/usage?group_by=" + groupByAndRange);
    assertEquals(200, response.statusCode(), response.body());
    return byKey(new JsonObject(response.body()));
  }

  private static Map<String, JsonObject> byKey(JsonObject reply) {
    return reply.getJsonArray("data").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(g -> g.getString("key"), g -> g));
  }

  private static Map<String, Long> count(Map<String, JsonObject> groups, String field) {
    return groups.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getLong(field)));
  }
}
