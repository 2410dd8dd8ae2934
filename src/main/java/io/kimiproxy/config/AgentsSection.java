package io.kimiproxy.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code [agents]}: the global limits as plain keys, and one {@code [agents.<id>]} table per
 * preset. Ids become URL path segments ({@code /api/agents/<id>/run}), hence the narrow alphabet.
 */
final class AgentsSection {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final List<String> GLOBAL_KEYS = List.of("max_concurrent", "max_queued");
  private static final long DEFAULT_TIMEOUT_S = 120;

  private AgentsSection() {}

  static AgentsConfig parse(TomlSection section, Map<String, ModelConfig> models) {
    int maxConcurrent = (int) section.integer("max_concurrent", AgentsConfig.DEFAULT_MAX_CONCURRENT, 1, 64);
    int maxQueued = (int) section.integer("max_queued", AgentsConfig.DEFAULT_MAX_QUEUED, 0, 10_000);
    Map<String, AgentConfig> presets = new LinkedHashMap<>();
    for (String id : section.keys()) {
      if (GLOBAL_KEYS.contains(id)) continue;
      if (!ID.matcher(id).matches()) {
        throw section.error(id, "an agent id is lowercase letters, digits, '-' and '_' (at most 64), starting with a letter or digit");
      }
      presets.put(id, preset(id, section.section(id), models));
    }
    section.finish();
    return new AgentsConfig(maxConcurrent, maxQueued, Collections.unmodifiableMap(presets));
  }

  private static AgentConfig preset(String id, TomlSection s, Map<String, ModelConfig> models) {
    String description = s.string("description", "");
    String model = s.requiredString("model");
    if (!models.containsKey(model)) {
      throw s.error("model", "'" + model + "' is not a model alias (known: " + String.join(", ", models.keySet()) + ")");
    }
    String systemPrompt = s.string("system_prompt", "");
    Map<String, Object> params = s.values("params");
    for (String key : params.keySet()) {
      if (AgentConfig.RESERVED_PARAMS.contains(key)) {
        throw s.error("params", "'" + key + "' is set by the agent runner and cannot be a parameter");
      }
    }
    long timeoutS = s.integer("timeout_s", DEFAULT_TIMEOUT_S, 1, 3600);
    s.finish();
    return new AgentConfig(id, description, model, systemPrompt, params, timeoutS * 1000);
  }
}
