package io.kimiproxy.api;

import io.kimiproxy.config.ConfigException;
import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.LogConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.db.SqliteBackup;
import io.kimiproxy.core.util.PrivateFiles;
import io.kimiproxy.features.logs.LogOutput;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar kimi-proxy.jar [--config FILE] [--host H] [--port N]} starts the proxy;
 * {@code java -jar kimi-proxy.jar backup [--config FILE] [--out DIR] [--keep N]} copies the live
 * database. A bad configuration ends the process with one line on stderr, no stack trace.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.setProperty("java.util.logging.SimpleFormatter.format",
        System.getProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$-7s %3$s - %5$s%6$s%n"));
    System.setProperty("vertx.disableDnsResolver", System.getProperty("vertx.disableDnsResolver", "true"));
    try {
      CommandLine cli = CommandLine.parse(args);
      ProxyConfig config = ConfigLoader.load(cli.config(), System.getenv());
      config = config.withServer(config.server().withListen(
          cli.host() != null ? cli.host() : config.server().host(),
          cli.port() != null ? cli.port() : config.server().port()));
      ConfigLoader.checkListen(config);
      if (cli.command().equals("backup")) {
        backup(config, cli);
      } else {
        serve(config, logOutput(config, cli), cli.urlFile());
      }
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("kimi-proxy: " + e.getMessage());
      System.exit(2);
    }
  }

  /** The log as [log] says, its file replaced by --log-file; the console unless --quiet. */
  private static LogOutput logOutput(ProxyConfig config, CommandLine cli) {
    LogConfig log = config.observability().log();
    if (cli.logFile() != null) log = log.withFile(cli.logFile().toAbsolutePath());
    try {
      return LogOutput.install(log, cli.quiet() ? null : System.err);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the log file " + log.file() + ": " + e.getMessage());
    }
  }

  private static void serve(ProxyConfig config, LogOutput log, Path urlFile) {
    Vertx vertx = Vertx.vertx();
    ProxyServer.start(vertx, config)
        .onSuccess(server -> {
          announce(urlFile, config.server().host(), server.port());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
              // shutting down anyway
            }
            vertx.close();
            forget(urlFile);
            log.close();
          }, "kimi-proxy-shutdown"));
        })
        .onFailure(e -> {
          System.err.println("kimi-proxy: cannot start: " + e.getMessage());
          log.close();
          vertx.close().onComplete(v -> System.exit(1));
        });
  }

  /** Where the proxy listens, for `bin/kimi-proxy status` (also of a proxy started in the foreground). */
  private static void announce(Path urlFile, String host, int port) {
    if (urlFile == null) return;
    String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    try {
      Files.writeString(urlFile, "http://" + shown + ":" + port + "\n");
    } catch (IOException e) {
      System.err.println("kimi-proxy: cannot write " + urlFile + ": " + e.getMessage());
    }
  }

  private static void forget(Path urlFile) {
    if (urlFile == null) return;
    try {
      Files.deleteIfExists(urlFile);
    } catch (IOException ignored) {
      // a stale address file is harmless: status checks /health before trusting it
    }
  }

  private static void backup(ProxyConfig config, CommandLine cli) {
    if (config.postgres() != null) {
      System.err.println("kimi-proxy: the ledger is in PostgreSQL ([storage] type = \"postgres\"): back it up with pg_dump");
      System.exit(2);
    }
    Path folder = cli.out() != null ? cli.out() : config.databaseFile().toAbsolutePath().getParent().resolve("backups");
    Path target = folder.resolve("kimi-proxy-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")) + ".db");
    try {
      PrivateFiles.folder(folder);
      SqliteBackup.copy(config.databaseFile(), target);
      System.out.println(target);
      try (Stream<Path> files = Files.list(folder)) {
        List<Path> old = files.filter(p -> p.getFileName().toString().matches("kimi-proxy-\\d{8}-\\d{6}(-\\d{3})?\\.db"))
            .sorted().toList();
        for (int i = 0; i < old.size() - cli.keep(); i++) Files.delete(old.get(i));
      }
    } catch (Exception e) {
      System.err.println("kimi-proxy: backup failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
