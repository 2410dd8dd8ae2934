package io.kimiproxy.features.sanitizer;

import java.util.function.IntUnaryOperator;

/**
 * One shape of secret looked for in one text. The redactor asks every shape for its next match
 * with a position that never decreases, so a shape can keep what it learnt (the next match, the
 * end of a run) and the whole scan stays linear in the text.
 */
abstract class SecretShape {
  private SecretMatch cached;
  private int searchedFrom = -1;

  /** The first match starting at or after {@code from}, or null; {@code from} never decreases. */
  final SecretMatch next(int from) {
    if (searchedFrom >= 0 && from >= searchedFrom && (cached == null || cached.start() >= from)) return cached;
    cached = find(from);
    searchedFrom = from;
    return cached;
  }

  /** Searches from {@code from}, which is past every match this shape returned before. */
  protected abstract SecretMatch find(int from);

  /**
   * A shape recognised at its first character: {@code end} tells, for a position, where a match
   * starting there ends, or -1. It is asked once per position.
   */
  static SecretShape at(int length, String kind, IntUnaryOperator end) {
    return new SecretShape() {
      @Override
      protected SecretMatch find(int from) {
        for (int p = from; p < length; p++) {
          int e = end.applyAsInt(p);
          if (e >= 0) return new SecretMatch(p, e, p, kind);
        }
        return null;
      }
    };
  }
}
