package io.kimiproxy.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which alias a client API's own model names go to: Claude Code asks for the {@code claude-*}
 * names it knows, not the proxy's aliases. Keys are exact names or globs ({@code *} matches any
 * run of characters), in file order; each value is an alias, a smart alias or
 * {@code provider/model}.
 *
 * @param models       requested name or glob to alias, in file order
 * @param defaultModel where any other name goes, or null to let it fail as an unknown model
 */
public record ModelMapping(Map<String, String> models, String defaultModel) {
  public static final ModelMapping NONE = new ModelMapping(Map.of(), null);

  public ModelMapping {
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }
}
