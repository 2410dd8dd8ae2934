package io.kimiproxy.features.sanitizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kimiproxy.core.util.Secret;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
  private final SecretRedactor redactor = new SecretRedactor(List.of(Secret.ofNullable("plain-configured-value-123")));

  private String redact(String text, int expectedSecrets) {
    int[] found = {0};
    String out = redactor.redact(text, found);
    assertEquals(expectedSecrets, found[0], out);
    return out;
  }

  @Test
  void should_replace_provider_key_shapes_by_their_kind() {
    assertEquals("key [REDACTED:openai_key] end", redact("key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t end", 1));
    assertEquals("[REDACTED:anthropic_key]", redact("sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8t", 1));
    assertEquals("[REDACTED:groq_key]", redact("gsk_7Qm2Zp9Lx4Rt8Wv1Ys6Un3Kb5Hd0Jf2Ga9Ce4", 1));
    assertEquals("[REDACTED:nvidia_key]", redact("nvapi-Xy7_Kq2-Lm9Pn4Rs8Tv1Wz6Ab3Cd5Ef0Gh2Ij", 1));
    assertEquals("[REDACTED:google_key]", redact("AIzaSyD4f9Kx2Lm8Pq7Rs1Tu6Vw3Xy5Za0Bc9De", 1));
    assertEquals("[REDACTED:xai_key]", redact("xai-Ab3dEf6hIj9kLm2nOp5qRs8t", 1));
    assertEquals("[REDACTED:github_token] [REDACTED:github_token]",
        redact("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 github_pat_11ABCDEFG0123456789_abcdefghij", 2));
    assertEquals("id=[REDACTED:aws_access_key]", redact("id=AKIAIOSFODNN7EXAMPLE", 1));
    assertEquals("[REDACTED:slack_token]", redact("xoxb-2213-8841-Qw3Er5Ty7Ui9Op1As3Df", 1));
    assertEquals("with [REDACTED:configured_key] inside", redact("with plain-configured-value-123 inside", 1));
  }

  @Test
  void should_keep_the_bearer_word_and_the_connection_string_but_the_secret() {
    assertEquals("Authorization: Bearer [REDACTED:bearer_token]",
        redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc", 1));
    assertEquals("postgres://app:[REDACTED:connection_password]@db.internal:5432/kimi",
        redact("postgres://app:S3cr3t-Passw0rd@db.internal:5432/kimi", 1));
    assertEquals("mongodb://admin:${MONGO_PASSWORD}@localhost", redact("mongodb://admin:${MONGO_PASSWORD}@localhost", 0));
  }

  @Test
  void should_replace_private_key_blocks_whole() {
    String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAAAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5\n-----END OPENSSH PRIVATE KEY-----";
    assertEquals("key:\n[REDACTED:private_key]\ndone", redact("key:\n" + pem + "\ndone", 1));
  }

  @Test
  void should_judge_assignments_by_their_value() {
    assertEquals("AWS_SECRET_ACCESS_KEY=[REDACTED:secret_assignment]",
        redact("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY1", 1));
    assertEquals("password: [REDACTED:secret_assignment]", redact("password: hunter2", 1));
    assertEquals("\"db_password\": \"[REDACTED:secret_assignment]\"", redact("\"db_password\": \"S3cr3t!x\"", 1));
    // Code and configuration that only name secrets stay as they are.
    for (String harmless : List.of("token: string", "password = user.password", "password = hashPassword(raw)",
        "apiKey: process.env.OPENAI_API_KEY", "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}", "\"max_tokens\": 4096",
        "api_key = \"your-api-key-here\"", "auth: true", "const tokenizer = new Tokenizer()", "password = getpass")) {
      assertEquals(harmless, redact(harmless, 0));
    }
  }

  @Test
  void should_keep_json_arguments_valid() {
    String arguments = new JsonObject().put("command", "curl -H 'Authorization: Bearer abcdefghijklmnop1234' https://x")
        .put("env", "DATABASE_URL=postgres://u:p4ss@h/db\nSECRET_TOKEN=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5")
        .put("key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----").encode();
    String out = redact(arguments, 4);
    JsonObject parsed = new JsonObject(out);
    assertEquals("[REDACTED:private_key]", parsed.getString("key"));
    assertFalse(out.contains("p4ss") || out.contains("abcdefghijklmnop1234") || out.contains("Zm9vYmFy"), out);
  }
}
