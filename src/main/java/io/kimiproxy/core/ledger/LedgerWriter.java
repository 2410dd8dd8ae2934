package io.kimiproxy.core.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes ledger rows from the request path and writes them in batches, so a burst of requests
 * shares one transaction (one disk sync) instead of waiting on one each. Recording returns at
 * once; a failed write is never reported to the user's request. When the database is unreachable
 * (a server restarting) the rows are held, in order, and written when it answers again, with a
 * growing pause between tries; only past {@code maxQueued} rows are the oldest dropped, and counted.
 * A write that fails for another reason would fail again: it is logged and dropped.
 */
public final class LedgerWriter {
  private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());
  private static final int BATCH = 500;
  private static final long FIRST_RETRY_MS = 250;
  private static final long LAST_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final LedgerStore store;
  private final Predicate<Throwable> unavailable;
  private final long flushDelayMs;
  private final int maxQueued;
  private final ConcurrentLinkedQueue<RequestRecord> queue = new ConcurrentLinkedQueue<>();
  /** Rows of writes that found the database unreachable, oldest first: written before the queue. */
  private final ArrayDeque<RequestRecord> held = new ArrayDeque<>(); // guarded by this
  private long retryDelayMs; // guarded by this: 0 while writes succeed
  private long retryAtNanos; // guarded by this
  private final AtomicInteger depth = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final List<Consumer<RequestRecord>> observers = new CopyOnWriteArrayList<>();
  private Future<Void> tail = Future.succeededFuture(); // guarded by this: writes run one after another
  private boolean flushScheduled; // guarded by this

  /** @param unavailable whether a failed write may succeed later as it is (see Storage#unavailable) */
  public LedgerWriter(Vertx vertx, LedgerStore store, Predicate<Throwable> unavailable, long flushDelayMs, int maxQueued) {
    this.vertx = vertx;
    this.store = store;
    this.unavailable = unavailable;
    this.flushDelayMs = flushDelayMs;
    this.maxQueued = maxQueued;
  }

  public void record(RequestRecord row) {
    if (depth.get() >= maxQueued && shedOldest()) {
      // The database is far behind (or down): shed the oldest row rather than grow without bound.
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

  /**
   * Writes everything recorded so far; completes when it is on disk, or its failure was logged, or
   * the database is unreachable (the rows are then held for the next try).
   */
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

  /** Rows held because the database could not be reached. */
  public synchronized int held() {
    return held.size();
  }

  private synchronized boolean shedOldest() {
    RequestRecord oldest = held.isEmpty() ? queue.poll() : held.pollFirst();
    if (oldest == null) return false;
    depth.decrementAndGet();
    return true;
  }

  private synchronized void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(flushDelayMs, id -> flush());
    }
  }

  private Future<Void> writeQueued() {
    List<RequestRecord> batch = nextBatch();
    if (batch.isEmpty()) return Future.succeededFuture();
    return store.append(batch).transform(written -> {
      if (written.succeeded()) {
        recovered();
      } else if (unavailable.test(written.cause())) {
        hold(batch, written.cause());
        return Future.succeededFuture();
      } else {
        LOG.log(Level.WARNING, "ledger write of " + batch.size() + " rows failed: " + written.cause().getMessage());
        dropped.addAndGet(batch.size());
      }
      return queue.isEmpty() ? Future.succeededFuture() : writeQueued();
    });
  }

  /** The held rows first, then the queue's; none while waiting for the next try at an unreachable database. */
  private synchronized List<RequestRecord> nextBatch() {
    List<RequestRecord> batch = new ArrayList<>();
    if (retryDelayMs > 0 && System.nanoTime() < retryAtNanos) return batch;
    while (batch.size() < BATCH && !held.isEmpty()) batch.add(held.pollFirst());
    RequestRecord row;
    while (batch.size() < BATCH && (row = queue.poll()) != null) batch.add(row);
    depth.addAndGet(-batch.size());
    return batch;
  }

  private synchronized void hold(List<RequestRecord> batch, Throwable cause) {
    for (int i = batch.size() - 1; i >= 0; i--) held.addFirst(batch.get(i));
    depth.addAndGet(batch.size());
    if (retryDelayMs == 0) {
      LOG.warning("the database is unreachable (" + cause.getMessage() + "): holding ledger rows until it answers");
    }
    retryDelayMs = retryDelayMs == 0 ? FIRST_RETRY_MS : Math.min(LAST_RETRY_MS, retryDelayMs * 2);
    retryAtNanos = System.nanoTime() + retryDelayMs * 1_000_000;
    vertx.setTimer(retryDelayMs, id -> flush());
  }

  private synchronized void recovered() {
    if (retryDelayMs > 0) LOG.info("the database answers again: writing the held ledger rows");
    retryDelayMs = 0;
  }
}
