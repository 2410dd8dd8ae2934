package io.kimiproxy.proxy.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Incremental parser of a text/event-stream body. Buffers arrive cut anywhere (inside a line, inside
 * a UTF-8 sequence, between {@code \r} and {@code \n}); lines are decoded only once whole, and an
 * event is dispatched at each blank line. Comment lines ({@code : keep-alive}) are skipped.
 */
public final class SseParser {
  private final Handler<SseEvent> handler;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private String event;
  private boolean hasData;
  private boolean lastWasCr;

  public SseParser(Handler<SseEvent> handler) {
    this.handler = handler;
  }

  public void feed(Buffer buffer) {
    byte[] bytes = buffer.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n' && lastWasCr) {
        // second half of a \r\n whose \r ended the line already
        lastWasCr = false;
        start = i + 1;
        continue;
      }
      lastWasCr = false;
      if (b == '\n' || b == '\r') {
        line.write(bytes, start, i - start);
        lastWasCr = b == '\r';
        endLine();
        start = i + 1;
      }
    }
    line.write(bytes, start, bytes.length - start);
  }

  /** The body ended: an event not closed by a blank line still counts. */
  public void end() {
    if (line.size() > 0) endLine();
    dispatch();
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') return;
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    switch (field) {
      case "data" -> {
        if (hasData) data.append('\n');
        data.append(value);
        hasData = true;
      }
      case "event" -> event = value;
      default -> { } // id and retry mean nothing to a proxy relaying one response
    }
  }

  private void dispatch() {
    if (hasData) {
      handler.handle(new SseEvent(event, data.toString()));
    }
    data.setLength(0);
    hasData = false;
    event = null;
  }
}
