package io.kimiproxy.config;

import io.kimiproxy.core.http.HostNames;
import io.kimiproxy.core.util.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * Reads config.toml into a {@link ProxyConfig}. Strings may use {@code ${VAR}} (or
 * {@code ${VAR:-default}}) to read the environment. Any problem is one {@link ConfigException}
 * naming the file, the key and what is wrong.
 */
public final class ConfigLoader {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Pattern WHOLE_VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final List<String> SECTIONS = List.of("server", "storage", "providers", "models",
      "context", "sanitizer", "compaction", "agents", "clients", "importers", "guardrails", "rate_limits", "quotas",
      "cache", "routing", "log", "telemetry", "shared", "keys", "inbound");

  private ConfigLoader() {}

  public static ProxyConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), null, "no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file.toString(), null, "permission denied");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), null, "cannot read the file: " + e.getMessage());
    }
    return parse(text, file, env);
  }

  public static ProxyConfig parse(String text, Path file, Map<String, String> env) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    TomlParseResult toml = Toml.parse(text);
    if (toml.hasErrors()) {
      var err = toml.errors().get(0);
      throw new ConfigException(name, null, "line " + err.position().line() + ": " + err.getMessage());
    }
    TomlSection root = new TomlSection(name, "", toml, s -> expand(s, env));
    for (String key : root.keys()) {
      if (!SECTIONS.contains(key)) throw root.error(key, "unknown section (known: " + String.join(", ", SECTIONS) + ")");
    }
    Map<String, ScopeLimits> limits = new LinkedHashMap<>();
    List<BudgetConfig> keyBudgets = new ArrayList<>();
    ServerConfig server = server(root.section("server"),
        TeamSections.keys(root.section("keys"), env, limits, keyBudgets));
    Path folder = Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of("."));
    TomlSection storage = root.section("storage");
    PostgresConfig postgres = TeamSections.postgres(storage);
    Path database = storage(storage, folder);
    RetentionConfig retention = retention(storage);
    storage.finish();
    SharedConfig shared = TeamSections.shared(root.section("shared"), server.host() + ":" + server.port());
    Map<String, ProviderConfig> providers = providers(root.section("providers"), limits);
    Map<String, List<String>> smart = new LinkedHashMap<>();
    Map<String, ModelConfig> models = models(root.section("models"), providers, limits, smart);
    RoutingConfig routing = RoutingSection.parse(root.section("routing"), smart);
    ContextConfig context = context(root.section("context"));
    SanitizerConfig sanitizer = sanitizer(root.section("sanitizer"));
    CompactionConfig compaction = compaction(root.section("compaction"), models);
    AgentsConfig agents = AgentsSection.parse(root.section("agents"), models);
    ClientsConfig clients = ClientsSections.parse(root.section("clients"), root.section("importers"), folder, env);
    GuardrailsConfig guardrails = GuardrailSections.guardrails(root.section("guardrails"));
    InboundConfig inbound = InboundSection.parse(root.section("inbound"), providers, models, smart);
    GovernanceConfig governance = new GovernanceConfig(
        GovernanceSections.rateLimits(root.section("rate_limits"), limits),
        GovernanceSections.quotas(root.section("quotas"), providers, models, server.keyNames(), keyBudgets),
        GovernanceSections.cache(root.section("cache"), folder),
        retention);
    ObservabilityConfig observability = ObservabilitySections.parse(root.section("log"), root.section("telemetry"), folder);
    root.finish();
    ProxyConfig config = new ProxyConfig(file, server, database, Collections.unmodifiableMap(providers),
        Collections.unmodifiableMap(models), context, sanitizer, compaction, agents, clients, guardrails, governance,
        routing, observability, postgres, shared, inbound);
    checkListen(config);
    return config;
  }

  /** A proxy reachable from other machines must demand client keys. */
  public static void checkListen(ProxyConfig config) {
    ServerConfig server = config.server();
    if (!HostNames.isLoopback(server.host()) && !server.authRequired()) {
      String name = config.source().getFileName() == null ? "config" : config.source().getFileName().toString();
      throw new ConfigException(name, "server.host",
          "'" + server.host() + "' is not a loopback address: set server.api_keys so that only your clients can spend your provider keys");
    }
  }

  static String expand(String value, Map<String, String> env) {
    if (value.indexOf('$') < 0) return value;
    Matcher m = VAR.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String resolved = env.get(m.group(1));
      if (resolved == null || resolved.isEmpty()) resolved = m.group(2) == null ? "" : m.group(2);
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** @param named the keys of [keys.NAME], after those of api_keys */
  private static ServerConfig server(TomlSection s, List<ClientKey> named) {
    String host = s.string("host", "127.0.0.1");
    int port = (int) s.integer("port", 8000, 0, 65535);
    List<ClientKey> keys = new ArrayList<>();
    for (String key : s.strings("api_keys")) {
      Secret secret = Secret.ofNullable(key);
      if (secret != null) keys.add(new ClientKey("key-" + (keys.size() + 1), secret, List.of()));
    }
    keys.addAll(named);
    long maxBodyMb = s.integer("max_body_mb", 32, 1, 1024);
    List<String> hosts = s.strings("allowed_hosts");
    List<String> origins = s.strings("allowed_origins");
    s.finish();
    return new ServerConfig(host, port, List.copyOf(keys), maxBodyMb * 1024 * 1024, hosts, origins);
  }

  private static RetentionConfig retention(TomlSection s) {
    int days = (int) s.integer("retention_days", 90, 0, 36_500);
    long vacuumHours = s.integer("vacuum_interval_h", 24, 0, 24 * 365);
    return new RetentionConfig(days, vacuumHours * 3_600_000L);
  }

  private static Path storage(TomlSection s, Path folder) {
    String path = s.string("path", "data/kimi-proxy.db");
    Path p = Path.of(path);
    return p.isAbsolute() ? p : folder.resolve(p).normalize();
  }

  private static Map<String, ProviderConfig> providers(TomlSection section, Map<String, ScopeLimits> limits) {
    Map<String, ProviderConfig> out = new LinkedHashMap<>();
    for (String name : section.keys()) {
      TomlSection p = section.section(name);
      String typeName = p.string("type", "openai");
      WireType type = WireType.parse(typeName);
      if (type == null) throw p.error("type", "'" + typeName + "' is not a wire format (openai, gemini, anthropic)");
      URI baseUrl = url(p, "base_url");
      boolean keyless = !p.has("api_key");
      String rawKey = p.rawString("api_key");
      Matcher whole = rawKey == null ? null : WHOLE_VAR.matcher(rawKey.trim());
      String keyEnv = whole != null && whole.matches() ? whole.group(1) : null;
      Secret key = Secret.ofNullable(p.string("api_key", null));
      long total = p.integer("timeout_s", Timeouts.defaultTotalSeconds(name, type), 1, 3600);
      long connect = p.integer("connect_timeout_s", Math.min(10, total), 1, 3600);
      long firstByte = p.integer("first_byte_timeout_s", total, 1, 3600);
      long idle = p.integer("idle_timeout_s", Math.min(60, total), 1, 3600);
      int maxConnections = (int) p.integer("max_connections", 64, 1, 4096);
      Map<String, String> headers = p.stringMap("headers");
      ScopeLimits rate = GovernanceSections.limits(p);
      if (rate.any()) limits.put("provider:" + name, rate);
      Resilience resilience = resilience(p);
      Boolean responses = optionalBool(p, "responses");
      if (responses != null && type != WireType.OPENAI) {
        throw p.error("responses", "only a provider of type \"openai\" can serve OpenAI's Responses API");
      }
      Compat compat = new Compat(optionalBool(p, "stream_options"), optionalBool(p, "max_completion_tokens"), responses);
      FallbackPrice fallbackPrice = fallbackPrice(p);
      p.finish();
      out.put(name, new ProviderConfig(name, type, baseUrl, key, keyEnv, keyless,
          new Timeouts(connect * 1000, firstByte * 1000, idle * 1000, total * 1000), maxConnections, headers,
          resilience, compat, fallbackPrice));
    }
    return out;
  }

  private static Resilience resilience(TomlSection p) {
    Resilience d = Resilience.DEFAULTS;
    int retries = (int) p.integer("max_retries", d.maxRetries(), 0, 10);
    long baseMs = p.integer("retry_base_ms", d.retryBaseMs(), 1, 60_000);
    long retryAfterMax = p.integer("retry_after_max_s", d.retryAfterMaxMs() / 1000, 0, 3600);
    int failures = (int) p.integer("breaker_failures", d.breakerFailures(), 1, 1000);
    long reset = p.integer("breaker_reset_s", d.breakerResetMs() / 1000, 1, 3600);
    return new Resilience(retries, baseMs, retryAfterMax * 1000, failures, reset * 1000);
  }

  /** Set by either key (the other then costs nothing); null when the config sets neither. */
  private static FallbackPrice fallbackPrice(TomlSection p) {
    if (!p.has("fallback_input_price") && !p.has("fallback_output_price")) return null;
    return new FallbackPrice(p.decimal("fallback_input_price", 0, 0), p.decimal("fallback_output_price", 0, 0));
  }

  /** A boolean the config may leave unset, so that the code's own default for the provider applies. */
  private static Boolean optionalBool(TomlSection p, String key) {
    return p.has(key) ? p.bool(key, false) : null;
  }

  private static Map<String, ModelConfig> models(TomlSection section, Map<String, ProviderConfig> providers,
                                                Map<String, ScopeLimits> limits, Map<String, List<String>> smart) {
    Map<String, ModelConfig> out = new LinkedHashMap<>();
    for (String alias : section.keys()) {
      TomlSection m = section.section(alias);
      if (m.has("candidates")) {
        smart.put(alias, RoutingSection.candidates(m));
        continue;
      }
      String provider = m.requiredString("provider");
      if (!providers.containsKey(provider)) {
        throw m.error("provider", "'" + provider + "' is not a configured provider (known: " + String.join(", ", providers.keySet()) + ")");
      }
      String upstream = m.requiredString("model");
      long maxContext = m.integer("max_context", 0, 0, 100_000_000);
      double input = m.decimal("input_price", 0, 0);
      double output = m.decimal("output_price", 0, 0);
      double cached = m.decimal("cached_input_price", input, 0);
      List<String> fallbacks = m.strings("fallbacks");
      ScopeLimits rate = GovernanceSections.limits(m);
      if (rate.any()) limits.put("model:" + alias, rate);
      m.finish();
      out.put(alias, new ModelConfig(alias, provider, upstream, maxContext, input, output, cached, fallbacks));
    }
    for (ModelConfig model : out.values()) {
      for (String fallback : model.fallbacks()) {
        if (!out.containsKey(fallback) || fallback.equals(model.alias())) {
          throw section.section(model.alias()).error("fallbacks", "'" + fallback + "' is not another model alias");
        }
      }
    }
    RoutingSection.check(section, smart, out);
    return out;
  }

  private static ContextConfig context(TomlSection s) {
    ContextConfig d = ContextConfig.DEFAULTS;
    long longPart = s.integer("long_part_tokens", d.longPartTokens(), 1, 10_000_000);
    long tooLong = s.integer("too_long_part_tokens", d.tooLongPartTokens(), 1, 10_000_000);
    double convergence = s.decimal("convergence_fill", d.convergenceFill(), 0.01);
    double expansion = s.decimal("expansion_fill", d.expansionFill(), 0.0);
    s.finish();
    if (tooLong <= longPart) throw s.error("too_long_part_tokens", "must be greater than long_part_tokens (" + longPart + ")");
    if (convergence > 1.0) throw s.error("convergence_fill", "is a fraction of max_context: at most 1.0");
    if (expansion >= convergence) {
      throw s.error("expansion_fill", "must be below convergence_fill (" + convergence + ") for the phases to have hysteresis");
    }
    return new ContextConfig(longPart, tooLong, convergence, expansion);
  }

  private static SanitizerConfig sanitizer(TomlSection s) {
    SanitizerConfig d = SanitizerConfig.DEFAULTS;
    SanitizerConfig config = new SanitizerConfig(
        s.bool("enabled", d.enabled()),
        s.integer("threshold_tokens", d.thresholdTokens(), 50, 10_000_000),
        (int) s.integer("preview_length", d.previewLength(), 0, 10_000),
        (int) s.integer("keep_last_tool_results", d.keepLastToolResults(), 0, 1_000),
        s.bool("redact_secrets", d.redactSecrets()));
    s.finish();
    return config;
  }

  private static CompactionConfig compaction(TomlSection s, Map<String, ModelConfig> models) {
    CompactionConfig d = CompactionConfig.DEFAULTS;
    String summarizer = s.string("summarizer_model", null);
    if (summarizer != null && !models.containsKey(summarizer)) {
      throw s.error("summarizer_model", "'" + summarizer + "' is not a model alias (known: " + String.join(", ", models.keySet()) + ")");
    }
    CompactionConfig config = new CompactionConfig(
        s.bool("enabled", d.enabled()),
        s.bool("auto", d.auto()),
        (int) s.integer("keep_last_exchanges", d.keepLastExchanges(), 1, 1_000),
        summarizer,
        s.integer("cooldown_s", d.cooldownSeconds(), 0, 86_400),
        (int) s.integer("max_consecutive_auto", d.maxConsecutiveAuto(), 1, 1_000),
        s.integer("reserved_output_tokens", d.reservedOutputTokens(), 0, 10_000_000));
    s.finish();
    return config;
  }

  private static URI url(TomlSection s, String key) {
    String value = s.requiredString(key);
    try {
      URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw s.error(key, "'" + value + "' is not an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw s.error(key, "'" + value + "' is not a valid URL");
    }
  }
}
