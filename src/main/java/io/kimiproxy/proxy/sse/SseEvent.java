package io.kimiproxy.proxy.sse;

/**
 * One server-sent event: its {@code event:} name (null when absent) and its {@code data:} lines
 * joined by newlines.
 */
public record SseEvent(String event, String data) {
  public boolean isDone() {
    return "[DONE]".equals(data);
  }
}
