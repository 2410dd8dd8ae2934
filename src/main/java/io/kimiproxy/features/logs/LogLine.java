package io.kimiproxy.features.logs;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One structured log line: an event name and its fields, in order. Its text is
 * {@code event key=value ...} (a value with spaces, quotes or '=' is quoted); the JSON format writes
 * the fields as they are. Fields are identifiers and numbers: never prompt text, never a key.
 */
public final class LogLine {
  private final String event;
  private final Map<String, Object> fields = new LinkedHashMap<>();

  private LogLine(String event) {
    this.event = event;
  }

  public static LogLine of(String event) {
    return new LogLine(event);
  }

  /** Adds a field; a null value is written as {@code -} in text and {@code null} in JSON. */
  public LogLine with(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  public String event() {
    return event;
  }

  public String text() {
    StringBuilder out = new StringBuilder(event);
    fields.forEach((name, value) -> out.append(' ').append(name).append('=').append(textValue(value)));
    return out.toString();
  }

  public JsonObject json() {
    JsonObject json = new JsonObject().put("event", event);
    fields.forEach(json::put);
    return json;
  }

  /** A record for java.util.logging whose message is the text; the JSON formatter reads the fields. */
  public LogRecord record(Level level, String logger) {
    Record record = new Record(level, this);
    record.setLoggerName(logger);
    return record;
  }

  private static String textValue(Object value) {
    if (value == null) return "-";
    String text = value.toString();
    boolean plain = !text.isEmpty();
    for (int i = 0; i < text.length() && plain; i++) {
      char c = text.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c != '\\';
    }
    if (plain) return text;
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') quoted.append('\\').append(c);
      else if (c < ' ') quoted.append(' ');
      else quoted.append(c);
    }
    return quoted.append('"').toString();
  }

  /** The record of a structured line. */
  static final class Record extends LogRecord {
    private static final long serialVersionUID = 1L;
    private final transient LogLine line;

    Record(Level level, LogLine line) {
      super(level, line.text());
      this.line = line;
    }

    LogLine line() {
      return line;
    }
  }
}
