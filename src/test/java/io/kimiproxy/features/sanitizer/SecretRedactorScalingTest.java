package io.kimiproxy.features.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kimiproxy.core.util.Secret;
import io.kimiproxy.testing.PathologicalTexts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redaction is linear: texts that made the old expression take seconds or minutes take milliseconds. */
class SecretRedactorScalingTest {
  /** Generous: a linear pass over 1 MB takes milliseconds, a quadratic one minutes. */
  private static final Duration BOUND = Duration.ofSeconds(10);

  @Test
  void should_redact_pathological_texts_in_linear_time() {
    for (int size : new int[] {50_000, 1_000_000}) {
      for (Map.Entry<String, String> text : PathologicalTexts.ofSize(size).entrySet()) {
        SecretRedactor redactor = new SecretRedactor(List.of(Secret.ofNullable("configured-key-1234")));
        assertTimeoutPreemptively(BOUND, () -> redactor.redact(text.getValue(), new int[1]), text.getKey() + " of " + size);
      }
    }
  }

  @Test
  void should_redact_every_secret_of_a_long_text_of_secret_assignments() {
    String line = "db.password = S3cr3t!x\n";
    int[] found = {0};
    String out = new SecretRedactor(List.of()).redact(line.repeat(40_000), found);
    assertEquals(40_000, found[0]);
    assertEquals("db.password = [REDACTED:secret_assignment]\n".repeat(40_000), out);
  }

  @Test
  void should_redact_a_configured_key_repeated_through_a_megabyte() {
    String key = "configured-key-1234";
    int[] found = {0};
    String out = new SecretRedactor(List.of(Secret.ofNullable(key))).redact((key + " ").repeat(50_000), found);
    assertEquals(50_000, found[0]);
    assertEquals("[REDACTED:configured_key] ".repeat(50_000), out);
  }
}
