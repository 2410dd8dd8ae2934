package io.kimiproxy.testing;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Texts that make backtracking scanners superlinear: long runs of what a pattern half-matches
 * ({@code a-a-a-}, {@code ====}, key prefixes without a key), blobs (base64, a JWT), a minified
 * script, one huge line, deep brackets. A linear scanner reads each in about the time it takes to
 * copy it; a quadratic one takes minutes on the larger sizes.
 */
public final class PathologicalTexts {
  private PathologicalTexts() {}

  /** Named texts of about {@code size} characters each. */
  public static Map<String, String> ofSize(int size) {
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("a- runs", repeat("a-", size));
    texts.put("= lines", repeat("=".repeat(79) + "\n", size));
    texts.put("- lines", repeat("-".repeat(79) + "\n", size));
    texts.put("base64 blob", base64(size, false));
    texts.put("base64url JWT", "eyJhbGciOiJIUzI1NiJ9." + base64(size, true) + "." + base64(43, true));
    texts.put("minified js", repeat("var a=function(b,c){return b.token=c.apiKey||\"x\",{d:[1,2],e:b}};", size));
    texts.put("one line", repeat("lorem ipsum dolor sit amet, ", size));
    texts.put("nested brackets", repeat("[", size / 2) + repeat("{", size / 2));
    texts.put("assignments without values", repeat("a.token=", size));
    texts.put("key prefixes", repeat("sk-ant-sk-gsk_xoxb-AIza", size));
    texts.put("private key headers", repeat("-----BEGIN RSA PRIVATE KEY-----\n", size));
    texts.put("url schemes", repeat("a.b+c://user:", size));
    texts.put("bearer words", repeat("bearer ", size));
    texts.put("file paths", repeat("src/main/java/io/kimiproxy/A.java\n", size));
    texts.put("fences", repeat("```", size));
    texts.put("memory openings", repeat("<mcp-memory>[MEMORY]@memory[", size));
    texts.put("blanks", repeat(" \t", size) + "x");
    return texts;
  }

  private static String repeat(String unit, int size) {
    return unit.repeat(Math.max(1, size / unit.length()));
  }

  private static String base64(int size, boolean url) {
    byte[] bytes = new byte[size * 3 / 4];
    new Random(size).nextBytes(bytes);
    Base64.Encoder encoder = url ? Base64.getUrlEncoder().withoutPadding() : Base64.getEncoder();
    return encoder.encodeToString(bytes);
  }
}
