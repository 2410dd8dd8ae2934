package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundSectionTest {
  private static final String MODELS = """
      [providers.kimi]
      base_url = "https://api.moonshot.ai/v1"
      [providers.groq]
      base_url = "https://api.groq.com/openai/v1"
      [models."kimi/k2"]
      provider = "kimi"
      model = "kimi-k2"
      [models."groq/fast"]
      provider = "groq"
      model = "llama"
      [models."smart"]
      candidates = ["kimi/k2", "groq/fast"]
      """;

  private static ProxyConfig parse(String text) {
    return ConfigLoader.parse(MODELS + text, Path.of("config.toml"), Map.of("FAST", "groq/fast"));
  }

  @Test
  void should_map_claude_names_in_file_order_with_a_default() {
    ModelMapping mapping = parse("""
        [inbound.anthropic]
        models = { "claude-haiku-*" = "${FAST}", "claude-sonnet-4-5" = "smart", "claude-*" = "groq/other-model" }
        default = "kimi/k2"
        """).inbound().anthropic();
    assertEquals(List.of("claude-haiku-*", "claude-sonnet-4-5", "claude-*"), List.copyOf(mapping.models().keySet()));
    assertEquals("groq/fast", mapping.models().get("claude-haiku-*"));
    assertEquals("smart", mapping.models().get("claude-sonnet-4-5"));
    assertEquals("kimi/k2", mapping.defaultModel());
  }

  @Test
  void should_map_nothing_without_the_section() {
    ModelMapping mapping = parse("").inbound().anthropic();
    assertEquals(Map.of(), mapping.models());
    assertNull(mapping.defaultModel());
  }

  @Test
  void should_refuse_a_target_that_routes_nowhere() {
    ConfigException unknown = assertThrows(ConfigException.class, () -> parse("""
        [inbound.anthropic]
        models = { "claude-*" = "moonshot/k3" }
        """));
    assertEquals("config.toml: inbound.anthropic.models.\"claude-*\": 'moonshot/k3' is not a model alias or <provider>/<model> of a configured provider",
        unknown.getMessage());
    assertThrows(ConfigException.class, () -> parse("[inbound.anthropic]\ndefault = \"openai/gpt-4o\"\n"));
  }

  @Test
  void should_refuse_unknown_keys_and_apis() {
    assertThrows(ConfigException.class, () -> parse("[inbound.anthropic]\nmodel = \"kimi/k2\"\n"));
    assertThrows(ConfigException.class, () -> parse("[inbound.gemini]\ndefault = \"kimi/k2\"\n"));
    assertThrows(ConfigException.class, () -> parse("[inbound.anthropic]\nmodels = { \"claude-*\" = 3 }\n"));
  }
}
