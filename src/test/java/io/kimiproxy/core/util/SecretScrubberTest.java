package io.kimiproxy.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kimiproxy.testing.PathologicalTexts;
import io.kimiproxy.testing.TextFuzz;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {
  /** The key shapes as java.util.regex read them before RE2/J, the reference. */
  private static final Pattern JAVA_KEY_SHAPES = Pattern.compile(
      "(sk-[A-Za-z0-9_*\\-]{6,}|gsk_[A-Za-z0-9]{6,}|nvapi-[A-Za-z0-9_\\-]{6,}|AIza[0-9A-Za-z_\\-]{20,}"
          + "|csk-[A-Za-z0-9]{6,}|xai-[A-Za-z0-9]{6,}|(?i:bearer)\\s+[A-Za-z0-9._~+/\\-]{8,}=*)");
  private static final List<String> FRAGMENTS = List.of("sk-", "sk-proj-****", "gsk_", "nvapi-", "AIza", "csk-", "xai-",
      "Bearer", "BEARER", "bearer ", " ", "\t", "\u000b", "\n", "=", "*", "_", "-", ".", "é", "x");

  @Test
  void should_scrub_key_shapes_like_java_util_regex_did() {
    SecretScrubber scrubber = new SecretScrubber(List.of());
    TextFuzz fuzz = new TextFuzz(3L, FRAGMENTS);
    for (int i = 0; i < 20_000; i++) {
      String text = fuzz.next(20);
      String expected = text.isEmpty() ? text : JAVA_KEY_SHAPES.matcher(text).replaceAll("[redacted]");
      assertEquals(expected, scrubber.scrub(text), text);
    }
  }

  @Test
  void should_replace_configured_values_and_key_shapes() {
    SecretScrubber scrubber = new SecretScrubber(List.of(Secret.ofNullable("my-own-key-42")));
    assertEquals("key [redacted], echo [redacted]", scrubber.scrub("key my-own-key-42, echo sk-proj-****abcd"));
  }

  @Test
  void should_scrub_pathological_texts_in_linear_time() {
    SecretScrubber scrubber = new SecretScrubber(List.of(Secret.ofNullable("configured-key-1234")));
    for (Map.Entry<String, String> text : PathologicalTexts.ofSize(1_000_000).entrySet()) {
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scrubber.scrub(text.getValue()), text.getKey());
    }
  }
}
