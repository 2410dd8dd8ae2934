package io.kimiproxy.proxy.wire.responses;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ConfigException;
import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ProviderConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which providers a Responses client's request goes to as it came: {@code responses} in config.toml, else OpenAI's host. */
class ResponsesProviderTest {

  @Test
  void should_serve_responses_on_openai_s_host_unless_the_config_says_otherwise() {
    assertTrue(ResponsesAdapter.serves(provider("base_url = \"https://api.openai.com/v1\"")));
    assertFalse(ResponsesAdapter.serves(provider("base_url = \"https://api.openai.com/v1\"\nresponses = false")));
    assertFalse(ResponsesAdapter.serves(provider("base_url = \"https://api.groq.com/openai/v1\"")));
    assertTrue(ResponsesAdapter.serves(provider("base_url = \"http://127.0.0.1:8080/v1\"\nresponses = true")));
  }

  @Test
  void should_refuse_responses_on_a_provider_that_is_not_openai_format() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> provider("type = \"anthropic\"\nbase_url = \"https://api.anthropic.com/v1\"\nresponses = true"));
    assertTrue(e.getMessage().contains("providers.p.responses"), e.getMessage());
    assertTrue(e.getMessage().contains("only a provider of type \"openai\""), e.getMessage());
  }

  @Test
  void should_refuse_a_responses_setting_that_is_not_a_boolean() {
    ConfigException e = assertThrows(ConfigException.class, () -> provider("base_url = \"http://h/v1\"\nresponses = \"yes\""));
    assertTrue(e.getMessage().contains("providers.p.responses") && e.getMessage().contains("expected true or false"),
        e.getMessage());
  }

  private static ProviderConfig provider(String lines) {
    return ConfigLoader.parse("[providers.p]\n" + lines + "\n", Path.of("config.toml"), Map.of()).providers().get("p");
  }
}
