package io.kimiproxy.features.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A glob matches what the regular expression the guardrails used to build from it matched. */
class GlobTest {
  private static final List<String> GLOB_PARTS = List.of("a", "A", "b", "*", "**", "**/", "?", "/", ".", "é", "-");
  private static final List<String> TEXT_PARTS = List.of("a", "A", "b", "B", "/", ".", "é", "É", "\n", "\u2028", "-", "k", "\u212a");

  /** The expression the guardrails built from a glob with java.util.regex, the reference. */
  private static String reference(String glob, boolean inPath) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        out.append(slash ? "(?:.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (c == '*') {
        out.append(inPath ? "[^/]*" : ".*");
      } else if (c == '?') {
        out.append(inPath ? "[^/]" : ".");
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return out.toString();
  }

  @Test
  void should_match_like_the_expressions_built_from_globs_before() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      String glob = join(random, GLOB_PARTS, 1 + random.nextInt(6));
      String text = join(random, TEXT_PARTS, random.nextInt(8));
      String path = reference(glob, true);
      assertEquals(Pattern.compile(path, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text).matches(),
          Glob.of(glob, true, Glob.Span.LINE, true).matches(text), glob + " on path " + text);
      assertEquals(Pattern.compile("(?:.*/)?" + path, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text).matches(),
          Glob.of(glob, true, Glob.Span.LINE, true).afterAnyDirectory(Glob.Span.LINE).matches(text), glob + " under " + text);
      String name = reference(glob, false);
      assertEquals(Pattern.compile(name, Pattern.CASE_INSENSITIVE).matcher(text).matches(),
          Glob.of(glob, false, Glob.Span.LINE, false).matches(text), glob + " on name " + text);
      assertEquals(Pattern.compile(name + ".*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(text).matches(),
          Glob.of(glob, false, Glob.Span.ALL, false).thenAnything(Glob.Span.ALL).matches(text), glob + " on word " + text);
      assertEquals(Pattern.compile(name + "(?:\\..*)?", Pattern.CASE_INSENSITIVE).matcher(text).matches(),
          Glob.of(glob, false, Glob.Span.LINE, false).thenOptionalExtension(Glob.Span.LINE).matches(text), glob + " on program " + text);
    }
  }

  private static String join(Random random, List<String> parts, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) out.append(parts.get(random.nextInt(parts.size())));
    return out.toString();
  }
}
