package io.kimiproxy.core.json;

/** Where a JSON value lies in a document's bytes: {@code [start, end)}. */
public record Span(int start, int end) {
  public int length() {
    return end - start;
  }
}
