package io.kimiproxy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for something the proxy does in the background (a poll, a timer): reads until a check passes or a deadline does. */
public final class Eventually {
  private Eventually() {}

  /** The first value read that passes {@code check}; fails with the last value once {@code within} has passed. */
  public static <T> T await(Duration within, Supplier<T> read, Predicate<T> check, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      T value = read.get();
      if (check.test(value)) return value;
      if (System.nanoTime() > deadline) fail("timed out after " + within.toMillis() + " ms waiting for " + what + "; last seen: " + value);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
  }
}
