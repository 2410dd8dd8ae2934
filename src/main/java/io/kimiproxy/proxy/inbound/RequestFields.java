package io.kimiproxy.proxy.inbound;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonSyntaxException;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the small top-level fields of an indexed request body, each checked for its type and
 * range: a wrong one is a 400 naming the field, never a provider's surprise or an overflow.
 */
public final class RequestFields {
  /** No model writes more tokens than this in one answer; anything larger is a client bug, not a limit. */
  public static final long MAX_OUTPUT_TOKENS = 100_000_000L;
  private static final int MAX_CHOICES = 128;

  private final JsonIndex index;

  public RequestFields(JsonIndex index) {
    this.index = index;
  }

  /** The body validated and indexed; empty or malformed is a 400 saying so. */
  public static JsonIndex index(byte[] bytes) {
    if (bytes.length == 0) {
      throw ProxyError.invalidRequest("Request body is empty: send a JSON object with 'model' and 'messages'.", null);
    }
    try {
      return JsonIndex.ofObject(bytes);
    } catch (JsonSyntaxException e) {
      throw ProxyError.invalidRequest("Request body is not valid JSON: " + e.getMessage() + ".", null);
    }
  }

  public boolean has(String name) {
    return index.field(name) != null;
  }

  public Object value(String name) {
    Span span = index.field(name);
    return span == null ? null : JsonValues.decode(index.bytes(), span);
  }

  public String string(String name, boolean required) {
    Object value = value(name);
    if (value == null && !required) return null;
    if (!(value instanceof String s) || (required && s.isBlank())) {
      throw ProxyError.invalidRequest("'" + name + "' " + (required ? "is required and " : "")
          + "must be a non-empty string.", name);
    }
    return s;
  }

  public Boolean bool(String name) {
    Object value = value(name);
    if (value == null) return null;
    if (!(value instanceof Boolean b)) throw ProxyError.invalidRequest("'" + name + "' must be a boolean.", name);
    return b;
  }

  public Double number(String name) {
    Object value = value(name);
    if (value == null) return null;
    if (!(value instanceof Number n)) throw ProxyError.invalidRequest("'" + name + "' must be a number.", name);
    return n.doubleValue();
  }

  /** An integer from {@code min} to {@code max}; a decimal, a string or 1e30 is a 400. */
  public Long integer(String name, long min, long max) {
    Object value = value(name);
    if (value == null) return null;
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && d >= min && d <= max) return (long) d;
    }
    throw ProxyError.invalidRequest("'" + name + "' must be an integer from " + min + " to " + max + ".", name);
  }

  /** The answer's token limit, under whichever name the API gives it. */
  public Long maxTokens(String... names) {
    for (String name : names) {
      Long limit = integer(name, 1, MAX_OUTPUT_TOKENS);
      if (limit != null) return limit;
    }
    return null;
  }

  public Integer choices(String name) {
    Long n = integer(name, 1, MAX_CHOICES);
    return n == null ? null : n.intValue();
  }

  public JsonObject object(String name) {
    Object value = value(name);
    if (value == null) return null;
    if (!(value instanceof JsonObject o)) throw ProxyError.invalidRequest("'" + name + "' must be an object.", name);
    return o;
  }

  /** A stop value: a string or an array of strings. */
  public List<String> strings(String name) {
    Object value = value(name);
    List<String> out = new ArrayList<>();
    if (value == null) return out;
    if (value instanceof String s) {
      out.add(s);
      return out;
    }
    if (value instanceof JsonArray list) {
      for (Object item : list) {
        if (!(item instanceof String s)) break;
        out.add(s);
      }
      if (out.size() == list.size()) return out;
    }
    throw ProxyError.invalidRequest("'" + name + "' must be a string or an array of strings.", name);
  }
}
