package io.kimiproxy.features.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.util.Secret;
import io.kimiproxy.testing.TextFuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-pass redactor gives, byte for byte, what the expression it replaced gave. */
class SecretRedactorEquivalenceTest {
  private static final String CONFIGURED = "plain-configured-value-123";
  private static final List<String> FRAGMENTS = List.of("sk-", "sk-ant-", "sk-or-", "gsk_", "nvapi-", "AIza", "xai-",
      "ghp_", "gho_", "github_pat_", "AKIA", "ASIA", "xoxb-", "xoxz-", "-----BEGIN ", "-----END ", "RSA ", "OPENSSH ",
      "PRIVATE KEY-----", "PRIVATE ", "KEY-----", "Bearer ", "bearer", "BEARER\t", "://", "postgres", "a+b.c-d", "user",
      ":", "@", "=", " = ", ": ", " ", "  ", "\n", "\r\n", "\t", "\"", "'", "`", ",", ";", "(", ")", "[", "{", "}", "\\",
      "token", "TOKEN", "Token", "password", "PassWord", "passwd", "pwd", "api_key", "api-key", "apikey", "API_KEY",
      "secret", "SECRET_", "auth", "author", "access_key", "accesskey", "private_key", "private-key", ".", "-", "_",
      "${X}", "{{", "your_", "your-key", "xxx", "***", "REDACTED", "process.env.X", "getenv", "changeme", "user.password",
      "this.config.apiKey", "a.b", "$", "é", "ü", "\u0301", "\u2028", "\u0085", "٣", "x", "Z9", "9", "0123456789",
      "aB3dE6hI9kL2nO5qR8tU", "QWERTYUIOPASDFGHJKLZ", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", CONFIGURED,
      "plain-configured");

  @Test
  void should_redact_exactly_like_the_expression_it_replaced() {
    SecretRedactor redactor = new SecretRedactor(List.of(Secret.ofNullable(CONFIGURED)));
    RegexSecretRedactor reference = new RegexSecretRedactor(List.of(CONFIGURED));
    TextFuzz fuzz = new TextFuzz(20_260_512L, FRAGMENTS);
    for (int i = 0; i < 30_000; i++) {
      String text = fuzz.next(i % 3 == 0 ? 40 : 12);
      int[] expectedFound = {0};
      String expected = reference.redact(text, expectedFound);
      int[] found = {0};
      String actual = redactor.redact(text, found);
      assertEquals(expected, actual, () -> "input: " + show(text));
      assertEquals(expectedFound[0], found[0], () -> "count for input: " + show(text));
    }
  }

  private static String show(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c >= 32 && c < 127 && c != '"' && c != '\\') out.append(c); else out.append(String.format("\\u%04x", (int) c));
    }
    return out.append('"').toString();
  }
}
