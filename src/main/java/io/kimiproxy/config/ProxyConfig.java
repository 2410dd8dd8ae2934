package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The whole configuration, immutable; a reload builds a new one. */
public record ProxyConfig(Path source, ServerConfig server, Path databaseFile,
                          Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                          ContextConfig context, SanitizerConfig sanitizer, CompactionConfig compaction,
                          AgentsConfig agents, ClientsConfig clients, GuardrailsConfig guardrails) {

  /** Every credential the proxy holds: what must never leave it. */
  public List<Secret> secrets() {
    List<Secret> all = new ArrayList<>(server.apiKeys());
    providers.values().forEach(p -> {
      if (p.apiKey() != null) all.add(p.apiKey());
    });
    return all;
  }

  public ProxyConfig withServer(ServerConfig newServer) {
    return new ProxyConfig(source, newServer, databaseFile, providers, models, context, sanitizer, compaction, agents,
        clients, guardrails);
  }
}
