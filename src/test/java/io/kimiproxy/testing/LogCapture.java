package io.kimiproxy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects every log line the proxy's process writes (through JUL, where SLF4J, Vert.x and Netty
 * also end up), formatted as they would be printed, stack traces included. The proxy's own loggers
 * are opened to every level while capturing, so debug lines are checked too. Lines of WireMock and
 * its Jetty are left out: they play the provider, which legitimately knows its key.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private static final String PROXY_LOGGERS = "io.kimiproxy";

  private final SimpleFormatter formatter = new SimpleFormatter();
  private final List<String> lines = new ArrayList<>();
  private final Logger proxyLogger = Logger.getLogger(PROXY_LOGGERS);
  private final Level previousLevel = proxyLogger.getLevel();

  private LogCapture() {
    setLevel(Level.ALL);
  }

  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.proxyLogger.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    String name = record.getLoggerName() == null ? "" : record.getLoggerName();
    if (name.startsWith("com.github.tomakehurst") || name.startsWith("wiremock") || name.startsWith("org.eclipse.jetty")) {
      return;
    }
    String line = formatter.format(record);
    synchronized (lines) {
      lines.add(line);
    }
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void flush() {
    // lines are kept in memory
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
    proxyLogger.setLevel(previousLevel);
  }
}
