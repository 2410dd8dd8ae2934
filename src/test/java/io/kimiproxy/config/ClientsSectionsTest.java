package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientsSectionsTest {
  private static final Path FILE = Path.of("/etc/kimi/config.toml");

  private static ProxyConfig parse(String text) {
    return ConfigLoader.parse(text, FILE, Map.of("LOGS", "/var/log/continue"));
  }

  @Test
  void should_default_to_the_clients_own_folders_and_a_minute_of_idleness() {
    ClientsConfig clients = parse("").clients();

    assertEquals(60_000, clients.idleAfterMs());
    assertTrue(clients.cline().enabled());
    assertTrue(clients.cline().path().endsWith(Path.of("saoudrizwan.claude-dev", "state", "taskHistory.json")));
    assertEquals(30_000, clients.cline().pollMs());
    assertEquals(600_000, clients.cline().maxPollMs());
    assertTrue(clients.continueLog().path().endsWith(Path.of(".continue", "logs", "core.log")));
  }

  @Test
  void should_read_paths_relative_to_the_config_or_the_home_folder() {
    ClientsConfig clients = parse("""
        [clients]
        idle_after_s = 0.5
        [importers.cline]
        path = "cline/taskHistory.json"
        enabled = false
        poll_s = 5
        max_poll_s = 20
        [importers.continue]
        path = "${LOGS}/core.log"
        """).clients();

    assertEquals(500, clients.idleAfterMs());
    assertEquals(Path.of("/etc/kimi/cline/taskHistory.json"), clients.cline().path());
    assertFalse(clients.cline().enabled());
    assertEquals(20_000, clients.cline().maxPollMs());
    assertEquals(Path.of("/var/log/continue/core.log"), clients.continueLog().path());
    assertEquals(Path.of("/home/u/x.log"), ClientsSections.resolve("~/x.log", FILE.getParent(), "/home/u"));
  }

  @Test
  void should_know_where_cline_keeps_its_history_on_each_system() {
    assertEquals(Path.of("/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/state/taskHistory.json"),
        ClientsSections.defaultClinePath("Linux", "/home/u", Map.of()));
    assertEquals(Path.of("/Users/u/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/state/taskHistory.json"),
        ClientsSections.defaultClinePath("Mac OS X", "/Users/u", Map.of()));
    assertEquals(Path.of("/appdata/Code/User/globalStorage/saoudrizwan.claude-dev/state/taskHistory.json"),
        ClientsSections.defaultClinePath("Windows 11", "/home/u", Map.of("APPDATA", "/appdata")));
    assertEquals(Path.of("/opt/continue/logs/core.log"),
        ClientsSections.defaultContinuePath("/home/u", Map.of("CONTINUE_GLOBAL_DIR", "/opt/continue")));
  }

  @Test
  void should_reject_unknown_keys_and_bad_values_naming_the_key() {
    ConfigException unknown = assertThrows(ConfigException.class, () -> parse("[importers.cline]\npth = \"x\"\n"));
    ConfigException unknownImporter = assertThrows(ConfigException.class, () -> parse("[importers.roo]\npath = \"x\"\n"));
    ConfigException order = assertThrows(ConfigException.class, () -> parse("[importers.continue]\npoll_s = 10\nmax_poll_s = 5\n"));
    ConfigException type = assertThrows(ConfigException.class, () -> parse("[clients]\nidle_after_s = \"soon\"\n"));

    assertTrue(unknown.getMessage().contains("importers.cline.pth: unknown key"), unknown.getMessage());
    assertTrue(unknownImporter.getMessage().contains("importers.roo: unknown key"), unknownImporter.getMessage());
    assertTrue(order.getMessage().contains("importers.continue.max_poll_s"), order.getMessage());
    assertTrue(type.getMessage().contains("clients.idle_after_s: expected a number"), type.getMessage());
  }
}
