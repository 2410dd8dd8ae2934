package io.kimiproxy.core.shared;

/** A call to the team's Redis failed for want of Redis (down, unreachable, too slow). Stackless: it is data. */
public final class SharedStateUnavailable extends RuntimeException {
  public SharedStateUnavailable(String message) {
    super(message, null, false, false);
  }
}
