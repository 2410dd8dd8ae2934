package io.kimiproxy.core.util;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Hashes of JSON content. {@link #of(Object)} is a fast 64-bit FNV-1a walk over the parsed JSON
 * (no re-encoding), used as a cache key where a rare collision only costs a wrong estimate;
 * {@link #sha256Hex(String)} is for identities that must not collide (sessions, masks, cache keys).
 */
public final class ContentHash {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private ContentHash() {}

  public static long of(Object json) {
    return mix(OFFSET, json);
  }

  private static long mix(long h, Object value) {
    if (value instanceof String s) {
      h = (h ^ 's') * PRIME;
      return (h ^ text(s)) * PRIME;
    }
    if (value instanceof JsonObject object) {
      h = (h ^ '{') * PRIME;
      for (Map.Entry<String, Object> e : object) {
        h = mix(h, e.getKey());
        h = mix(h, e.getValue());
      }
      return (h ^ '}') * PRIME;
    }
    if (value instanceof JsonArray array) {
      h = (h ^ '[') * PRIME;
      for (Object item : array) {
        h = mix(h, item);
      }
      return (h ^ ']') * PRIME;
    }
    if (value instanceof Map<?, ?> map) {
      return mix(h, new JsonObject(castMap(map)));
    }
    return mix(h, String.valueOf(value));
  }

  /**
   * FNV-1a over four interleaved lanes: one lane is a chain of dependent multiplies, four let the
   * CPU overlap them, which matters on 200k-token histories hashed on every request.
   */
  private static long text(String s) {
    long a = OFFSET;
    long b = OFFSET ^ 0x9e3779b97f4a7c15L;
    long c = OFFSET ^ 0xc2b2ae3d27d4eb4fL;
    long d = OFFSET ^ 0x165667b19e3779f9L;
    int n = s.length();
    int i = 0;
    for (; i + 3 < n; i += 4) {
      a = (a ^ s.charAt(i)) * PRIME;
      b = (b ^ s.charAt(i + 1)) * PRIME;
      c = (c ^ s.charAt(i + 2)) * PRIME;
      d = (d ^ s.charAt(i + 3)) * PRIME;
    }
    for (; i < n; i++) {
      a = (a ^ s.charAt(i)) * PRIME;
    }
    long h = a;
    h = (h ^ b) * PRIME;
    h = (h ^ c) * PRIME;
    h = (h ^ d) * PRIME;
    return (h ^ n) * PRIME;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
