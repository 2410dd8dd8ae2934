package io.kimiproxy.api;

import java.nio.file.Path;

/** The command line: an optional command (serve, backup) and its options. */
record CommandLine(String command, Path config, String host, Integer port, Path out, int keep) {

  static CommandLine parse(String[] args) {
    String command = "serve";
    Path config = Path.of("config.toml");
    String host = null;
    Integer port = null;
    Path out = null;
    int keep = 10;
    int i = 0;
    if (args.length > 0 && !args[0].startsWith("-")) command = args[i++];
    if (!command.equals("serve") && !command.equals("backup")) {
      throw new IllegalArgumentException("unknown command '" + command + "' (serve, backup)");
    }
    for (; i < args.length; i++) {
      String arg = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (arg) {
        case "--config" -> config = Path.of(need(arg, value));
        case "--host" -> host = need(arg, value);
        case "--port" -> port = number(arg, need(arg, value), 0, 65535);
        case "--out" -> out = Path.of(need(arg, value));
        case "--keep" -> keep = number(arg, need(arg, value), 1, 1000);
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
      i++;
    }
    return new CommandLine(command, config, host, port, out, keep);
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
