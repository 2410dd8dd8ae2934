package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentsConfigTest {
  private static final String MODELS = """
      [providers.p]
      base_url = "http://127.0.0.1:9/v1"

      [models."p/m"]
      provider = "p"
      model = "m"
      """;

  @Test
  void should_ship_the_three_presets_on_a_configured_alias() {
    ProxyConfig config = ConfigLoader.load(Path.of("config.toml"), Map.of());
    Map<String, AgentConfig> presets = config.agents().presets();
    assertEquals(List.of("summarizer", "commit-message", "code-reviewer"), List.copyOf(presets.keySet()));
    for (AgentConfig preset : presets.values()) {
      assertTrue(config.models().containsKey(preset.model()), preset.id());
      assertTrue(preset.systemPrompt().length() > 100, preset.id() + " has a real system prompt");
      assertTrue(preset.params().get("max_tokens") instanceof Long, preset.id());
    }
    assertTrue(presets.get("summarizer").systemPrompt().contains("conversation between a developer and a coding assistant"));
  }

  @Test
  void should_read_a_preset_with_nested_parameters_and_the_global_limits() {
    AgentsConfig agents = parse("""
        [agents]
        max_concurrent = 3
        max_queued = 0

        [agents.json-bot]
        description = "answers JSON"
        model = "p/m"
        system_prompt = "Answer in JSON."
        timeout_s = 7
        params = { temperature = 0.5, stop = ["END"], response_format = { type = "json_object" } }
        """);
    assertEquals(3, agents.maxConcurrent());
    assertEquals(0, agents.maxQueued());
    AgentConfig preset = agents.presets().get("json-bot");
    assertEquals(new AgentConfig("json-bot", "answers JSON", "p/m", "Answer in JSON.",
        Map.of("temperature", 0.5, "stop", List.of("END"), "response_format", Map.of("type", "json_object")), 7000), preset);
  }

  @Test
  void should_default_the_limits_when_there_is_no_agents_section() {
    AgentsConfig agents = parse("");
    assertEquals(new AgentsConfig(AgentsConfig.DEFAULT_MAX_CONCURRENT, AgentsConfig.DEFAULT_MAX_QUEUED, Map.of()), agents);
  }

  @Test
  void should_refuse_a_model_that_is_not_an_alias() {
    assertProblem("[agents.a]\nmodel = \"p/other\"\n", "agents.a.model: 'p/other' is not a model alias (known: p/m)");
  }

  @Test
  void should_refuse_parameters_the_runner_sets_itself() {
    assertProblem("[agents.a]\nmodel = \"p/m\"\nparams = { stream = true }\n",
        "agents.a.params: 'stream' is set by the agent runner and cannot be a parameter");
  }

  @Test
  void should_refuse_unknown_keys_and_ids_that_are_not_url_safe() {
    assertProblem("[agents.a]\nmodel = \"p/m\"\ntimeout = 5\n", "agents.a.timeout: unknown key");
    assertProblem("[agents.\"A b\"]\nmodel = \"p/m\"\n", "agents.\"A b\": an agent id is lowercase letters");
    assertProblem("[agents]\nmax_concurrent = 0\n", "agents.max_concurrent: 0 is out of range [1, 64]");
  }

  private static AgentsConfig parse(String agents) {
    return ConfigLoader.parse(MODELS + agents, Path.of("t.toml"), Map.of()).agents();
  }

  private static void assertProblem(String agents, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(agents));
    assertTrue(e.getMessage().startsWith("t.toml: " + expected), e.getMessage());
  }
}
