package io.kimiproxy.features.importers;

import io.kimiproxy.config.ImporterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

/**
 * Follows Continue's core log and keeps, in memory, the token counts Continue reports for its LLM
 * calls: a second source beside the proxy's ledger. The log is the record, so nothing is stored:
 * after a restart the file is read again from its start. Reads run on worker threads, one poll
 * after another, the next one sooner while the log grows and later while it rests.
 */
public final class ContinueImporter {
  private static final Logger LOG = Logger.getLogger(ContinueImporter.class.getName());
  /** Bytes read per poll: a long backlog is read over several polls in a row, not in one go. */
  private static final int READ_BYTES = 4 << 20;
  private static final int RECENT = 200;

  public record Totals(long requests, long promptTokens, long completionTokens) {
    static final Totals ZERO = new Totals(0, 0, 0);

    Totals plus(ContinueEntry e) {
      return new Totals(requests + 1, promptTokens + e.promptTokens(), completionTokens + e.completionTokens());
    }
  }

  /**
   * What the log has said so far.
   *
   * @param file       what was at the path at the last look; null before the first (or when disabled)
   * @param sinceStart entries dated (by their line, or by when they were read) since {@code startedAtMs}
   * @param recent     the latest entries, newest first; {@code timestampMs} null for backlog lines without a date
   */
  public record Snapshot(ImporterConfig config, SourceFile.Kind file, long startedAtMs, Totals total, Totals sinceStart,
                         long lastContextLength, List<ContinueEntry> recent, long offset, long rotations,
                         long truncations, Long lastReadMs, String lastError) {}

  private record Batch(List<ContinueEntry> entries, SourceFile.Probe probe, boolean grew, boolean more,
                       long offset, long rotations, long truncations) {}

  private final Vertx vertx;
  private final ImporterConfig config;
  private final PollBackoff backoff;
  private final LogTail tail;
  private final ContinueLogParser parser = new ContinueLogParser();
  private final long startedAtMs = System.currentTimeMillis();
  // guarded by this
  private Totals total = Totals.ZERO;
  private Totals sinceStart = Totals.ZERO;
  private long lastContextLength;
  private final Deque<ContinueEntry> recent = new ArrayDeque<>();
  private SourceFile.Kind file; // null until the first look
  private long offset;
  private long rotations;
  private long truncations;
  private Long lastReadMs;
  private String lastError;
  private Future<?> running = Future.succeededFuture();
  private long timerId = -1;
  private boolean closed;

  public ContinueImporter(Vertx vertx, ImporterConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.backoff = new PollBackoff(config.pollMs(), config.maxPollMs());
    this.tail = new LogTail(config.path());
  }

  public void start() {
    if (config.enabled()) schedule(0);
  }

  public synchronized Snapshot snapshot(int limit) {
    List<ContinueEntry> latest = recent.stream().limit(limit).toList();
    return new Snapshot(config, file, startedAtMs, total, sinceStart, lastContextLength, latest, offset, rotations,
        truncations, lastReadMs, lastError);
  }

  public synchronized Future<Void> close() {
    closed = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    return running.transform(done -> vertx.executeBlocking(() -> {
      tail.close();
      return null;
    }, false)).mapEmpty();
  }

  private synchronized void schedule(long delayMs) {
    if (closed) return;
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> poll());
  }

  private void poll() {
    Future<Batch> read;
    synchronized (this) {
      if (closed) return;
      read = vertx.executeBlocking(this::read, false);
      running = read;
    }
    read.onComplete(done -> {
      Batch batch = done.succeeded() ? apply(done.result()) : failed(done.cause());
      schedule(batch != null && batch.more() ? 0 : backoff.next(batch != null && batch.grew()));
    });
  }

  /** On a worker: the new lines of the log, parsed. */
  private Batch read() throws IOException {
    LogTail.Read read = tail.poll(READ_BYTES);
    if (read.restarted()) parser.reset();
    long now = System.currentTimeMillis();
    List<ContinueEntry> entries = new ArrayList<>();
    for (String line : read.lines()) {
      ContinueEntry entry = parser.feed(line);
      if (entry == null) continue;
      // A line without a date was written when it was read, unless it was already there when following began.
      Long at = entry.timestampMs() != null ? entry.timestampMs() : read.backlog() ? null : now;
      entries.add(new ContinueEntry(at, entry.promptTokens(), entry.completionTokens(), entry.contextLength()));
    }
    return new Batch(entries, read.probe(), !read.lines().isEmpty(), read.more(), tail.offset(), tail.rotations(),
        tail.truncations());
  }

  private synchronized Batch apply(Batch batch) {
    file = batch.probe().kind();
    offset = batch.offset();
    rotations = batch.rotations();
    truncations = batch.truncations();
    lastError = batch.probe().ok() || file == SourceFile.Kind.MISSING ? null : batch.probe().problem(Long.MAX_VALUE);
    if (batch.grew()) lastReadMs = System.currentTimeMillis();
    for (ContinueEntry e : batch.entries()) {
      total = total.plus(e);
      if (e.timestampMs() != null && e.timestampMs() >= startedAtMs) sinceStart = sinceStart.plus(e);
      if (e.contextLength() > 0) lastContextLength = e.contextLength();
      recent.addFirst(e);
      if (recent.size() > RECENT) recent.removeLast();
    }
    return batch;
  }

  private synchronized Batch failed(Throwable e) {
    String message = "cannot read " + config.path() + " (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
    if (!message.equals(lastError)) LOG.warning("Continue log: " + message);
    lastError = message;
    return null;
  }
}
