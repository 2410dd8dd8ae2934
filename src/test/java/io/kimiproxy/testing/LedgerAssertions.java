package io.kimiproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Checks on the ledger rows of one request and its attempts. */
public final class LedgerAssertions {
  private LedgerAssertions() {}

  /**
   * The rows are the earlier attempts, each linked to the request and numbered from 1, then the
   * request's own row, last, numbered with the total, with the final status.
   *
   * @param statuses the status of each attempt, in order; the last is the request's
   * @return the request's own row
   */
  public static JsonObject assertAttempts(List<JsonObject> rows, int... statuses) {
    assertEquals(statuses.length, rows.size(), "ledger rows: " + rows);
    JsonObject request = rows.get(rows.size() - 1);
    assertNull(request.getValue("parent_id"), "the request's own row comes last: " + rows);
    assertEquals(statuses.length, request.getInteger("attempt"), "attempts on the request's row: " + rows);
    assertEquals(statuses[statuses.length - 1], request.getInteger("status"), "final status: " + rows);
    for (int i = 0; i < statuses.length - 1; i++) {
      JsonObject attempt = rows.get(i);
      assertEquals(request.getString("id"), attempt.getString("parent_id"), "attempt " + (i + 1) + ": " + attempt);
      assertEquals(i + 1, attempt.getInteger("attempt"), "attempt number: " + attempt);
      assertEquals(statuses[i], attempt.getInteger("status"), "attempt " + (i + 1) + " status: " + attempt);
      assertEquals(0, attempt.getInteger("prompt_tokens") + attempt.getInteger("completion_tokens"),
          "a failed attempt uses no tokens: " + attempt);
    }
    return request;
  }
}
