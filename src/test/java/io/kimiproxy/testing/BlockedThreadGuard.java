package io.kimiproxy.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which a Vert.x thread was reported blocked. Registered for every test
 * class (META-INF/services, autodetection in junit-platform.properties); it listens to Vert.x's
 * blocked-thread checker through its java.util.logging logger, and tests run one at a time, so a
 * warning belongs to the test running when it came (or to the class, if it came in beforeAll or
 * afterAll). {@link TestVertx} makes the checker strict. A thread caught loading a class is let
 * go (a first use of a class costs the JVM, once, whatever thread it happens on), and so is one
 * held over the limit only by garbage collections ({@link GcPauses}).
 */
public final class BlockedThreadGuard implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  /** The logger Vert.x's BlockedThreadChecker writes to. */
  private static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
  /** Enough to tell what blocked; later warnings of the same test are counted, not kept. */
  private static final int KEPT = 10;

  /** Held, so that java.util.logging does not drop the logger and the handler with it. */
  private static final Logger LOGGER = Logger.getLogger(CHECKER_LOGGER);
  private static final ConcurrentLinkedQueue<String> WARNINGS = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger DROPPED = new AtomicInteger();
  private static final Pattern BLOCKED = Pattern.compile("blocked for (\\d+) ms, time limit is (\\d+) ms");

  static {
    LOGGER.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        String message = String.valueOf(record.getMessage());
        if (!message.contains("has been blocked") || loadingClasses(record.getThrown()) || heldByCollector(message)) return;
        if (WARNINGS.size() >= KEPT) {
          DROPPED.incrementAndGet();
          return;
        }
        WARNINGS.add(message + (record.getThrown() == null ? "" : "\n" + stack(record.getThrown())));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Loading the class installs the handler; nothing else to do before the class runs.
  }

  @Override
  public void afterEach(ExtensionContext context) {
    failOnWarnings();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    failOnWarnings();
  }

  private static void failOnWarnings() {
    List<String> warnings = new ArrayList<>();
    for (String w = WARNINGS.poll(); w != null; w = WARNINGS.poll()) warnings.add(w);
    int dropped = DROPPED.getAndSet(0);
    if (warnings.isEmpty()) return;
    throw new AssertionError("A Vert.x thread was blocked during this test (" + (warnings.size() + dropped)
        + " warnings):\n" + String.join("\n\n", warnings));
  }

  /**
   * Whether the blocked thread was caught loading a class: the JVM's one-time cost of a first use
   * (the first HTTP server, WebSocket or module of the test run), not code that blocks.
   */
  private static boolean loadingClasses(Throwable thrown) {
    if (thrown == null) return false;
    for (StackTraceElement frame : thrown.getStackTrace()) {
      if (frame.getClassName().equals("java.lang.ClassLoader") && frame.getMethodName().equals("loadClass")) return true;
    }
    return false;
  }

  /**
   * Whether the time over the limit was spent in garbage collections that stopped the JVM: on a
   * loaded machine a pause can last most of a second, and it holds every thread, not the one
   * reported. The message reads "Thread X has been blocked for 560 ms, time limit is 500 ms".
   */
  private static boolean heldByCollector(String message) {
    Matcher m = BLOCKED.matcher(message);
    if (!m.find()) return false;
    long blocked = Long.parseLong(m.group(1));
    long limit = Long.parseLong(m.group(2));
    return blocked - GcPauses.pausedWithin(blocked + TestVertx.CHECK_INTERVAL_MS) <= limit;
  }

  private static String stack(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
