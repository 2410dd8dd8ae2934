package io.kimiproxy.features.agents;

import java.util.Locale;

/** Where an agent run is: waiting for a slot, calling its model, or one of the four endings. */
public enum RunStatus {
  QUEUED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, INTERRUPTED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean finished() {
    return this != QUEUED && this != RUNNING;
  }

  public static RunStatus parse(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
