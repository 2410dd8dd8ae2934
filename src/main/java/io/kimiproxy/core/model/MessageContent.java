package io.kimiproxy.core.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reading a Chat Completions message's {@code content}: a string, or an array of typed parts. */
public final class MessageContent {
  private MessageContent() {}

  /** The text of a content value: the string itself, or its text parts joined by newlines; else empty. */
  public static String text(Object content) {
    if (content instanceof String s) return s;
    if (!(content instanceof JsonArray parts)) return "";
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
        if (out.length() > 0) out.append('\n');
        out.append(t);
      }
    }
    return out.toString();
  }
}
