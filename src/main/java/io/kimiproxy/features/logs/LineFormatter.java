package io.kimiproxy.features.logs;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The log's two formats. Text: {@code 2025-11-20 10:00:00.123 INFO    logger - message}, the
 * message of a structured line being {@code event key=value ...}. JSON: one object per line with
 * {@code ts} (ISO-8601, UTC), {@code level}, {@code logger}, then either a structured line's
 * {@code event} and fields or a plain line's {@code message}, and {@code error} with the stack trace
 * when there is one.
 */
public final class LineFormatter extends Formatter {
  private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneId.systemDefault());

  private final boolean json;

  public LineFormatter(boolean json) {
    this.json = json;
  }

  @Override
  public String format(LogRecord record) {
    String thrown = thrown(record);
    if (json) {
      JsonObject line = new JsonObject().put("ts", record.getInstant().toString()).put("level", label(record.getLevel()))
          .put("logger", record.getLoggerName());
      if (record instanceof LogLine.Record structured) line.mergeIn(structured.line().json());
      else line.put("message", formatMessage(record));
      if (thrown != null) line.put("error", thrown);
      return line.encode() + System.lineSeparator();
    }
    StringBuilder text = new StringBuilder(TEXT_TIME.format(record.getInstant())).append(' ')
        .append(String.format("%-7s", label(record.getLevel()))).append(' ')
        .append(record.getLoggerName()).append(" - ").append(formatMessage(record));
    if (thrown != null) text.append(System.lineSeparator()).append(thrown.stripTrailing());
    return text.append(System.lineSeparator()).toString();
  }

  /** The config's names for JUL's levels: what [log] level takes. */
  static String label(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) return "ERROR";
    if (value >= Level.WARNING.intValue()) return "WARN";
    if (value >= Level.INFO.intValue()) return "INFO";
    return "DEBUG";
  }

  private static String thrown(LogRecord record) {
    if (record.getThrown() == null) return null;
    StringWriter out = new StringWriter();
    record.getThrown().printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
