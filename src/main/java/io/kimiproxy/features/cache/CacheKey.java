package io.kimiproxy.features.cache;

import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.util.ContentHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cache identity of a request: everything that shapes the answer (model, messages, tools,
 * parameters, streamed or not), in a canonical form so key order and transport details
 * (stream_options, user ids) do not split one question into several entries.
 */
public final class CacheKey {
  private static final Set<String> IGNORED = Set.of("stream_options", "user", "metadata", "store", "service_tier");

  private CacheKey() {}

  public static String of(ChatRequest request, String alias) {
    JsonObject body = request.body();
    TreeMap<String, Object> canonical = new TreeMap<>();
    for (Map.Entry<String, Object> e : body) {
      if (!IGNORED.contains(e.getKey())) canonical.put(e.getKey(), canonical(e.getValue()));
    }
    canonical.put("model", alias);
    canonical.put("stream", request.stream());
    return ContentHash.sha256Hex(new JsonObject(new java.util.LinkedHashMap<>(canonical)).encode());
  }

  /** A request whose answer is a function of its input: temperature 0 and a single choice. */
  public static boolean deterministic(ChatRequest request) {
    JsonObject body = request.body();
    boolean zeroTemperature = body.getValue("temperature") instanceof Number t && t.doubleValue() == 0.0;
    boolean oneChoice = !(body.getValue("n") instanceof Number n) || n.intValue() == 1;
    return zeroTemperature && oneChoice;
  }

  private static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      object.forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      return new JsonObject(new java.util.LinkedHashMap<>(sorted));
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(canonical(item)));
      return out;
    }
    // 0, 0.0 and 1e0 are one JSON number: a client that writes "temperature": 0.0 asks what one writing 0 does.
    if (value instanceof Number number) return new BigDecimal(number.toString()).stripTrailingZeros();
    return value;
  }
}
