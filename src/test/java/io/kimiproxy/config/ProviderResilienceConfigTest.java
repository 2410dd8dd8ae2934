package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderResilienceConfigTest {

  private static ProviderConfig provider(String lines) {
    String text = "[providers.p]\nbase_url = \"https://example.com/v1\"\n" + lines;
    return ConfigLoader.parse(text, Path.of("config.toml"), Map.of()).providers().get("p");
  }

  @Test
  void should_default_to_two_retries_and_a_breaker_of_five_failures() {
    Resilience r = provider("").resilience();
    assertEquals(new Resilience(2, 500, 30_000, 5, 30_000), r);
    assertEquals(Resilience.DEFAULTS, r);
    assertNull(provider("").compat().streamOptions());
    assertNull(provider("").compat().maxCompletionTokens());
  }

  @Test
  void should_read_every_resilience_and_compat_key() {
    ProviderConfig p = provider("""
        max_retries = 0
        retry_base_ms = 10
        retry_after_max_s = 5
        breaker_failures = 2
        breaker_reset_s = 1
        stream_options = false
        max_completion_tokens = true
        """);
    assertEquals(new Resilience(0, 10, 5_000, 2, 1_000), p.resilience());
    assertFalse(p.compat().streamOptions());
    assertTrue(p.compat().maxCompletionTokens());
  }

  @Test
  void should_reject_out_of_range_and_mistyped_values() {
    ConfigException tooMany = assertThrows(ConfigException.class, () -> provider("max_retries = 11"));
    assertTrue(tooMany.getMessage().contains("providers.p.max_retries"), tooMany.getMessage());
    ConfigException notBool = assertThrows(ConfigException.class, () -> provider("stream_options = \"no\""));
    assertTrue(notBool.getMessage().contains("providers.p.stream_options"), notBool.getMessage());
    ConfigException typo = assertThrows(ConfigException.class, () -> provider("max_retry = 1"));
    assertTrue(typo.getMessage().contains("unknown key"), typo.getMessage());
  }

  @Test
  void should_keep_the_per_provider_timeout_defaults() {
    assertEquals(120_000, provider("").timeouts().totalMs());
    String gemini = "[providers.gemini]\ntype = \"gemini\"\nbase_url = \"https://g.example/v1beta\"\n"
        + "[providers.groq]\nbase_url = \"https://api.groq.com/openai/v1\"\n";
    ProxyConfig config = ConfigLoader.parse(gemini, Path.of("config.toml"), Map.of());
    assertEquals(180_000, config.providers().get("gemini").timeouts().totalMs());
    assertEquals(60_000, config.providers().get("groq").timeouts().totalMs());
    assertEquals(10_000, config.providers().get("groq").timeouts().connectMs());
  }
}
