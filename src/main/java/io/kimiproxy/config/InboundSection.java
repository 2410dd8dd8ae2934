package io.kimiproxy.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code [inbound.anthropic]}: the model names an Anthropic client asks for, mapped to aliases. */
final class InboundSection {
  private InboundSection() {}

  static InboundConfig parse(TomlSection inbound, Map<String, ProviderConfig> providers,
                             Map<String, ModelConfig> models, Map<String, List<String>> smart) {
    ModelMapping anthropic = mapping(inbound.section("anthropic"), providers, models, smart);
    inbound.finish();
    return new InboundConfig(anthropic);
  }

  private static ModelMapping mapping(TomlSection s, Map<String, ProviderConfig> providers,
                                      Map<String, ModelConfig> models, Map<String, List<String>> smart) {
    TomlSection table = s.section("models");
    Map<String, String> out = new LinkedHashMap<>();
    for (String pattern : table.keys()) {
      if (pattern.isBlank()) throw table.error(pattern, "a model name or glob must not be empty");
      out.put(pattern, target(table, pattern, table.requiredString(pattern), providers, models, smart));
    }
    table.finish();
    String fallback = s.string("default", null);
    if (fallback != null) target(s, "default", fallback, providers, models, smart);
    s.finish();
    return new ModelMapping(out, fallback);
  }

  /** An alias, a smart alias or provider/model with a configured provider: what a request can route to. */
  private static String target(TomlSection s, String key, String alias, Map<String, ProviderConfig> providers,
                               Map<String, ModelConfig> models, Map<String, List<String>> smart) {
    if (models.containsKey(alias) || smart.containsKey(alias)) return alias;
    int slash = alias.indexOf('/');
    if (slash > 0 && slash < alias.length() - 1 && providers.containsKey(alias.substring(0, slash))) return alias;
    throw s.error(key, "'" + alias + "' is not a model alias or <provider>/<model> of a configured provider");
  }
}
