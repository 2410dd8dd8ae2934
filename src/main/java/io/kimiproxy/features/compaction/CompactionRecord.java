package io.kimiproxy.features.compaction;

import io.vertx.core.json.JsonObject;

/**
 * One compaction of a session's history: which of the client's messages it replaces, by what
 * summary, and what it saved. It is applied again to every later request whose history still
 * holds exactly those messages (same hash), so the provider sees the same prefix every turn.
 *
 * @param start        index of the first replaced message in the client's history
 * @param count        how many of the client's messages the summary stands for
 * @param replacedHash SHA-256 of those messages as the client sent them
 * @param trigger      auto, manual or overflow
 * @param summarySource model or extractive
 */
public record CompactionRecord(long id, String sessionId, long timestampMs, String trigger, int start, int count,
                               String replacedHash, String summary, String summarySource, String summaryModel,
                               long tokensBefore, long tokensAfter) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("ts", timestampMs).put("trigger", trigger)
        .put("first_message", start).put("replaced_messages", count)
        .put("tokens_before", tokensBefore).put("tokens_after", tokensAfter).put("saved", tokensBefore - tokensAfter)
        .put("summary_source", summarySource).put("summary_model", summaryModel)
        .put("summary_preview", summary.length() <= 200 ? summary : summary.substring(0, 200));
  }
}
