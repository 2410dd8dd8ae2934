package io.kimiproxy.core.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 128-bit content hash (MurmurHash3 x64 128): the key of every per-content cache. Coding agents
 * resend the same history every turn, so results computed once for a message (its tokens, its
 * redaction, its decoding) are found again by this key; 128 bits make an accidental collision a
 * non-event even over billions of messages. Fast: the bytes of a 1 MB history hash in a fraction
 * of a millisecond.
 */
public record ContentKey(long high, long low) {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The key of {@code bytes[from, to)}. */
  public static ContentKey of(byte[] bytes, int from, int to) {
    long h1 = 0;
    long h2 = 0;
    int i = from;
    for (; i + 16 <= to; i += 16) {
      long k1 = (long) LONGS.get(bytes, i);
      long k2 = (long) LONGS.get(bytes, i + 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int rest = to - i;
    for (int j = rest - 1; j >= 8; j--) k2 = (k2 << 8) | (bytes[i + j] & 0xffL);
    for (int j = Math.min(rest, 8) - 1; j >= 0; j--) k1 = (k1 << 8) | (bytes[i + j] & 0xffL);
    if (rest > 8) h2 ^= mixK2(k2);
    if (rest > 0) h1 ^= mixK1(k1);
    return finish(h1, h2, to - from);
  }

  public static ContentKey of(byte[] bytes) {
    return of(bytes, 0, bytes.length);
  }

  /** The key of a text, read as UTF-16 code units (four to a 64-bit word). */
  public static ContentKey of(CharSequence text) {
    long h1 = 0;
    long h2 = 0;
    int n = text.length();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      h1 ^= mixK1(chars(text, i));
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(chars(text, i + 4));
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    for (int j = n - 1; j >= i + 4; j--) k2 = (k2 << 16) | text.charAt(j);
    for (int j = Math.min(n, i + 4) - 1; j >= i; j--) k1 = (k1 << 16) | text.charAt(j);
    if (n - i > 4) h2 ^= mixK2(k2);
    if (n > i) h1 ^= mixK1(k1);
    return finish(h1, h2, 2L * n);
  }

  /** This key combined with another: order matters, so a list's key depends on its order. */
  public ContentKey then(ContentKey next) {
    return finish(high ^ mixK1(next.high), low ^ mixK2(next.low), 32);
  }

  /** This key combined with a small value (a salt, a length, a field tag). */
  public ContentKey then(long value) {
    return finish(high ^ mixK1(value), low ^ mixK2(~value), 16);
  }

  public String hex() {
    return String.format("%016x%016x", high, low);
  }

  private static long chars(CharSequence text, int at) {
    return text.charAt(at) | (long) text.charAt(at + 1) << 16 | (long) text.charAt(at + 2) << 32
        | (long) text.charAt(at + 3) << 48;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static ContentKey finish(long h1, long h2, long length) {
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    return new ContentKey(h1, h2);
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }
}
