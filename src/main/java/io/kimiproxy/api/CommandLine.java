package io.kimiproxy.api;

import java.nio.file.Path;

/**
 * The command line: an optional command (serve, backup) and its options. {@code --log-file}
 * replaces {@code [log] file}; {@code --quiet} keeps log lines off the console (a proxy in the
 * background, whose console is nobody's); {@code --url-file} is where the address is written once
 * the proxy listens (removed when it stops), for {@code bin/kimi-proxy status}.
 */
record CommandLine(String command, Path config, String host, Integer port, Path out, int keep, Path logFile,
                   boolean quiet, Path urlFile) {

  static CommandLine parse(String[] args) {
    String command = "serve";
    Path config = Path.of("config.toml");
    String host = null;
    Integer port = null;
    Path out = null;
    int keep = 10;
    Path logFile = null;
    boolean quiet = false;
    Path urlFile = null;
    int i = 0;
    if (args.length > 0 && !args[0].startsWith("-")) command = args[i++];
    if (!command.equals("serve") && !command.equals("backup")) {
      throw new IllegalArgumentException("unknown command '" + command + "' (serve, backup)");
    }
    for (; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--quiet")) {
        quiet = true;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (arg) {
        case "--config" -> config = Path.of(need(arg, value));
        case "--host" -> host = need(arg, value);
        case "--port" -> port = number(arg, need(arg, value), 0, 65535);
        case "--out" -> out = Path.of(need(arg, value));
        case "--keep" -> keep = number(arg, need(arg, value), 1, 1000);
        case "--log-file" -> logFile = Path.of(need(arg, value));
        case "--url-file" -> urlFile = Path.of(need(arg, value));
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
      i++;
    }
    return new CommandLine(command, config, host, port, out, keep, logFile, quiet, urlFile);
  }

  private static String need(String option, String value) {
    if (value == null) throw new IllegalArgumentException(option + " needs a value");
    return value;
  }

  private static int number(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be a number from " + min + " to " + max);
  }
}
