package io.kimiproxy.core.db;

import static io.kimiproxy.core.db.StorageUnderTest.chat;
import static io.kimiproxy.core.db.StorageUnderTest.row;
import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kimiproxy.core.ledger.ClientTotals;
import io.kimiproxy.core.ledger.LedgerPage;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.RequestQuery;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.ledger.SessionSummary;
import io.kimiproxy.core.ledger.Spending;
import io.kimiproxy.core.ledger.UsageGroup;
import io.kimiproxy.core.ledger.UsageGrouping;
import io.kimiproxy.core.ledger.UsagePoint;
import io.kimiproxy.core.model.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger's repository, the same on every engine. */
interface LedgerContract extends StorageUnderTest {
  long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z

  private LedgerStore ledger() {
    return storage().ledger();
  }

  @Test
  default void should_read_back_every_field_of_a_row() {
    RequestRecord answered = chat("a", "s1", T0 + 5, 100, 20, 0.0123456789);
    RequestRecord refused = row("b", null, "s1", T0 + 6, null, 429, new Usage(7, 0, 0, 0), 0, null, false);
    append(answered, refused);
    assertEquals(List.of(answered, refused), await(ledger().requests(RequestQuery.session("s1"), 0, 10)).rows());
  }

  @Test
  default void should_fold_requests_into_their_session_but_not_earlier_attempts() {
    append(chat("r1", "s1", T0 + 1_000, 100, 10, 0.5),
        row("r2.1", "r2", "s1", T0 + 1_500, "p", 503, Usage.ZERO, 0, "alice", false),
        chat("r2", "s1", T0 + 2_000, 300, 30, 0.25));
    SessionSummary s = await(ledger().session("s1"));
    assertEquals(2, s.requestCount());
    assertEquals(0, s.errorCount());
    assertEquals(400, s.promptTokensTotal());
    assertEquals(40, s.completionTokensTotal());
    assertEquals(0.75, s.costTotal(), 1e-9);
    assertEquals(T0 + 1_000, s.firstSeenMs());
    assertEquals(T0 + 2_000, s.lastSeenMs());
    assertEquals(300, s.lastPromptTokens());
    assertEquals(0.3, s.contextFill(), 1e-9);
    assertNull(await(ledger().session("nobody")));
  }

  @Test
  default void should_list_sessions_by_latest_activity() {
    append(chat("a", "old", T0, 1, 1, 0), chat("b", "new", T0 + 10, 1, 1, 0), chat("c", "mid", T0 + 5, 1, 1, 0));
    assertEquals(List.of("new", "mid"), await(ledger().sessions(2)).stream().map(SessionSummary::id).toList());
  }

  @Test
  default void should_page_rows_by_sequence_and_list_the_latest_first() {
    for (int i = 0; i < 5; i++) append(chat("r" + i, "s", T0 + i, 1, 1, 0));
    LedgerPage first = await(ledger().requests(RequestQuery.range(T0, T0 + 100), 0, 3));
    LedgerPage second = await(ledger().requests(RequestQuery.range(T0, T0 + 100), first.lastSeq(), 3));
    assertEquals(List.of("r0", "r1", "r2"), first.rows().stream().map(RequestRecord::id).toList());
    assertEquals(List.of("r3", "r4"), second.rows().stream().map(RequestRecord::id).toList());
    assertEquals(List.of("r4", "r3"), await(ledger().latestRequests(RequestQuery.range(T0, T0 + 100), 2))
        .stream().map(RequestRecord::id).toList());
  }

  @Test
  default void should_sum_usage_per_group_and_per_day() {
    append(chat("a", "s", T0 + 10, 100, 10, 1.5), chat("b", "s", T0 + DAY + 10, 50, 5, 2.25),
        row("c", null, "s", T0 + DAY + 20, "q", 500, new Usage(20, 0, 0, 0), 0, null, false));
    List<UsageGroup> days = await(ledger().usage(T0, T0 + 2 * DAY, UsageGrouping.DAY));
    assertEquals(List.of("2025-01-01", "2025-01-02"), days.stream().map(UsageGroup::key).toList());
    assertEquals(2, days.get(1).requests());
    assertEquals(1, days.get(1).errors());
    assertEquals(70, days.get(1).promptTokens());
    List<UsageGroup> providers = await(ledger().usage(T0, T0 + 2 * DAY, UsageGrouping.PROVIDER));
    assertEquals(List.of("p", "q"), providers.stream().map(UsageGroup::key).toList());
    assertEquals(3.75, providers.get(0).costUsd(), 1e-9);
    assertEquals(120.0, providers.get(0).avgLatencyMs(), 1e-9);
  }

  @Test
  default void should_bucket_the_timeline() {
    append(chat("a", "s", T0 + 1_000, 10, 1, 0.1), chat("b", "s", T0 + 59_000, 20, 2, 0.2),
        chat("c", "s", T0 + 61_000, 40, 4, 0.4));
    List<UsagePoint> points = await(ledger().timeline(T0, T0 + 120_000, 60_000, UsageGrouping.MODEL));
    assertEquals(List.of(T0, T0 + 60_000), points.stream().map(UsagePoint::bucketStartMs).toList());
    assertEquals(30, points.get(0).promptTokens());
    assertEquals(2, points.get(0).requests());
  }

  @Test
  default void should_count_only_billed_rows_in_spending_of_a_scope() {
    append(chat("a", "s", T0 + 10, 100, 10, 1.0),
        row("b", null, "s", T0 + 20, "p", 429, new Usage(50, 0, 0, 0), 0, "alice", false),
        row("c", null, "s", T0 + 30, "p", 200, new Usage(30, 3, 0, 0), 0, "alice", true),
        row("d", null, "s", T0 + 40, "q", 200, new Usage(5, 5, 0, 0), 0.5, "bob", false));
    assertEquals(new Spending(120, 1.5), await(ledger().spentSince("global", T0)));
    assertEquals(new Spending(110, 1.0), await(ledger().spentSince("provider:p", T0)));
    assertEquals(new Spending(10, 0.5), await(ledger().spentSince("client:bob", T0)));
    assertEquals(new Spending(0, 0.0), await(ledger().spentSince("global", T0 + 50)));
  }

  @Test
  default void should_total_cache_savings_and_client_history() {
    append(row("a", null, "s", T0, "p", 200, new Usage(30, 3, 0, 0), 0, "alice", true),
        chat("b", "s", T0 + 1, 10, 1, 0.75),
        row("c", null, "s", T0 + 2, "p", 500, Usage.ZERO, 0, "alice", false));
    assertEquals(1, await(ledger().cacheSavings()).size());
    assertEquals(0.25, await(ledger().cacheSavings()).get(0).usd(), 1e-9);
    List<ClientTotals> totals = await(storage().clientHistory().clientTotals(T0 + 10));
    assertEquals(List.of(new ClientTotals("cline", 3, 1, 40, 4, 0.75, T0 + 2)), totals);
  }
}
