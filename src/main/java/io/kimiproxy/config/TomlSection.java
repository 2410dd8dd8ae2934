package io.kimiproxy.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * A strict reader over one TOML table: every read names its key, wrong types fail with the key's
 * full path, and {@link #finish()} rejects keys nobody read (a typo must not be silently ignored).
 */
final class TomlSection {
  private final String file;
  private final String path;
  private final TomlTable table;
  private final UnaryOperator<String> expand;
  private final Set<String> read = new HashSet<>();

  TomlSection(String file, String path, TomlTable table, UnaryOperator<String> expand) {
    this.file = file;
    this.path = path;
    this.table = table;
    this.expand = expand;
  }

  String path() {
    return path;
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(file, key == null ? path : keyPath(key), problem);
  }

  boolean has(String key) {
    return table != null && table.get(List.of(key)) != null;
  }

  String string(String key, String fallback) {
    Object value = raw(key);
    if (value == null) return fallback;
    if (!(value instanceof String s)) throw error(key, "expected a string, found " + describe(value));
    return expand.apply(s);
  }

  /** The string as written, before ${VAR} expansion (to learn which variable a key comes from). */
  String rawString(String key) {
    return table != null && table.get(List.of(key)) instanceof String s ? s : null;
  }

  String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isBlank()) throw error(key, "is required");
    return value;
  }

  long integer(String key, long fallback, long min, long max) {
    Object value = raw(key);
    if (value == null) return fallback;
    if (!(value instanceof Long n)) throw error(key, "expected an integer, found " + describe(value));
    if (n < min || n > max) throw error(key, n + " is out of range [" + min + ", " + max + "]");
    return n;
  }

  double decimal(String key, double fallback, double min) {
    Object value = raw(key);
    if (value == null) return fallback;
    if (!(value instanceof Number n)) throw error(key, "expected a number, found " + describe(value));
    if (n.doubleValue() < min) throw error(key, n + " must be at least " + min);
    return n.doubleValue();
  }

  boolean bool(String key, boolean fallback) {
    Object value = raw(key);
    if (value == null) return fallback;
    if (!(value instanceof Boolean b)) throw error(key, "expected true or false, found " + describe(value));
    return b;
  }

  List<String> strings(String key) {
    Object value = raw(key);
    if (value == null) return List.of();
    if (!(value instanceof TomlArray array)) throw error(key, "expected an array of strings, found " + describe(value));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.get(i) instanceof String s)) throw error(key, "expected an array of strings");
      out.add(expand.apply(s));
    }
    return out;
  }

  Map<String, String> stringMap(String key) {
    TomlSection sub = section(key);
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : sub.keys()) {
      out.put(k, sub.string(k, ""));
    }
    sub.finish();
    return out;
  }

  /**
   * A table of free-form values (an agent's request parameters) as plain Java values: String
   * (expanded), Long, Double, Boolean, List and Map. Missing reads as empty.
   */
  Map<String, Object> values(String key) {
    Object value = raw(key);
    if (value == null) return Map.of();
    if (!(value instanceof TomlTable t)) throw error(key, "expected a table, found " + describe(value));
    return plainTable(key, t);
  }

  private Map<String, Object> plainTable(String key, TomlTable t) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : t.keySet()) {
      out.put(k, plain(key, t.get(List.of(k))));
    }
    return Collections.unmodifiableMap(out);
  }

  private Object plain(String key, Object value) {
    if (value instanceof String s) return expand.apply(s);
    if (value instanceof Long || value instanceof Double || value instanceof Boolean) return value;
    if (value instanceof TomlTable t) return plainTable(key, t);
    if (value instanceof TomlArray a) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) out.add(plain(key, a.get(i)));
      return Collections.unmodifiableList(out);
    }
    throw error(key, "holds " + describe(value) + ": only strings, numbers, booleans, arrays and tables are allowed");
  }

  /** A nested table (missing reads as empty). */
  TomlSection section(String key) {
    Object value = raw(key);
    if (value != null && !(value instanceof TomlTable)) throw error(key, "expected a table, found " + describe(value));
    return new TomlSection(file, keyPath(key), (TomlTable) value, expand);
  }

  /** Keys of this table, in file order; reading them through this list marks them as read. */
  List<String> keys() {
    if (table == null) return List.of();
    return new ArrayList<>(table.keySet());
  }

  void finish() {
    if (table == null) return;
    for (String key : table.keySet()) {
      if (!read.contains(key)) throw error(key, "unknown key");
    }
  }

  private Object raw(String key) {
    read.add(key);
    return table == null ? null : table.get(List.of(key));
  }

  private String keyPath(String key) {
    String quoted = key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    return path.isEmpty() ? quoted : path + "." + quoted;
  }

  private static String describe(Object value) {
    if (value instanceof String) return "a string";
    if (value instanceof Long) return "an integer";
    if (value instanceof Double) return "a number";
    if (value instanceof Boolean) return "a boolean";
    if (value instanceof TomlArray) return "an array";
    if (value instanceof TomlTable) return "a table";
    return value.getClass().getSimpleName();
  }
}
