package io.kimiproxy.features.compaction;

import io.vertx.core.Future;

/** Writes a summary with a model; fails when it cannot (the caller falls back to an extractive one). */
public interface Summarizer {
  Future<String> summarize(String sessionId, String modelAlias, String transcript);
}
