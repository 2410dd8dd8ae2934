package io.kimiproxy.api;

import io.kimiproxy.config.ConfigException;
import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.db.SqliteBackup;
import io.kimiproxy.core.util.PrivateFiles;
import io.vertx.core.Vertx;
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
        serve(config);
      }
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("kimi-proxy: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void serve(ProxyConfig config) {
    Vertx vertx = Vertx.vertx();
    ProxyServer.start(vertx, config)
        .onSuccess(server -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
          } catch (Exception ignored) {
            // shutting down anyway
          }
          vertx.close();
        }, "kimi-proxy-shutdown")))
        .onFailure(e -> {
          System.err.println("kimi-proxy: cannot start: " + e.getMessage());
          vertx.close().onComplete(v -> System.exit(1));
        });
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
