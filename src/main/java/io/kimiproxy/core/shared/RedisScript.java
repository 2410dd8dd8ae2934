package io.kimiproxy.core.shared;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script Redis runs atomically: read from the classpath ({@code /redis/NAME.lua}), sent by
 * its SHA-1 ({@code EVALSHA}) and in full only when Redis does not have it yet (after a restart).
 */
public record RedisScript(String name, String source, String sha) {

  /** The script {@code name}, after the shared functions of {@code prelude} (e.g. "bucket"). */
  public static RedisScript load(String prelude, String name) {
    String source = read(prelude) + "\n" + read(name);
    return new RedisScript(name, source, sha1(source));
  }

  public static RedisScript load(String name) {
    String source = read(name);
    return new RedisScript(name, source, sha1(source));
  }

  private static String read(String name) {
    try (InputStream in = RedisScript.class.getResourceAsStream("/redis/" + name + ".lua")) {
      if (in == null) throw new IllegalStateException("no script /redis/" + name + ".lua");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
