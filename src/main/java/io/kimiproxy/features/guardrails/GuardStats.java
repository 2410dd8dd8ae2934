package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/guardrails/stats}: decisions counted in total, by type and by session. */
final class GuardStats {
  private GuardStats() {}

  static JsonObject toJson(boolean enabled, List<GuardCount> counts) {
    JsonObject total = zero();
    JsonObject byType = new JsonObject();
    for (ToolCallType type : ToolCallType.values()) byType.put(type.name(), zero());
    Map<String, JsonObject> bySession = new LinkedHashMap<>();
    for (GuardCount c : counts) {
      add(total, c);
      add(byType.getJsonObject(c.type().name()), c);
      JsonObject session = bySession.computeIfAbsent(String.valueOf(c.sessionId()),
          id -> new JsonObject().put("session", c.sessionId()).put("last_ts", 0L).mergeIn(zero()));
      add(session, c);
      session.put("last_ts", Math.max(session.getLong("last_ts"), c.lastTimestampMs()));
    }
    JsonArray sessions = new JsonArray();
    bySession.values().stream().sorted(Comparator.comparingLong((JsonObject s) -> s.getLong("last_ts")).reversed())
        .forEach(sessions::add);
    return new JsonObject().put("enabled", enabled).put("total", total).put("by_type", byType).put("by_session", sessions);
  }

  private static JsonObject zero() {
    JsonObject counts = new JsonObject().put("total", 0L);
    for (GuardDecision d : GuardDecision.values()) counts.put(d.label(), 0L);
    return counts;
  }

  private static void add(JsonObject counts, GuardCount c) {
    counts.put(c.decision().label(), counts.getLong(c.decision().label()) + c.count());
    counts.put("total", counts.getLong("total") + c.count());
  }
}
