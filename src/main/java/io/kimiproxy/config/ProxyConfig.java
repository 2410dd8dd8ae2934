package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, immutable; a reload builds a new one.
 *
 * @param postgres the ledger's PostgreSQL, or null for the SQLite file {@code databaseFile}
 * @param shared   the Redis a team's instances share, or null for none (solo)
 */
public record ProxyConfig(Path source, ServerConfig server, Path databaseFile,
                          Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                          ContextConfig context, SanitizerConfig sanitizer, CompactionConfig compaction,
                          AgentsConfig agents, ClientsConfig clients, GuardrailsConfig guardrails,
                          GovernanceConfig governance, RoutingConfig routing, ObservabilityConfig observability,
                          PostgresConfig postgres, SharedConfig shared, InboundConfig inbound) {

  /** Every credential the proxy holds: what must never leave it. */
  public List<Secret> secrets() {
    List<Secret> all = new ArrayList<>(server.apiKeys());
    providers.values().forEach(p -> {
      if (p.apiKey() != null) all.add(p.apiKey());
    });
    all.addAll(observability.telemetry().headers().values());
    if (postgres != null) all.addAll(TeamSections.urlSecrets(postgres.url()));
    if (shared != null) all.addAll(TeamSections.urlSecrets(shared.redisUrl()));
    return all;
  }

  /**
   * This configuration with the parts only a restart can change taken from the running one: the
   * listening server, the database, agents, the client importers, the guardrails (whose rules
   * change at runtime through their own API), the log and the traces, and the shared Redis.
   */
  public ProxyConfig keepingRestartOnlyPartsOf(ProxyConfig running) {
    return new ProxyConfig(source, running.server, running.databaseFile, providers, models, context, sanitizer,
        compaction, running.agents, running.clients, running.guardrails, governance, routing, running.observability,
        running.postgres, running.shared, inbound);
  }

  /** The restart-only sections in which this configuration differs from the running one. */
  public List<String> restartOnlyDifferences(ProxyConfig running) {
    List<String> changed = new ArrayList<>();
    ServerConfig a = server;
    ServerConfig b = running.server;
    boolean sameKeys = a.keys().stream().map(k -> List.of(k.name(), k.key().reveal(), k.models())).toList()
        .equals(b.keys().stream().map(k -> List.of(k.name(), k.key().reveal(), k.models())).toList());
    if (!sameKeys || a.maxBodyBytes() != b.maxBodyBytes() || !a.allowedHosts().equals(b.allowedHosts())
        || !a.allowedOrigins().equals(b.allowedOrigins())) {
      changed.add("server");
    }
    if (!databaseFile.equals(running.databaseFile) || !sameUrl(postgres == null ? null : postgres.url(),
        running.postgres == null ? null : running.postgres.url())) {
      changed.add("storage");
    }
    if (!sameUrl(shared == null ? null : shared.redisUrl(), running.shared == null ? null : running.shared.redisUrl())
        || shared != null && running.shared != null && (shared.failOpen() != running.shared.failOpen()
            || shared.timeoutMs() != running.shared.timeoutMs())) {
      changed.add("shared");
    }
    if (!agents.equals(running.agents)) changed.add("agents");
    if (!clients.equals(running.clients)) changed.add("clients");
    if (!guardrails.equals(running.guardrails)) changed.add("guardrails");
    if (!observability.log().equals(running.observability.log())) changed.add("log");
    if (!telemetrySettings(observability.telemetry()).equals(telemetrySettings(running.observability.telemetry()))) {
      changed.add("telemetry");
    }
    return changed;
  }

  public ProxyConfig withServer(ServerConfig newServer) {
    return new ProxyConfig(source, newServer, databaseFile, providers, models, context, sanitizer, compaction, agents,
        clients, guardrails, governance, routing, observability, postgres, shared, inbound);
  }

  private static boolean sameUrl(Secret a, Secret b) {
    return a == null ? b == null : b != null && a.reveal().equals(b.reveal());
  }

  /** A telemetry section compared by value: its header values are secrets, equal only by identity. */
  private static List<Object> telemetrySettings(TelemetryConfig t) {
    List<Object> settings = new ArrayList<>(List.of(t.enabled(), t.endpoint(), t.serviceName(), t.headers().keySet()));
    t.headers().values().forEach(v -> settings.add(v.reveal()));
    return settings;
  }
}
