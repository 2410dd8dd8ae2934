package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Team mode's settings: {@code [storage] type = "postgres"} with its {@code url}, {@code [shared]}
 * (Redis) and the named keys {@code [keys.NAME]}. All optional: without them the proxy is the solo
 * one, on its SQLite file, with nothing else to start.
 */
final class TeamSections {
  private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern POSITIONAL = Pattern.compile("key-\\d+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private TeamSections() {}

  /** The PostgreSQL settings of {@code [storage]}, or null for SQLite. */
  static PostgresConfig postgres(TomlSection storage) {
    String type = storage.string("type", "sqlite");
    int poolSize = (int) storage.integer("pool_size", 8, 1, 256);
    String url = storage.string("url", null);
    switch (type) {
      case "sqlite" -> {
        if (url != null) throw storage.error("url", "is for type = \"postgres\"; SQLite uses path");
        return null;
      }
      case "postgres" -> {
        if (storage.has("path")) throw storage.error("path", "is for type = \"sqlite\"; PostgreSQL uses url");
        if (url == null || url.isBlank()) {
          throw storage.error("url", "is required with type = \"postgres\" (postgresql://user:password@host:5432/database)");
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
          throw storage.error("url", "must start with postgresql://");
        }
        return new PostgresConfig(Secret.ofNullable(url), poolSize);
      }
      default -> throw storage.error("type", "'" + type + "' is not a storage type (sqlite, postgres)");
    }
  }

  /** {@code [shared]}, or null when no Redis is configured. */
  static SharedConfig shared(TomlSection s, String defaultInstance) {
    String url = s.string("redis_url", null);
    String onFailure = s.string("on_failure", "open");
    long timeout = s.integer("timeout_ms", 1_000, 10, 60_000);
    String instance = s.string("instance", defaultInstance);
    s.finish();
    if (!onFailure.equals("open") && !onFailure.equals("closed")) {
      throw s.error("on_failure", "'" + onFailure + "' is not open or closed");
    }
    if (url == null || url.isBlank()) return null;
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw s.error("redis_url", "must start with redis:// (or rediss:// for TLS)");
    }
    return new SharedConfig(Secret.ofNullable(url), onFailure.equals("open"), timeout, instance);
  }

  /**
   * {@code [keys.NAME]}: a team member's key (read from the variable {@code key_env}), the models it
   * may call, and its own budgets and limits, which join those of the rest of the file.
   */
  static List<ClientKey> keys(TomlSection section, Map<String, String> env, Map<String, ScopeLimits> limits,
                              List<BudgetConfig> budgets) {
    List<ClientKey> out = new ArrayList<>();
    for (String name : section.keys()) {
      TomlSection k = section.section(name);
      if (!KEY_NAME.matcher(name).matches() || POSITIONAL.matcher(name).matches()) {
        throw k.error(null, "a key's name is letters, digits, '.', '_' or '-' (at most 64), and not key-N, "
            + "which names the entries of server.api_keys");
      }
      String variable = k.requiredString("key_env");
      if (!ENV_NAME.matcher(variable).matches()) throw k.error("key_env", "'" + variable + "' is not a variable name");
      Secret key = Secret.ofNullable(env.get(variable));
      if (key == null) throw k.error("key_env", "the environment variable " + variable + " is not set");
      List<String> models = k.strings("models");
      ScopeLimits rate = GovernanceSections.limits(k);
      if (rate.any()) limits.put("client:" + name, rate);
      double daily = k.decimal("budget_usd_daily", -1, 0);
      double monthly = k.decimal("budget_usd_monthly", -1, 0);
      k.finish();
      if (daily >= 0) budgets.add(new BudgetConfig("client:" + name, BudgetConfig.Period.DAY, BudgetConfig.Metric.USD, daily, true));
      if (monthly >= 0) {
        budgets.add(new BudgetConfig("client:" + name, BudgetConfig.Period.MONTH, BudgetConfig.Metric.USD, monthly, true));
      }
      out.add(new ClientKey(name, key, List.copyOf(models)));
    }
    return out;
  }

  /** The secrets inside a URL: the whole of it and its password, which an error message may quote alone. */
  static List<Secret> urlSecrets(Secret url) {
    if (url == null) return List.of();
    List<Secret> out = new ArrayList<>(List.of(url));
    Matcher userInfo = Pattern.compile("^[a-z]+://[^:/@]*:([^@/]+)@").matcher(url.reveal());
    if (userInfo.find()) {
      Secret password = Secret.ofNullable(userInfo.group(1));
      if (password != null) out.add(password);
    }
    return out;
  }
}
