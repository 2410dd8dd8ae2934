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
                          AgentsConfig agents, ClientsConfig clients, GuardrailsConfig guardrails,
                          GovernanceConfig governance, RoutingConfig routing, InboundConfig inbound) {

  /** Every credential the proxy holds: what must never leave it. */
  public List<Secret> secrets() {
    List<Secret> all = new ArrayList<>(server.apiKeys());
    providers.values().forEach(p -> {
      if (p.apiKey() != null) all.add(p.apiKey());
    });
    return all;
  }

  /**
   * This configuration with the parts only a restart can change taken from the running one: the
   * listening server, the database, agents, the client importers and the guardrails (whose rules
   * change at runtime through their own API).
   */
  public ProxyConfig keepingRestartOnlyPartsOf(ProxyConfig running) {
    return new ProxyConfig(source, running.server, running.databaseFile, providers, models, context, sanitizer,
        compaction, running.agents, running.clients, running.guardrails, governance, routing, inbound);
  }

  /** The restart-only sections in which this configuration differs from the running one. */
  public List<String> restartOnlyDifferences(ProxyConfig running) {
    List<String> changed = new ArrayList<>();
    ServerConfig a = server;
    ServerConfig b = running.server;
    boolean sameKeys = a.apiKeys().stream().map(Secret::reveal).toList()
        .equals(b.apiKeys().stream().map(Secret::reveal).toList());
    if (!sameKeys || a.maxBodyBytes() != b.maxBodyBytes() || !a.allowedHosts().equals(b.allowedHosts())
        || !a.allowedOrigins().equals(b.allowedOrigins())) {
      changed.add("server");
    }
    if (!databaseFile.equals(running.databaseFile)) changed.add("storage");
    if (!agents.equals(running.agents)) changed.add("agents");
    if (!clients.equals(running.clients)) changed.add("clients");
    if (!guardrails.equals(running.guardrails)) changed.add("guardrails");
    return changed;
  }

  public ProxyConfig withServer(ServerConfig newServer) {
    return new ProxyConfig(source, newServer, databaseFile, providers, models, context, sanitizer, compaction, agents,
        clients, guardrails, governance, routing, inbound);
  }
}
