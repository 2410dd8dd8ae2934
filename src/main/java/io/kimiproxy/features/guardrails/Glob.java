package io.kimiproxy.features.guardrails;

import static io.kimiproxy.core.util.TextScan.isLineTerminator;

import java.util.Arrays;

/**
 * A compiled glob, matched against a whole string by stepping all its positions at once (a small
 * automaton): time linear in the string for a given glob, however many {@code *} it has. It means
 * what the regular expression the guardrails used to build from a glob meant ({@code *} and
 * {@code ?} within a path segment or within a line, {@code **}, {@code **}{@code /}), with the
 * same case-insensitivity.
 */
final class Glob {
  /** The characters {@code *} and {@code ?} stand for. */
  enum Span { SEGMENT, LINE, ALL }

  private static final int LITERAL = 0;
  private static final int ONE = 1;
  private static final int RUN = 2;
  private static final int OPTIONAL = 3;

  private final int[] kind;
  private final int[] value;
  private final boolean unicodeCase;

  private Glob(int[] kind, int[] value, boolean unicodeCase) {
    this.kind = kind;
    this.value = value;
    this.unicodeCase = unicodeCase;
  }

  /**
   * @param inPath      {@code *} and {@code ?} stop at a slash
   * @param any         what {@code **}, and outside paths {@code *} and {@code ?}, stand for
   * @param unicodeCase letters of any script match in either case; else ASCII letters only
   */
  static Glob of(String glob, boolean inPath, Span any, boolean unicodeCase) {
    Builder b = new Builder();
    Span single = inPath ? Span.SEGMENT : any;
    for (int i = 0; i < glob.length(); ) {
      int c = glob.codePointAt(i);
      if (c == '*' && glob.startsWith("**/", i)) {
        b.anyDirectory(any);
        i += 3;
      } else if (c == '*' && glob.startsWith("**", i)) {
        b.add(RUN, any.ordinal());
        i += 2;
      } else {
        if (c == '*') b.add(RUN, single.ordinal());
        else if (c == '?') b.add(ONE, single.ordinal());
        else b.add(LITERAL, c);
        i += Character.charCount(c);
      }
    }
    return b.build(unicodeCase);
  }

  /** This glob after any directories: {@code (?:.*\/)?} in front. */
  Glob afterAnyDirectory(Span any) {
    Builder b = new Builder();
    b.anyDirectory(any);
    return b.append(this).build(unicodeCase);
  }

  /** This glob followed by anything: a prefix of what it matches. */
  Glob thenAnything(Span any) {
    Builder b = new Builder().append(this);
    b.add(RUN, any.ordinal());
    return b.build(unicodeCase);
  }

  /** This glob with an optional extension: {@code mkfs} also matches {@code mkfs.ext4}. */
  Glob thenOptionalExtension(Span any) {
    Builder b = new Builder().append(this);
    b.add(OPTIONAL, 3);
    b.add(LITERAL, '.');
    b.add(RUN, any.ordinal());
    return b.build(unicodeCase);
  }

  boolean matches(String s) {
    int m = kind.length;
    boolean[] active = new boolean[m + 1];
    boolean[] next = new boolean[m + 1];
    active[0] = true;
    close(active);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      Arrays.fill(next, false);
      boolean any = false;
      for (int k = 0; k < m; k++) {
        if (!active[k]) continue;
        switch (kind[k]) {
          case LITERAL -> {
            if (same(c, value[k])) any = next[k + 1] = true;
          }
          case ONE -> {
            if (covers(value[k], c)) any = next[k + 1] = true;
          }
          case RUN -> {
            if (covers(value[k], c)) any = next[k] = true;
          }
          default -> { }
        }
      }
      if (!any) return false;
      close(next);
      boolean[] swap = active;
      active = next;
      next = swap;
    }
    return active[m];
  }

  /** Follows the moves that read nothing: past a run, into or over an optional part. */
  private void close(boolean[] active) {
    for (int k = 0; k < kind.length; k++) {
      if (!active[k]) continue;
      if (kind[k] == RUN) active[k + 1] = true;
      if (kind[k] == OPTIONAL) {
        active[k + 1] = true;
        active[k + value[k]] = true;
      }
    }
  }

  private boolean same(int c, int literal) {
    if (c == literal) return true;
    if (unicodeCase) {
      int folded = Character.toLowerCase(Character.toUpperCase(literal));
      return folded == c || folded == Character.toLowerCase(Character.toUpperCase(c));
    }
    return c < 128 && literal < 128 && Character.toLowerCase(c) == Character.toLowerCase(literal)
        && Character.isLetter(c);
  }

  private static final int SEGMENT = Span.SEGMENT.ordinal();
  private static final int LINE = Span.LINE.ordinal();

  private static boolean covers(int span, int c) {
    if (span == SEGMENT) return c != '/';
    if (span == LINE) return c > 0xFFFF || !isLineTerminator((char) c);
    return true;
  }

  private static final class Builder {
    private int[] kind = new int[16];
    private int[] value = new int[16];
    private int size;

    Builder add(int k, int v) {
      if (size == kind.length) {
        kind = Arrays.copyOf(kind, size * 2);
        value = Arrays.copyOf(value, size * 2);
      }
      kind[size] = k;
      value[size++] = v;
      return this;
    }

    /** {@code (?:.*\/)?}: optionally, anything then a slash. */
    void anyDirectory(Span any) {
      add(OPTIONAL, 3);
      add(RUN, any.ordinal());
      add(LITERAL, '/');
    }

    Builder append(Glob g) {
      for (int k = 0; k < g.kind.length; k++) add(g.kind[k], g.value[k]);
      return this;
    }

    Glob build(boolean unicodeCase) {
      return new Glob(Arrays.copyOf(kind, size), Arrays.copyOf(value, size), unicodeCase);
    }
  }
}
