package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmartRoutingConfigTest {
  private static final String MODELS = """
      [providers.p]
      base_url = "http://h"
      [models.a]
      provider = "p"
      model = "x"
      [models.b]
      provider = "p"
      model = "y"
      """;

  private static ProxyConfig parse(String toml) {
    return ConfigLoader.parse(toml, Path.of("/home/user/bad.toml"), Map.of());
  }

  @Test
  void a_smart_alias_keeps_its_candidates_in_order_and_the_weights_default() {
    ProxyConfig config = parse(MODELS + "[models.auto]\ncandidates = [\"b\", \"a\"]\n");
    assertEquals(List.of("b", "a"), config.routing().candidates().get("auto"));
    assertTrue(config.routing().isSmart("auto"));
    assertFalse(config.models().containsKey("auto"), "a smart alias is no model of its own");
    assertEquals(1.0, config.routing().headroomWeight());
    assertEquals(1.0, config.routing().priceWeight());
    assertEquals(0.5, config.routing().latencyWeight());
  }

  @Test
  void the_routing_table_sets_the_weights() {
    ProxyConfig config = parse(MODELS + "[routing]\nheadroom_weight = 2.0\nprice_weight = 0\nlatency_weight = 1.5\n");
    assertEquals(2.0, config.routing().headroomWeight());
    assertEquals(0.0, config.routing().priceWeight());
    assertEquals(1.5, config.routing().latencyWeight());
  }

  /** Each mistake, the key the message must name, and a word of the problem. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[models.auto]\\ncandidates = [\"a\", \"nope\"]|models.auto.candidates|'nope' is not a model alias with a provider",
      "[models.auto]\\ncandidates = [\"a\", \"auto\"]|models.auto.candidates|'auto' is not a model alias",
      "[models.auto]\\ncandidates = [\"a\", \"b\"]\\nprovider = \"p\"|models.auto.provider|instead of provider and model",
      "[models.auto]\\ncandidates = [\"a\", \"b\"]\\nmax_context = 5|models.auto.max_context|unknown key",
      "[models.auto]\\ncandidates = [\"a\"]|models.auto.candidates|at least two",
      "[routing]\\nprice_weight = -1|routing.price_weight|",
      "[routing]\\nspeed_weight = 1|routing.speed_weight|unknown key"})
  void a_mistake_is_one_line_naming_the_key(String toml, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(MODELS + toml.replace("\\n", "\n")));
    String message = e.getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.startsWith("bad.toml: " + key + ": "), message);
    assertTrue(message.contains(problem == null ? "" : problem), message);
  }
}
