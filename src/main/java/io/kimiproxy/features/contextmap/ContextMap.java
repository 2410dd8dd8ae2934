package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.ledger.SessionSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the tokens of a session's latest request went, as sent upstream. Only numbers and short
 * previews: a map never holds a whole prompt.
 *
 * @param reservedOutput tokens kept free for the answer
 * @param fill           prompt tokens over max_context (0 when the window is unknown)
 * @param phase          the session's phase after this request
 * @param memoryTokens   tokens in MCP memory blocks and memory-tool results; the rest is chat
 */
public record ContextMap(String session, String requestId, long timestampMs, String model, long maxContext,
                         long reservedOutput, long promptTokens, double fill, Phase phase,
                         long memoryTokens, List<ContextPart> parts) {

  public long chatTokens() {
    return Math.max(0, promptTokens - memoryTokens);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    parts.forEach(p -> list.add(p.toJson()));
    return new JsonObject()
        .put("session", session).put("request_id", requestId).put("ts", timestampMs).put("model", model)
        .put("max_context", maxContext).put("reserved_output", reservedOutput).put("prompt_tokens", promptTokens)
        .put("fill", fill).put("phase", phase.name())
        .put("memory", SessionSummary.memoryShare(memoryTokens, chatTokens()))
        .put("parts", list);
  }


  public static List<ContextPart> partsFromJson(JsonArray json) {
    List<ContextPart> out = new ArrayList<>(json.size());
    json.forEach(p -> out.add(ContextPart.fromJson((JsonObject) p)));
    return out;
  }
}
