package io.kimiproxy.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Reads {@code [clients]}, {@code [importers.cline]} and {@code [importers.continue]}. */
final class ClientsSections {
  private static final String CLINE_STATE = "saoudrizwan.claude-dev/state/taskHistory.json";

  private ClientsSections() {}

  static ClientsConfig parse(TomlSection clients, TomlSection importers, Path folder, Map<String, String> env) {
    double idleS = clients.decimal("idle_after_s", 60, 0.05);
    clients.finish();
    String home = System.getProperty("user.home", ".");
    String os = System.getProperty("os.name", "");
    ImporterConfig cline = importer(importers.section("cline"), folder, home,
        defaultClinePath(os, home, env), 30, 600);
    ImporterConfig continueLog = importer(importers.section("continue"), folder, home,
        defaultContinuePath(home, env), 10, 120);
    importers.finish();
    return new ClientsConfig(Math.round(idleS * 1000), cline, continueLog);
  }

  private static ImporterConfig importer(TomlSection s, Path folder, String home, Path fallback,
                                         double pollS, double maxPollS) {
    boolean enabled = s.bool("enabled", true);
    String path = s.string("path", null);
    double poll = s.decimal("poll_s", pollS, 0.05);
    double maxPoll = s.decimal("max_poll_s", Math.max(poll, maxPollS), 0.05);
    if (maxPoll < poll) throw s.error("max_poll_s", maxPoll + " is less than poll_s (" + poll + ")");
    if (path != null && path.isBlank()) throw s.error("path", "must not be empty");
    s.finish();
    Path file = path == null ? fallback : resolve(path, folder, home);
    return new ImporterConfig(enabled, file, Math.round(poll * 1000), Math.round(maxPoll * 1000));
  }

  /** {@code ~/} is the user's home; any other relative path is relative to the config file's folder. */
  static Path resolve(String path, Path folder, String home) {
    if (path.equals("~")) return Path.of(home);
    if (path.startsWith("~/") || path.startsWith("~\\")) return Path.of(home, path.substring(2));
    Path p = Path.of(path);
    return p.isAbsolute() ? p : folder.resolve(p).normalize();
  }

  /** Cline keeps its state in VS Code's global storage folder for the extension. */
  static Path defaultClinePath(String os, String home, Map<String, String> env) {
    String name = os.toLowerCase(Locale.ROOT);
    if (name.startsWith("windows")) {
      String appData = env.get("APPDATA");
      Path base = appData != null && !appData.isBlank() ? Path.of(appData) : Path.of(home, "AppData", "Roaming");
      return base.resolve("Code/User/globalStorage").resolve(CLINE_STATE);
    }
    if (name.startsWith("mac")) {
      return Path.of(home, "Library", "Application Support", "Code", "User", "globalStorage").resolve(CLINE_STATE);
    }
    return Path.of(home, ".config", "Code", "User", "globalStorage").resolve(CLINE_STATE);
  }

  /** Continue's folder is ~/.continue unless CONTINUE_GLOBAL_DIR moves it. */
  static Path defaultContinuePath(String home, Map<String, String> env) {
    String dir = env.get("CONTINUE_GLOBAL_DIR");
    Path base = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(home, ".continue");
    return base.resolve("logs").resolve("core.log");
  }
}
