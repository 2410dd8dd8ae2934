package io.kimiproxy.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for something another thread or process brings about, up to a deadline (never a fixed sleep). */
public final class Poll {
  private Poll() {}

  public static <T> T until(Duration deadline, Supplier<T> probe, Predicate<T> done, String what) {
    long end = System.nanoTime() + deadline.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > end) throw new AssertionError("gave up waiting for " + what + "; last seen: " + last);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
      last = probe.get();
    }
    return last;
  }
}
