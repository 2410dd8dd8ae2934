package io.kimiproxy.core.db;

import io.vertx.sqlclient.Row;

/**
 * Numbers out of a row, whatever type the engine chose: SQLite's driver gives Integer or Long,
 * PostgreSQL gives Long, Double or an exact Numeric for sums. Null reads as 0.
 */
public final class Rows {
  private Rows() {}

  public static long num(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.longValue() : 0L;
  }

  public static double dbl(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.doubleValue() : 0.0;
  }

  /** The number, or null when the column is null. */
  public static Long nullableNum(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.longValue() : null;
  }
}
