package io.kimiproxy.core.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON object, validated in one linear pass over its bytes, with the places of its
 * top-level fields and of the elements of its top-level arrays. Nothing is decoded: a request of
 * a megabyte costs one scan, and the pipeline decodes only the fields and messages it reads, then
 * splices the unchanged bytes upstream as they came.
 *
 * <p>Strict means RFC 8259 and nothing more: no comments, no trailing commas, no single quotes,
 * no NaN, no leading zeros, no control characters in strings, valid escapes, valid UTF-8. Nesting
 * is bounded, and the scan uses an explicit stack, so no input can overflow the thread's stack.
 */
public final class JsonIndex {
  /** Deeper nesting is refused: no request needs it, and every reader after this one recurses. */
  public static final int MAX_DEPTH = 256;
  private static final byte OBJECT = 1;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte ARRAY = 2;

  private final byte[] bytes;
  private final Map<String, Span> fields;
  private final Map<String, List<Span>> elements;

  private JsonIndex(byte[] bytes, Map<String, Span> fields, Map<String, List<Span>> elements) {
    this.bytes = bytes;
    this.fields = fields;
    this.elements = elements;
  }

  /** Validates {@code bytes} as one JSON object and indexes it; throws {@link JsonSyntaxException}. */
  public static JsonIndex ofObject(byte[] bytes) {
    Scanner scanner = new Scanner(bytes);
    scanner.run();
    return new JsonIndex(bytes, scanner.fields, scanner.elements);
  }

  public byte[] bytes() {
    return bytes;
  }

  /** The top-level fields in document order (a repeated name keeps its last value, as parsers do). */
  public Map<String, Span> fields() {
    return fields;
  }

  public Span field(String name) {
    return fields.get(name);
  }

  /** The elements of a top-level array field, or null when the field is absent or not an array. */
  public List<Span> elements(String name) {
    return elements.get(name);
  }

  /** The first byte of a field's value ({@code "}, {@code [}, {@code t}...), or 0 when absent. */
  public byte kind(String name) {
    Span span = fields.get(name);
    return span == null ? 0 : bytes[span.start()];
  }

  private static final class Scanner {
    private final byte[] b;
    private final byte[] stack = new byte[MAX_DEPTH + 1];
    private final Map<String, Span> fields = new LinkedHashMap<>();
    private final Map<String, List<Span>> elements = new LinkedHashMap<>();
    private int depth;
    private String field;
    private int fieldStart;
    private List<Span> items;
    private int itemStart;

    Scanner(byte[] bytes) {
      this.b = bytes;
    }

    void run() {
      int i = ws(0);
      if (i >= b.length || b[i] != '{') throw error(i, "the body must be a JSON object");
      while (i >= 0) {
        i = value(i);
        if (!opened) i = afterValue(i);
      }
    }

    /** Set by {@link #value} when it opened a container: the index it returns is the first inner value's. */
    private boolean opened;

    /** Scans one value at {@code i}, or opens the container there. Returns the next index. */
    private int value(int i) {
      opened = false;
      if (depth == 1) fieldStart = i;
      if (depth == 2 && items != null) itemStart = i;
      if (i >= b.length) throw error(i, "a value was expected");
      switch (b[i]) {
        case '{' -> {
          int j = ws(i + 1);
          if (j < b.length && b[j] == '}') return j + 1;
          push(OBJECT, i);
          opened = true;
          return key(j);
        }
        case '[' -> {
          int j = ws(i + 1);
          boolean empty = j < b.length && b[j] == ']';
          if (depth == 1) {
            items = new ArrayList<>();
            elements.put(field, items);
          }
          if (empty) return j + 1;
          push(ARRAY, i);
          opened = true;
          return j;
        }
        case '"' -> {
          return string(i);
        }
        case 't' -> {
          return literal(i, "true");
        }
        case 'f' -> {
          return literal(i, "false");
        }
        case 'n' -> {
          return literal(i, "null");
        }
        default -> {
          if (b[i] == '-' || (b[i] >= '0' && b[i] <= '9')) return number(i);
          throw error(i, "unexpected " + describe(i));
        }
      }
    }

    /**
     * After a complete value: records it, closes the containers it completes, and moves past a
     * comma. Returns the index of the next value, or -1 at the end of the document.
     */
    private int afterValue(int i) {
      while (true) {
        ended(i);
        i = ws(i);
        if (depth == 0) {
          if (i != b.length) throw error(i, "unexpected " + describe(i) + " after the JSON object");
          return -1;
        }
        if (i >= b.length) throw error(i, "the JSON ends too early");
        byte c = b[i];
        byte top = stack[depth - 1];
        if (c == ',') {
          int j = ws(i + 1);
          return top == OBJECT ? key(j) : j;
        }
        if ((c == '}' && top == OBJECT) || (c == ']' && top == ARRAY)) {
          depth--;
          i++;
          continue;
        }
        throw error(i, "expected ',' or '" + (top == OBJECT ? '}' : ']') + "' but found " + describe(i));
      }
    }

    private void push(byte kind, int at) {
      if (depth == MAX_DEPTH) throw error(at, "the JSON is nested deeper than " + MAX_DEPTH + " levels");
      stack[depth++] = kind;
    }

    /** Records where a top-level field's value, or an element of a top-level array, ended. */
    private void ended(int end) {
      if (depth == 1 && field != null) {
        fields.put(field, new Span(fieldStart, end));
        field = null;
        items = null;
      } else if (depth == 2 && items != null) {
        items.add(new Span(itemStart, end));
      }
    }

    /** A key, its colon and the whitespace after it; returns the index of the value. */
    private int key(int i) {
      if (i >= b.length || b[i] != '"') throw error(i, "expected a field name in double quotes but found " + describe(i));
      int end = string(i);
      if (depth == 1) field = decodeKey(i, end);
      int j = ws(end);
      if (j >= b.length || b[j] != ':') throw error(j, "expected ':' after a field name");
      return ws(j + 1);
    }

    private String decodeKey(int start, int end) {
      boolean escaped = false;
      for (int k = start + 1; k < end - 1; k++) {
        if (b[k] == '\\') {
          escaped = true;
          break;
        }
      }
      String raw = new String(b, start + 1, end - start - 2, StandardCharsets.UTF_8);
      return escaped ? JsonStrings.unescape(raw) : raw;
    }

    /** A string from its opening quote; returns the index after its closing quote. */
    private int string(int i) {
      int j = i + 1;
      int n = b.length;
      while (true) {
        // Eight plain bytes at a time: most of a request is string content with nothing to check.
        while (j + 8 <= n && plain((long) LONGS.get(b, j))) j += 8;
        if (j >= n) throw error(i, "a string is not closed");
        int c = b[j];
        if (c == '"') return j + 1;
        if (c == '\\') {
          j = escape(j);
        } else if (c < 0) {
          j = utf8(j);
        } else if (c < 0x20) {
          throw error(j, "a control character (0x" + Integer.toHexString(c) + ") must be escaped in a string");
        } else {
          j++;
        }
      }
    }

    /**
     * True when none of the eight bytes needs a look: no quote, no backslash, no control
     * character, nothing outside ASCII (the classic has-zero-byte and has-less-than bit tricks).
     */
    private static boolean plain(long x) {
      long quote = x ^ 0x2222222222222222L;
      long backslash = x ^ 0x5c5c5c5c5c5c5c5cL;
      long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - 0x2020202020202020L) & ~x) | x;
      return (special & HIGH_BITS) == 0;
    }

    private int escape(int j) {
      if (j + 1 >= b.length) throw error(j, "a string is not closed");
      switch (b[j + 1]) {
        case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
          return j + 2;
        }
        case 'u' -> {
          for (int k = j + 2; k < j + 6; k++) {
            if (k >= b.length || Character.digit(b[k], 16) < 0) throw error(j, "a \\u escape needs four hex digits");
          }
          return j + 6;
        }
        default -> throw error(j, "invalid escape \\" + (char) b[j + 1]);
      }
    }

    /** One UTF-8 sequence of two to four bytes, checked as RFC 3629 wants (no overlongs, no surrogates). */
    private int utf8(int j) {
      int c = b[j] & 0xff;
      int length;
      int min = 0x80;
      int max = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) {
        length = 2;
      } else if (c >= 0xe0 && c <= 0xef) {
        length = 3;
        if (c == 0xe0) min = 0xa0;
        if (c == 0xed) max = 0x9f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        length = 4;
        if (c == 0xf0) min = 0x90;
        if (c == 0xf4) max = 0x8f;
      } else {
        throw error(j, "invalid UTF-8");
      }
      if (j + length > b.length) throw error(j, "invalid UTF-8");
      int second = b[j + 1] & 0xff;
      if (second < min || second > max) throw error(j, "invalid UTF-8");
      for (int k = j + 2; k < j + length; k++) {
        if ((b[k] & 0xc0) != 0x80) throw error(j, "invalid UTF-8");
      }
      return j + length;
    }

    private int number(int i) {
      int j = i;
      if (b[j] == '-') j++;
      if (j >= b.length) throw error(i, "a number is cut short");
      if (b[j] == '0') {
        j++;
      } else if (b[j] >= '1' && b[j] <= '9') {
        j = digits(j);
      } else {
        throw error(i, "invalid number");
      }
      if (j < b.length && b[j] == '.') {
        int k = digits(j + 1);
        if (k == j + 1) throw error(i, "invalid number");
        j = k;
      }
      if (j < b.length && (b[j] == 'e' || b[j] == 'E')) {
        j++;
        if (j < b.length && (b[j] == '+' || b[j] == '-')) j++;
        int k = digits(j);
        if (k == j) throw error(i, "invalid number");
        j = k;
      }
      return j;
    }

    private int digits(int j) {
      while (j < b.length && b[j] >= '0' && b[j] <= '9') j++;
      return j;
    }

    private int literal(int i, String word) {
      int n = word.length();
      if (i + n > b.length) throw error(i, "unexpected " + describe(i));
      for (int k = 0; k < n; k++) {
        if (b[i + k] != word.charAt(k)) throw error(i, "unexpected " + describe(i));
      }
      return i + n;
    }

    private int ws(int i) {
      while (i < b.length && isWs(b[i])) i++;
      return i;
    }

    private static boolean isWs(byte c) {
      return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private String describe(int i) {
      if (i >= b.length) return "end of input";
      int c = b[i] & 0xff;
      return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : "byte 0x" + Integer.toHexString(c);
    }

    private JsonSyntaxException error(int at, String what) {
      int line = 1;
      int column = 1;
      for (int k = 0; k < Math.min(at, b.length); k++) {
        if (b[k] == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      return new JsonSyntaxException(what + " at line " + line + ", column " + column);
    }
  }
}
