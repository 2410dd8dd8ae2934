package io.kimiproxy.core.json;

/** A body that is not strict JSON: what is wrong and where (line and column, 1-based). */
public final class JsonSyntaxException extends RuntimeException {
  public JsonSyntaxException(String message) {
    super(message, null, false, false);
  }
}
