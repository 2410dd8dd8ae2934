package io.kimiproxy.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code [routing]} weights and checks the smart aliases' candidates (docs/routing.md). */
final class RoutingSection {
  private RoutingSection() {}

  /**
   * A smart alias's table: only {@code candidates}. It names no provider or model of its own, so
   * that what a request costs and where it goes is always one of the candidates'.
   */
  static List<String> candidates(TomlSection m) {
    for (String own : List.of("provider", "model")) {
      if (m.has(own)) throw m.error(own, "a smart alias has candidates instead of provider and model");
    }
    List<String> candidates = m.strings("candidates");
    if (candidates.size() < 2) throw m.error("candidates", "list at least two model aliases to choose among");
    m.finish();
    return List.copyOf(candidates);
  }

  /** Every candidate is an alias with a provider: a smart alias (itself included) is not one. */
  static void check(TomlSection models, Map<String, List<String>> smart, Map<String, ModelConfig> plain) {
    for (Map.Entry<String, List<String>> alias : smart.entrySet()) {
      for (String candidate : alias.getValue()) {
        if (!plain.containsKey(candidate)) {
          throw models.section(alias.getKey()).error("candidates", "'" + candidate
              + "' is not a model alias with a provider (known: " + String.join(", ", plain.keySet()) + ")");
        }
      }
    }
  }

  static RoutingConfig parse(TomlSection s, Map<String, List<String>> smart) {
    RoutingConfig d = RoutingConfig.DEFAULTS;
    RoutingConfig config = new RoutingConfig(
        s.decimal("headroom_weight", d.headroomWeight(), 0),
        s.decimal("price_weight", d.priceWeight(), 0),
        s.decimal("latency_weight", d.latencyWeight(), 0),
        Collections.unmodifiableMap(new LinkedHashMap<>(smart)));
    s.finish();
    return config;
  }
}
