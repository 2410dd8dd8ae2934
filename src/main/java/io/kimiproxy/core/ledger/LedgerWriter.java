package io.kimiproxy.core.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes ledger rows from the request path and writes them in batches, so a burst of requests
 * shares one transaction (one disk sync) instead of waiting on one each. Recording returns at
 * once; a failed write is logged and dropped, never reported to the user's request.
 */
public final class LedgerWriter {
  private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final LedgerStore store;
  private final long flushDelayMs;
  private final int maxQueued;
  private final ConcurrentLinkedQueue<RequestRecord> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger depth = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final List<Consumer<RequestRecord>> observers = new CopyOnWriteArrayList<>();
  private Future<Void> tail = Future.succeededFuture(); // guarded by this: writes run one after another
  private boolean flushScheduled; // guarded by this

  public LedgerWriter(Vertx vertx, LedgerStore store, long flushDelayMs, int maxQueued) {
    this.vertx = vertx;
    this.store = store;
    this.flushDelayMs = flushDelayMs;
    this.maxQueued = maxQueued;
  }

  public void record(RequestRecord row) {
    if (depth.get() >= maxQueued && queue.poll() != null) {
      // The database is far behind (or down): shed the oldest row rather than grow without bound.
      depth.decrementAndGet();
      if (dropped.incrementAndGet() % 1000 == 1) {
        LOG.warning("ledger queue full (" + maxQueued + " rows): dropping oldest rows, " + dropped.get() + " so far");
      }
    }
    queue.add(row);
    depth.incrementAndGet();
    scheduleFlush();
    for (Consumer<RequestRecord> observer : observers) {
      try {
        observer.accept(row);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "ledger observer failed; the row is recorded anyway", e);
      }
    }
  }

  /**
   * Hands every row recorded from now on to {@code observer} as well (metrics), so whatever records
   * a row (a request, a retry attempt, a summary call) is counted the same way. It runs on the
   * recording thread: it must be quick.
   */
  public void observe(Consumer<RequestRecord> observer) {
    observers.add(observer);
  }

  /** Writes everything recorded so far; completes when it is on disk (or its failure was logged). */
  public synchronized Future<Void> flush() {
    flushScheduled = false;
    tail = tail.transform(ignored -> writeQueued());
    return tail;
  }

  /** Rows waiting to be written: a gauge for the metrics. */
  public int depth() {
    return depth.get();
  }

  public long dropped() {
    return dropped.get();
  }

  private synchronized void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(flushDelayMs, id -> flush());
    }
  }

  private Future<Void> writeQueued() {
    List<RequestRecord> batch = new ArrayList<>();
    RequestRecord row;
    while (batch.size() < BATCH && (row = queue.poll()) != null) {
      batch.add(row);
    }
    if (batch.isEmpty()) return Future.succeededFuture();
    depth.addAndGet(-batch.size());
    return store.append(batch)
        .recover(e -> {
          LOG.log(Level.WARNING, "ledger write of " + batch.size() + " rows failed: " + e.getMessage());
          return Future.succeededFuture();
        })
        .compose(v -> queue.isEmpty() ? Future.succeededFuture() : writeQueued());
  }
}
