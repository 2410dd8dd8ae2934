package io.kimiproxy.features.logs;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes log lines to the console and the rotated log file on a thread of its own: a line is
 * formatted by whoever logs it (cheap) and queued, so an event loop never waits on a disk or a
 * terminal. The queue is bounded: when the writer falls that far behind, new lines are dropped
 * and counted, and the count is written once it catches up.
 */
final class AsyncLogHandler extends Handler {
  private static final int QUEUE = 10_000;
  private static final String STOP = new String("stop");

  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final PrintStream console;
  private final RotatingFile file;
  private final Thread writer;
  private volatile boolean closed;

  /** @param console where lines also go (the terminal of a proxy in the foreground), or null */
  AsyncLogHandler(PrintStream console, RotatingFile file) {
    this.console = console;
    this.file = file;
    this.writer = new Thread(this::drain, "kimi-proxy-log-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void publish(LogRecord record) {
    if (closed || !isLoggable(record)) return;
    String line;
    try {
      line = getFormatter().format(record);
    } catch (RuntimeException e) {
      reportError("a log line could not be formatted", e, ErrorManager.FORMAT_FAILURE);
      return;
    }
    if (!lines.offer(line)) dropped.incrementAndGet();
  }

  @Override
  public void flush() {
    // The writer flushes whenever its queue runs empty.
  }

  /** Writes what is queued, then stops the writer (bounded: a stuck disk does not hold up the exit). */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      lines.put(STOP);
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    List<String> batch = new ArrayList<>();
    long reported = 0;
    try {
      while (true) {
        String first = lines.poll(1, TimeUnit.SECONDS);
        if (first == null) continue;
        batch.add(first);
        lines.drainTo(batch);
        long lost = dropped.get();
        if (lost > reported) {
          batch.add(0, "log writer: " + (lost - reported) + " line(s) dropped while it was behind" + System.lineSeparator());
          reported = lost;
        }
        boolean stop = false;
        for (String line : batch) {
          if (line == STOP) {
            stop = true;
            break;
          }
          write(line);
        }
        batch.clear();
        flushSinks();
        if (stop) break;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        if (file != null) file.close();
      } catch (IOException e) {
        reportError("the log file could not be closed", e, ErrorManager.CLOSE_FAILURE);
      }
    }
  }

  private void write(String line) {
    if (console != null) console.print(line);
    if (file == null) return;
    try {
      file.write(line);
    } catch (IOException e) {
      reportError("a log line could not be written", e, ErrorManager.WRITE_FAILURE);
    }
  }

  private void flushSinks() {
    if (console != null) console.flush();
    if (file == null) return;
    try {
      file.flush();
    } catch (IOException e) {
      reportError("the log file could not be flushed", e, ErrorManager.FLUSH_FAILURE);
    }
  }
}
