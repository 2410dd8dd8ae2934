package io.kimiproxy.testing;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collections that stopped every thread, remembered for a minute, so that
 * {@link BlockedThreadGuard} can tell an event loop held by code from one held by the collector.
 */
final class GcPauses {
  private static final long KEPT_MS = 60_000;

  /** End (ms since the JVM started) and duration of recent collections, oldest first. */
  private static final Deque<long[]> PAUSES = new ArrayDeque<>();

  static {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      // A concurrent collector's cycles run beside the application; only pauses stop it.
      if (!(gc instanceof NotificationEmitter emitter) || gc.getName().contains("Concurrent")) continue;
      emitter.addNotificationListener((notification, handback) -> {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
        record(info.getEndTime(), info.getDuration());
      }, null, null);
    }
  }

  private GcPauses() {}

  /** Milliseconds the collector stopped the JVM during the last {@code windowMs}. */
  static synchronized long pausedWithin(long windowMs) {
    long now = ManagementFactory.getRuntimeMXBean().getUptime();
    long total = 0;
    for (long[] pause : PAUSES) {
      if (pause[0] >= now - windowMs) total += pause[1];
    }
    return total;
  }

  static synchronized void record(long endMs, long durationMs) {
    PAUSES.addLast(new long[] {endMs, durationMs});
    while (!PAUSES.isEmpty() && PAUSES.peekFirst()[0] < endMs - KEPT_MS) PAUSES.removeFirst();
  }
}
