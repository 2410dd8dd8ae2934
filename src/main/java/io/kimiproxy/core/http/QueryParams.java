package io.kimiproxy.core.http;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reading query parameters, with a 400 in OpenAI's shape for a bad value. */
public final class QueryParams {
  private QueryParams() {}

  /** A time as epoch milliseconds, an ISO instant (2026-11-21T10:00:00Z) or a date (UTC midnight). */
  public static long time(RoutingContext ctx, String name, long fallback) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      if (value.chars().allMatch(Character::isDigit)) return Long.parseLong(value);
      if (value.length() == 10) return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw ProxyError.invalidRequest("'" + name + "' must be epoch milliseconds, an ISO date or an ISO instant; got '" + value + "'.", name);
    }
  }

  public static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ProxyError.invalidRequest("'" + name + "' must be an integer from " + min + " to " + max + ".", name);
    }
  }
}
