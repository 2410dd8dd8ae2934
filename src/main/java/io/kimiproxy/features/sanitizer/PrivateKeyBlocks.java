package io.kimiproxy.features.sanitizer;

/**
 * {@code -----BEGIN ... PRIVATE KEY-----} up to the first matching {@code -----END ... PRIVATE
 * KEY-----}, replaced whole. The next valid footer is remembered, so a text full of headers without
 * a footer is read once, not once per header.
 */
final class PrivateKeyBlocks extends SecretShape {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String TAIL = "PRIVATE KEY-----";

  private final String text;
  /** The first valid footer at or after {@code footerFrom}: its start and end, or -1 when none. */
  private int footerFrom = -1;
  private int footerStart = -1;
  private int footerEnd = -1;

  PrivateKeyBlocks(String text) {
    this.text = text;
  }

  @Override
  protected SecretMatch find(int from) {
    for (int p = text.indexOf(BEGIN, from); p >= 0; p = text.indexOf(BEGIN, p + 1)) {
      int header = afterLabel(p + BEGIN.length());
      if (header < 0) continue;
      int end = footerEndFrom(header);
      if (end < 0) return null; // no footer after this header, so none after any later one
      return new SecretMatch(p, end, p, "private_key");
    }
    return null;
  }

  /** The end of the first valid footer starting at or after {@code from}, or -1. */
  private int footerEndFrom(int from) {
    if (footerFrom >= 0 && from >= footerFrom && (footerStart < 0 || from <= footerStart)) return footerEnd;
    footerFrom = from;
    footerStart = -1;
    footerEnd = -1;
    for (int q = text.indexOf(END, from); q >= 0; q = text.indexOf(END, q + 1)) {
      int end = afterLabel(q + END.length());
      if (end >= 0) {
        footerStart = q;
        footerEnd = end;
        break;
      }
    }
    return footerEnd;
  }

  /**
   * After {@code -----BEGIN } or {@code -----END }: words of capitals and digits, each followed by
   * one blank, the last of them {@code PRIVATE}, then {@code KEY-----}. The end of that, or -1.
   */
  private int afterLabel(int from) {
    int pos = from;
    int lastWord = -1;
    while (true) {
      int t = pos;
      while (t < text.length() && isLabelChar(text.charAt(t))) t++;
      if (t == pos || t >= text.length() || text.charAt(t) != ' ') break;
      lastWord = pos;
      pos = t + 1;
    }
    return lastWord >= 0 && text.startsWith(TAIL, lastWord) ? lastWord + TAIL.length() : -1;
  }

  private static boolean isLabelChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
