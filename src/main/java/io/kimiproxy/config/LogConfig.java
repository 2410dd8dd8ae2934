package io.kimiproxy.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code [log]} section: what the proxy writes to its log and where.
 *
 * @param level    the least severe line written
 * @param json     one JSON object per line instead of readable text
 * @param file     the log file, or null for the console only
 * @param maxBytes the size at which the file is rotated
 * @param keep     rotated files kept beside it ({@code file.1} the newest)
 */
public record LogConfig(Level level, boolean json, Path file, long maxBytes, int keep) {

  /** Levels as the config names them, least severe first. */
  public enum Level {
    DEBUG, INFO, WARN, ERROR;

    public static Level parse(String name) {
      for (Level l : values()) {
        if (l.name().equalsIgnoreCase(name)) return l;
      }
      return null;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LogConfig withFile(Path newFile) {
    return new LogConfig(level, json, newFile, maxBytes, keep);
  }
}
