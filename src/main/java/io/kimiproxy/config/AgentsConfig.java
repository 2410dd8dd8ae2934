package io.kimiproxy.config;

import java.util.Map;

/**
 * The [agents] section.
 *
 * @param maxConcurrent runs that may call their model at the same time, all agents together
 * @param maxQueued     runs that may wait for a slot (first come, first served); more are refused
 * @param presets       by id, in file order
 */
public record AgentsConfig(int maxConcurrent, int maxQueued, Map<String, AgentConfig> presets) {
  public static final int DEFAULT_MAX_CONCURRENT = 2;
  public static final int DEFAULT_MAX_QUEUED = 16;
}
