package io.kimiproxy.features.logs;

import io.kimiproxy.config.LogConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Where the process's log goes, as {@code [log]} says: every logger (the proxy's, Vert.x's and
 * Netty's through JUL) at the configured level, formatted as text or JSON lines, to the console
 * and to the rotated log file, both written off the calling thread.
 */
public final class LogOutput implements AutoCloseable {
  private final Handler handler;
  private final Handler[] replaced;
  private final Level previousLevel;

  private LogOutput(Handler handler, Handler[] replaced, Level previousLevel) {
    this.handler = handler;
    this.replaced = replaced;
    this.previousLevel = previousLevel;
  }

  /**
   * Replaces the root logger's handlers (until {@link #close}).
   *
   * @param console where lines also go (a proxy in the foreground writes to its terminal too), or null
   * @throws IOException when the log file cannot be opened
   */
  public static LogOutput install(LogConfig config, PrintStream console) throws IOException {
    RotatingFile file = config.file() == null ? null : new RotatingFile(config.file(), config.maxBytes(), config.keep());
    Handler handler = new AsyncLogHandler(console, file);
    handler.setFormatter(new LineFormatter(config.json()));
    Level level = level(config.level());
    handler.setLevel(level);
    Logger root = LogManager.getLogManager().getLogger("");
    Handler[] replaced = root.getHandlers();
    Level previousLevel = root.getLevel();
    for (Handler old : replaced) root.removeHandler(old);
    root.setLevel(level);
    root.addHandler(handler);
    return new LogOutput(handler, replaced, previousLevel);
  }

  static Level level(LogConfig.Level level) {
    return switch (level) {
      case DEBUG -> Level.FINE;
      case INFO -> Level.INFO;
      case WARN -> Level.WARNING;
      case ERROR -> Level.SEVERE;
    };
  }

  /** Writes what is queued, closes the file and gives the root logger its handlers back. */
  @Override
  public void close() {
    Logger root = Logger.getLogger("");
    root.removeHandler(handler);
    handler.close();
    for (Handler old : replaced) root.addHandler(old);
    root.setLevel(previousLevel);
  }
}
