package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import io.kimiproxy.config.GuardRule;
import io.kimiproxy.config.GuardrailsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules as JSON, for {@code GET} and {@code PUT /api/guardrails/rules}: the same keys as
 * config.toml. A PUT may name some types and some fields of each; what it leaves out stays as it
 * is. Unknown keys and wrong types are refused, like in config.toml.
 */
public final class RulesJson {
  private static final Set<String> TOP_KEYS = Set.of("enabled", "rules");
  private static final Set<String> RULE_KEYS = Set.of("enabled", "requires_confirmation", "max_file_size_mb",
      "allowed_patterns", "blocked_patterns", "action");

  private RulesJson() {}

  public static JsonObject toJson(GuardrailsConfig config) {
    JsonObject rules = new JsonObject();
    for (Map.Entry<ToolCallType, GuardRule> e : config.rules().entrySet()) {
      GuardRule r = e.getValue();
      rules.put(e.getKey().name(), new JsonObject()
          .put("enabled", r.enabled())
          .put("requires_confirmation", r.requiresConfirmation())
          .put("max_file_size_mb", r.maxFileSizeMb())
          .put("allowed_patterns", new JsonArray(r.allowedPatterns()))
          .put("blocked_patterns", new JsonArray(r.blockedPatterns()))
          .put("action", r.action().label()));
    }
    return new JsonObject().put("enabled", config.enabled()).put("rules", rules);
  }

  /**
   * The config with the body's changes applied.
   *
   * @throws IllegalArgumentException naming the field that is wrong ("rules.FILE_WRITE.action: ...")
   */
  public static GuardrailsConfig merge(GuardrailsConfig current, JsonObject body) {
    unknownKeys(body, TOP_KEYS, "");
    GuardrailsConfig next = current;
    if (body.containsKey("enabled")) next = next.withEnabled(bool(body, "enabled", ""));
    if (!body.containsKey("rules")) return next;
    if (!(body.getValue("rules") instanceof JsonObject rules)) throw new IllegalArgumentException("rules: must be an object");
    for (String name : rules.fieldNames()) {
      ToolCallType type = ToolCallType.parse(name);
      if (type == null) throw new IllegalArgumentException("rules." + name + ": unknown tool-call type");
      if (!(rules.getValue(name) instanceof JsonObject changes)) throw new IllegalArgumentException("rules." + name + ": must be an object");
      next = next.withRule(type, rule(next.rule(type), changes, "rules." + name + "."));
    }
    return next;
  }

  /** @param prefix where the rule is in the body ("rules.FILE_WRITE."), for messages */
  private static GuardRule rule(GuardRule r, JsonObject changes, String prefix) {
    unknownKeys(changes, RULE_KEYS, prefix);
    boolean enabled = changes.containsKey("enabled") ? bool(changes, "enabled", prefix) : r.enabled();
    boolean confirm = changes.containsKey("requires_confirmation")
        ? bool(changes, "requires_confirmation", prefix) : r.requiresConfirmation();
    double size = r.maxFileSizeMb();
    if (changes.containsKey("max_file_size_mb")) {
      if (!(changes.getValue("max_file_size_mb") instanceof Number n)) {
        throw new IllegalArgumentException(prefix + "max_file_size_mb: must be a number");
      }
      size = n.doubleValue();
    }
    List<String> allowed = changes.containsKey("allowed_patterns") ? strings(changes, "allowed_patterns", prefix) : r.allowedPatterns();
    List<String> blocked = changes.containsKey("blocked_patterns") ? strings(changes, "blocked_patterns", prefix) : r.blockedPatterns();
    GuardRule.Action action = r.action();
    if (changes.containsKey("action")) {
      Object value = changes.getValue("action");
      action = value instanceof String s ? GuardRule.Action.parse(s) : null;
      if (action == null) throw new IllegalArgumentException(prefix + "action: must be \"log\" or \"block\"");
    }
    try {
      return new GuardRule(enabled, confirm, size, allowed, blocked, action);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + e.getMessage());
    }
  }

  private static void unknownKeys(JsonObject json, Set<String> known, String prefix) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) throw new IllegalArgumentException(prefix + key + ": unknown key");
    }
  }

  private static boolean bool(JsonObject json, String key, String prefix) {
    if (!(json.getValue(key) instanceof Boolean b)) throw new IllegalArgumentException(prefix + key + ": must be true or false");
    return b;
  }

  private static List<String> strings(JsonObject json, String key, String prefix) {
    if (!(json.getValue(key) instanceof JsonArray array)) throw new IllegalArgumentException(prefix + key + ": must be an array of strings");
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) throw new IllegalArgumentException(prefix + key + ": must be an array of strings");
      out.add(s);
    }
    return out;
  }
}
