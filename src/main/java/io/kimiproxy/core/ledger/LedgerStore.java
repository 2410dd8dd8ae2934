package io.kimiproxy.core.ledger;

import io.vertx.core.Future;
import java.util.List;

/**
 * The usage ledger's storage. Kept small and free of SQL dialect so that a server database can
 * take SQLite's place for teams without touching the features that read and write it.
 */
public interface LedgerStore {

  /** Appends rows and folds them into their sessions, atomically. */
  Future<Void> append(List<RequestRecord> rows);

  /** Sessions by most recent activity. */
  Future<List<SessionSummary>> sessions(int limit);

  /** One session, or null. */
  Future<SessionSummary> session(String id);

  /** Rows of a query in sequence order, after {@code afterSeq}. */
  Future<LedgerPage> requests(RequestQuery query, long afterSeq, int limit);

  /** Rows of a query, newest first. */
  Future<List<RequestRecord>> latestRequests(RequestQuery query, int limit);

  /** A request's own row and the rows of its earlier attempts, in the order they were recorded; empty when unknown. */
  Future<List<RequestRecord>> requestWithAttempts(String id);

  Future<List<UsageGroup>> usage(long fromMs, long toMs, UsageGrouping grouping);

  /** Usage per group and per bucket of {@code bucketMs} (aligned on the epoch), in time order. */
  Future<List<UsagePoint>> timeline(long fromMs, long toMs, long bucketMs, UsageGrouping grouping);

  /** Savings of cache hits, per client. */
  Future<List<CacheSaving>> cacheSavings();

  /**
   * Tokens and cost of the {@link RequestRecord#billed() billed} rows since {@code fromMs} in a scope:
   * "global", "provider:x", "model:x" or "client:key-n".
   */
  Future<Spending> spentSince(String scope, long fromMs);
}
