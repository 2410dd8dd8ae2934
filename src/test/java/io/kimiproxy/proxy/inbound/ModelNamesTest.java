package io.kimiproxy.proxy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ProxyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelNamesTest {
  private static final ProxyConfig CONFIG = ConfigLoader.parse("""
      [providers.kimi]
      base_url = "https://api.moonshot.ai/v1"
      [models."kimi/k2"]
      provider = "kimi"
      model = "kimi-k2"
      [models."kimi/fast"]
      provider = "kimi"
      model = "kimi-k2-turbo"
      [inbound.anthropic]
      models = { "claude-3-5-haiku-*" = "kimi/fast", "claude-*haiku*" = "kimi/fast", "claude-opus-4-1" = "kimi/k2", "claude-*" = "kimi/k2" }
      default = "kimi/fast"
      """, Path.of("config.toml"), Map.of());

  private final ModelNames names = new ModelNames(CONFIG, CONFIG.inbound().anthropic());

  @Test
  void should_leave_aliases_and_provider_models_as_they_are() {
    assertEquals("kimi/k2", names.resolve("kimi/k2"));
    assertEquals("kimi/kimi-k2-0905-preview", names.resolve("kimi/kimi-k2-0905-preview"));
  }

  @Test
  void should_prefer_an_exact_name_then_the_first_matching_glob_then_the_default() {
    assertEquals("kimi/k2", names.resolve("claude-opus-4-1"));
    assertEquals("kimi/fast", names.resolve("claude-3-5-haiku-20241022"));
    assertEquals("kimi/fast", names.resolve("claude-haiku-4-5"));
    assertEquals("kimi/k2", names.resolve("claude-sonnet-4-5-20250929"));
    assertEquals("kimi/fast", names.resolve("gpt-4o"));
  }

  @Test
  void should_match_stars_anywhere_in_a_glob() {
    assertTrue(ModelNames.matches("*", ""));
    assertTrue(ModelNames.matches("a*b*c", "aXXbYYc"));
    assertTrue(ModelNames.matches("*-haiku-*", "claude-3-5-haiku-x"));
    assertFalse(ModelNames.matches("a*b", "aXXbYY"));
    assertFalse(ModelNames.matches("claude-*", "claud"));
  }

  @Test
  void should_match_a_long_name_against_many_stars_in_linear_time() {
    String name = "a".repeat(200_000);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertFalse(ModelNames.matches("*a*a*a*a*a*b", name)));
  }
}
