package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.util.SecretScrubber;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** [storage] type = "postgres", [shared] and [keys.NAME]: optional, strict, and secret where they hold secrets. */
class TeamConfigTest {
  private static final Map<String, String> ENV = Map.of("DB", "postgresql://kp:s3cretpass@db:5432/kimi",
      "REDIS", "redis://:r3dispass@cache:6379", "ALICE_KEY", "alice-key-123456");

  private static ProxyConfig parse(String text) {
    return ConfigLoader.parse(text, Path.of("/home/user/kimi/config.toml"), ENV);
  }

  @Test
  void should_stay_solo_without_team_tables() {
    ProxyConfig config = parse("");
    assertNull(config.postgres());
    assertNull(config.shared());
    assertTrue(config.server().keys().isEmpty());
  }

  @Test
  void should_read_postgres_and_redis_and_keep_their_passwords_secret() {
    ProxyConfig config = parse("""
        [storage]
        type = "postgres"
        url = "${DB}"
        pool_size = 4

        [shared]
        redis_url = "${REDIS}"
        on_failure = "closed"
        """);
    assertEquals(4, config.postgres().poolSize());
    assertEquals(false, config.shared().failOpen());
    assertEquals(1000, config.shared().timeoutMs());
    assertEquals("[secret]", config.postgres().url().toString());
    String scrubbed = new SecretScrubber(config.secrets()).scrub("auth failed for s3cretpass and r3dispass");
    assertEquals("auth failed for [redacted] and [redacted]", scrubbed);
  }

  @Test
  void should_name_keys_and_turn_their_budgets_and_limits_into_scopes() {
    ProxyConfig config = parse("""
        [server]
        api_keys = ["shared-key-0001"]

        [keys.alice]
        key_env = "ALICE_KEY"
        budget_usd_daily = 5.0
        rpm = 30
        models = ["m"]

        [quotas."client:alice"]
        monthly_usd = 50
        """);
    assertEquals(List.of("key-1", "alice"), List.copyOf(config.server().keyNames()));
    assertEquals(List.of("m"), config.server().keys().get(1).models());
    assertEquals(30, config.governance().rateLimits().scopes().get("client:alice").rpm());
    assertEquals(2, config.governance().budgets().stream().filter(b -> b.scope().equals("client:alice")).count());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[storage]\\ntype = \"mysql\"|storage.type",
      "[storage]\\ntype = \"postgres\"|storage.url",
      "[storage]\\ntype = \"postgres\"\\nurl = \"${DB}\"\\npath = \"x.db\"|storage.path",
      "[storage]\\nurl = \"${DB}\"|storage.url",
      "[shared]\\nredis_url = \"${REDIS}\"\\non_failure = \"maybe\"|shared.on_failure",
      "[shared]\\nredis_url = \"http://cache\"|shared.redis_url",
      "[keys.alice]\\nkey_env = \"UNSET_VAR\"|keys.alice.key_env",
      "[keys.key-2]\\nkey_env = \"ALICE_KEY\"|keys.key-2",
      "[keys.alice]\\nkey_env = \"ALICE_KEY\"\\nbudget = 3|keys.alice.budget"})
  void should_refuse_a_team_setting_that_is_wrong(String text, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(text.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
