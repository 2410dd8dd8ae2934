package io.kimiproxy.features.clients;

import io.kimiproxy.core.ledger.ClientTotals;
import io.kimiproxy.core.ledger.RequestRecord;

/** The running counts of one client (kind and key); every method is atomic. */
final class ClientState {
  private final String client;
  private final String key;
  private long inFlight;
  private long completed;
  private long failed;
  private long promptTokens;
  private long completionTokens;
  private double costUsd;
  private long lastSeenMs;
  private String task;

  ClientState(String client, String key) {
    this.client = client;
    this.key = key;
  }

  synchronized void history(ClientTotals totals) {
    completed += totals.requests() - totals.failed();
    failed += totals.failed();
    promptTokens += totals.promptTokens();
    completionTokens += totals.completionTokens();
    costUsd += totals.costUsd();
    lastSeenMs = Math.max(lastSeenMs, totals.lastSeenMs());
  }

  synchronized void arrived(long nowMs) {
    inFlight++;
    lastSeenMs = Math.max(lastSeenMs, nowMs);
  }

  synchronized void task(String preview) {
    task = preview;
  }

  synchronized void left(RequestRecord row, long nowMs) {
    inFlight = Math.max(0, inFlight - 1);
    if (row.failed()) failed++; else completed++;
    promptTokens += row.usage().promptTokens();
    completionTokens += row.usage().completionTokens();
    costUsd += row.costUsd();
    lastSeenMs = Math.max(lastSeenMs, nowMs);
  }

  synchronized ClientSnapshot snapshot(long nowMs, long idleAfterMs) {
    long finished = completed + failed;
    boolean active = inFlight > 0 || (lastSeenMs > 0 && nowMs - lastSeenMs < idleAfterMs);
    return new ClientSnapshot(client, key, active, inFlight, completed, failed,
        finished == 0 ? null : (double) completed / finished, promptTokens, completionTokens, costUsd,
        lastSeenMs > 0 ? lastSeenMs : null, task);
  }
}
