package io.kimiproxy.core.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decoding one indexed value with Vert.x's JSON (the span was validated strictly already, so
 * Jackson's leniencies never apply). Used for the small fields the pipeline reads and for a
 * message the first time it is seen, never for the whole body.
 */
public final class JsonValues {
  private JsonValues() {}

  /** The value at {@code span}: a String, Number, Boolean, JsonObject, JsonArray or null. */
  public static Object decode(byte[] bytes, Span span) {
    byte first = bytes[span.start()];
    if (first == '"') return JsonStrings.decode(bytes, span);
    if (first == 'n') return null;
    if (first == 't') return Boolean.TRUE;
    if (first == 'f') return Boolean.FALSE;
    if (first == '-' || (first >= '0' && first <= '9')) return number(bytes, span);
    return Json.decodeValue(Buffer.buffer(Arrays.copyOfRange(bytes, span.start(), span.end())));
  }

  /** A number as Jackson reads one: an Integer or Long when it has no fraction or exponent, else a Double. */
  private static Number number(byte[] bytes, Span span) {
    String text = new String(bytes, span.start(), span.length(), StandardCharsets.US_ASCII);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') return Double.valueOf(text);
    }
    if (text.length() > 18) return new BigInteger(text);
    long value = Long.parseLong(text);
    return value == (int) value ? Integer.valueOf((int) value) : Long.valueOf(value);
  }

  public static JsonObject object(byte[] bytes, Span span) {
    return decode(bytes, span) instanceof JsonObject o ? o : null;
  }

  public static JsonArray array(byte[] bytes, Span span) {
    return decode(bytes, span) instanceof JsonArray a ? a : null;
  }
}
