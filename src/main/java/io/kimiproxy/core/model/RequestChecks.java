package io.kimiproxy.core.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;

/**
 * The numbers of a Chat Completions body the proxy reads itself, checked before anything uses them:
 * a {@code max_tokens} of {@code 1e30} or {@code "many"} is the client's mistake, answered 400 in
 * OpenAI's words, not a number that overflows on its way to a window's arithmetic.
 */
public final class RequestChecks {
  /** OpenAI's own ceiling for {@code n}. */
  static final long MAX_CHOICES = 128;
  /** No model writes more: the largest context window the config accepts. */
  static final long MAX_OUTPUT_TOKENS = 100_000_000;

  private RequestChecks() {}

  /** @throws ProxyError 400 naming the parameter when one is out of place */
  public static void check(JsonObject body) {
    integer(body, "n", MAX_CHOICES);
    integer(body, "max_tokens", MAX_OUTPUT_TOKENS);
    integer(body, "max_completion_tokens", MAX_OUTPUT_TOKENS);
  }

  /** Absent or null, or an integer from 1 to max: JSON numbers with a fraction or an exponent are not. */
  private static void integer(JsonObject body, String name, long max) {
    Object value = body.getValue(name);
    if (value == null) return;
    boolean whole = value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    if (!whole || ((Number) value).doubleValue() < 1 || ((Number) value).doubleValue() > max) {
      throw ProxyError.invalidRequest("'" + name + "' must be an integer from 1 to " + max + "; got " + shown(value) + ".",
          name);
    }
  }

  /** A body that is not JSON, told by where the parser stopped: the parser's own message names its internals. */
  public static ProxyError notJson(DecodeException e) {
    String where = "";
    if (e.getCause() instanceof JsonProcessingException parse && parse.getLocation() != null) {
      JsonLocation at = parse.getLocation();
      where = " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return ProxyError.invalidRequest("Request body is not valid JSON" + where + ".", null);
  }

  private static String shown(Object value) {
    if (value instanceof Number || value instanceof Boolean) return value.toString();
    if (value instanceof String) return "a string";
    return value instanceof JsonObject ? "an object" : "an array";
  }
}
