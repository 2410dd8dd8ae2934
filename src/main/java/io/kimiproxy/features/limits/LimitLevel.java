package io.kimiproxy.features.limits;

import java.util.Locale;

/** How close a bucket is to its limit, for the API and the dashboard. */
public enum LimitLevel {
  NORMAL, ELEVATED, WARNING, CRITICAL;

  public static LimitLevel of(long used, long limit) {
    double share = limit <= 0 ? 0 : (double) used / limit;
    if (share >= 0.95) return CRITICAL;
    if (share >= 0.875) return WARNING;
    if (share >= 0.5) return ELEVATED;
    return NORMAL;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
