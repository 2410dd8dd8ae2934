package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final Path FILE = Path.of("/home/user/kimi/bad.toml");
  private static final String PROVIDER = """
      [providers.groq]
      base_url = "https://api.groq.com/openai/v1"
      api_key = "${GROQ_API_KEY}"
      """;

  /** Each mistake, the key the message must name, and a word of the problem. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[server]\\nprot = 8000|server.prot|unknown key",
      "[server]\\nport = \"8000\"|server.port|expected an integer",
      "[server]\\nport = 70000|server.port|out of range",
      "[server]\\napi_keys = \"one\"|server.api_keys|expected an array",
      "[server]\\nhost = \"0.0.0.0\"|server.host|api_keys",
      "[tracing]\\nenabled = true|tracing|unknown section",
      "[log]\\nlevel = \"loud\"|log.level|debug, info, warn, error",
      "[log]\\nformat = \"xml\"|log.format|text, json",
      "[telemetry]\\nendpoint = \"grpc://h:4317\"|telemetry.endpoint|http or https",
      "server = 5|server|expected a table",
      "[providers.p]\\nbase_url = \"not a url\"|providers.p.base_url|not a valid URL",
      "[providers.p]\\nbase_url = \"ftp://files.example.com\"|providers.p.base_url|http(s)",
      "[providers.p]\\nbase_url = \"localhost:8080\"|providers.p.base_url|http(s)",
      "[providers.p]\\napi_key = \"x\"|providers.p.base_url|required",
      "[providers.p]\\nbase_url = \"http://h\"\\ntype = \"soap\"|providers.p.type|wire format",
      "[providers.p]\\nbase_url = \"http://h\"\\ntimeout_s = 1.5|providers.p.timeout_s|expected an integer",
      "[providers.p]\\nbase_url = \"http://h\"\\napi_kee = \"x\"|providers.p.api_kee|unknown key",
      "[models.\"groq/llama\"]\\nprovider = \"groq\"\\nmodel = \"x\"|models.\"groq/llama\".provider|not a configured provider",
      "[models.m]\\nmodel = \"x\"|models.m.provider|required",
      "[models.m]\\nprovider = \"nope\"\\nmodel = \"x\"\\nmax_context = \"big\"|models.m.provider|not a configured provider",
      "[providers.p]\\nbase_url = \"http://h\"\\n[models.m]\\nprovider = \"p\"\\nmodel = \"x\"\\ninput_price = \"cheap\"|models.m.input_price|expected a number",
      "[providers.p]\\nbase_url = \"http://h\"\\n[models.m]\\nprovider = \"p\"\\nmodel = \"x\"\\nfallbacks = [\"m\"]|models.m.fallbacks|another model alias",
      "[server\\nport = 1|line 1|"})
  void should_fail_with_one_line_naming_the_file_and_key(String toml, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(toml.replace("\\n", "\n")));
    String message = e.getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.startsWith("bad.toml: "), message);
    assertTrue(message.contains(key), "names " + key + ": " + message);
    assertTrue(problem == null || message.contains(problem), "says " + problem + ": " + message);
  }

  @Test
  void should_accept_a_non_loopback_host_when_client_keys_are_set() {
    ProxyConfig config = parse("[server]\nhost = \"0.0.0.0\"\napi_keys = [\"${CLIENT_KEY}\"]", Map.of("CLIENT_KEY", "k-123456"));
    assertTrue(config.server().authRequired());
    assertTrue(config.server().apiKeys().get(0).matches("k-123456"));
  }

  @Test
  void should_refuse_a_non_loopback_host_when_the_client_key_variable_is_unset() {
    assertThrows(ConfigException.class, () -> parse("[server]\nhost = \"0.0.0.0\"\napi_keys = [\"${CLIENT_KEY}\"]"));
  }

  @Test
  void should_expand_environment_variables_with_defaults() {
    Map<String, String> env = Map.of("HOST", "api.example.com", "EMPTY", "");
    assertEquals("https://api.example.com/v1", ConfigLoader.expand("https://${HOST}/v1", env));
    assertEquals("fallback", ConfigLoader.expand("${MISSING:-fallback}", env));
    assertEquals("fallback", ConfigLoader.expand("${EMPTY:-fallback}", env), "an empty variable counts as unset");
    assertEquals("api.example.com", ConfigLoader.expand("${HOST:-fallback}", env));
    assertEquals("", ConfigLoader.expand("${MISSING}", env));
    assertEquals("a-api.example.com-b-", ConfigLoader.expand("a-${HOST}-b-${MISSING}", env));
    assertEquals("cost $5 {not a var}", ConfigLoader.expand("cost $5 {not a var}", env));
  }

  @Test
  void should_read_the_provider_key_from_the_environment_and_remember_its_variable() {
    ProxyConfig set = parse(PROVIDER, Map.of("GROQ_API_KEY", "gsk_abcdef123456"));
    assertTrue(set.providers().get("groq").configured());
    assertEquals("gsk_abcdef123456", set.providers().get("groq").apiKey().reveal());

    ProviderConfig unset = parse(PROVIDER).providers().get("groq");
    assertFalse(unset.configured());
    assertNull(unset.apiKey());
    assertEquals("GROQ_API_KEY", unset.apiKeyEnv());
    assertTrue(unset.missingKeyMessage().contains("GROQ_API_KEY"), unset.missingKeyMessage());
  }

  @Test
  void should_treat_a_provider_without_api_key_as_keyless() {
    assertTrue(parse("[providers.local]\nbase_url = \"http://127.0.0.1:11434/v1\"").providers().get("local").configured());
  }

  @Test
  void should_resolve_a_relative_storage_path_against_the_config_folder() {
    assertEquals(Path.of("/home/user/kimi/data/kimi-proxy.db"), parse("").databaseFile());
    assertEquals(Path.of("/home/user/db/ledger.db"), parse("[storage]\npath = \"../db/ledger.db\"").databaseFile());
    assertEquals(Path.of("/var/lib/kimi/ledger.db"), parse("[storage]\npath = \"/var/lib/kimi/ledger.db\"").databaseFile());
    assertEquals(Path.of("/srv/ledger.db"), parse("[storage]\npath = \"${DB:-/srv/ledger.db}\"").databaseFile());
  }

  @Test
  void should_read_models_with_prices_and_strip_a_trailing_slash_of_the_url() {
    ProxyConfig config = parse(PROVIDER + """
        [models."groq/llama-3.3-70b"]
        provider = "groq"
        model = "llama-3.3-70b-versatile"
        max_context = 131072
        input_price = 0.59
        output_price = 1
        """.replace("openai/v1\"", "openai/v1/\""));
    ModelConfig model = config.models().get("groq/llama-3.3-70b");
    assertEquals("llama-3.3-70b-versatile", model.upstreamModel());
    assertEquals(131072, model.maxContext());
    assertEquals(0.59, model.inputPrice());
    assertEquals(1.0, model.outputPrice(), "an integer price is a price too");
    assertEquals("https://api.groq.com/openai/v1", config.providers().get("groq").baseUrl().toString());
  }

  @Test
  void should_load_the_shipped_config() {
    ProxyConfig config = ConfigLoader.load(Path.of("config.toml"), Map.of());
    assertEquals("127.0.0.1", config.server().host());
    assertFalse(config.models().isEmpty());
    config.models().values().forEach(m -> assertTrue(config.providers().containsKey(m.provider()), m.alias()));
  }

  @Test
  void should_name_the_file_that_cannot_be_read() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("no-such-dir/none.toml"), Map.of()));
    assertTrue(e.getMessage().contains("none.toml"), e.getMessage());
  }

  private static ProxyConfig parse(String toml) {
    return parse(toml, Map.of());
  }

  private static ProxyConfig parse(String toml, Map<String, String> env) {
    return ConfigLoader.parse(toml, FILE, env);
  }
}
