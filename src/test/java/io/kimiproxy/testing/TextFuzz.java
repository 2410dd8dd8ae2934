package io.kimiproxy.testing;

import java.util.List;
import java.util.Random;

/**
 * Random small texts built from fragments that matter to a scanner (prefixes, separators, quotes,
 * blanks, runs of key characters), for comparing a one-pass scanner with the expression it replaces.
 * The seed is fixed, so a failure is reproduced by running the test again.
 */
public final class TextFuzz {
  private static final String RUN_CHARS = "abcXYZ0189_-./+=:~";

  private final Random random;
  private final List<String> fragments;

  public TextFuzz(long seed, List<String> fragments) {
    this.random = new Random(seed);
    this.fragments = fragments;
  }

  /** A text of up to {@code maxParts} fragments and runs. */
  public String next(int maxParts) {
    StringBuilder out = new StringBuilder();
    int parts = random.nextInt(maxParts + 1);
    for (int i = 0; i < parts; i++) {
      if (random.nextInt(4) == 0) {
        int length = 1 + random.nextInt(random.nextBoolean() ? 8 : 45);
        boolean mixed = random.nextBoolean();
        for (int k = 0; k < length; k++) {
          out.append(mixed ? RUN_CHARS.charAt(random.nextInt(RUN_CHARS.length()))
              : (char) ('A' + random.nextInt(26) + (random.nextBoolean() ? 32 : 0)));
        }
      } else {
        out.append(fragments.get(random.nextInt(fragments.size())));
      }
    }
    return out.toString();
  }
}
