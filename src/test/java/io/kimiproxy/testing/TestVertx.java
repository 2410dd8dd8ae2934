package io.kimiproxy.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * Every Vert.x instance the tests create: Vert.x's blocked-thread checker warns, with the blocked
 * thread's stack, as soon as an event-loop task runs longer than {@link #MAX_EVENT_LOOP_MS}
 * (Vert.x's default is 2 s), and {@link BlockedThreadGuard} fails the test during which it did.
 */
public final class TestVertx {
  /**
   * A quarter of Vert.x's default. Honest event-loop tasks (first use of a class, a garbage
   * collection in the middle of encoding a megabyte) were measured at up to 450 ms on a shared
   * 2-core machine at load 13, so a tighter limit would fail tests for the machine's load; the
   * scans this guards against took seconds.
   */
  public static final long MAX_EVENT_LOOP_MS = 500;
  /** How often the checker looks: a warning comes at most this late. */
  static final long CHECK_INTERVAL_MS = 100;

  private TestVertx() {}

  public static Vertx create() {
    return Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(MAX_EVENT_LOOP_MS).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(CHECK_INTERVAL_MS).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
  }
}
