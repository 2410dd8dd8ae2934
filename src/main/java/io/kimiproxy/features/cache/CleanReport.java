package io.kimiproxy.features.cache;

import io.vertx.core.json.JsonObject;

/** What a clean-up removed, and why. */
public record CleanReport(int expired, int tooOld, int forSize, long bytesFreed, long bytesLeft, long entriesLeft) {
  public JsonObject toJson() {
    return new JsonObject().put("removed_expired", expired).put("removed_too_old", tooOld)
        .put("removed_for_size", forSize).put("bytes_freed", bytesFreed).put("bytes_left", bytesLeft)
        .put("entries_left", entriesLeft);
  }
}
