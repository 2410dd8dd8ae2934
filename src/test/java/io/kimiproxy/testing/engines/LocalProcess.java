package io.kimiproxy.testing.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the engines' harnesses share: a program run as a local process in a temporary folder, on a
 * random port, its output in a log file there; a signal to stop it; the folder removed after. A
 * JVM shutdown hook kills whatever a test run left behind, so an aborted run leaves no engine.
 */
final class LocalProcess {
  private static final long READY_TIMEOUT_MS = 60_000;
  private static final List<Process> RUNNING = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (RUNNING) {
        RUNNING.forEach(Process::destroyForcibly);
      }
    }));
  }

  private LocalProcess() {}

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code command}, its output appended to {@code log}. */
  static Process start(List<String> command, Path log) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      synchronized (RUNNING) {
        RUNNING.add(process);
      }
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  /** Runs {@code command} to its end; fails with its output when it does not exit 0. */
  static void run(List<String> command, Path log) {
    Process process = start(command, log);
    try {
      if (!process.waitFor(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish; see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      forget(process);
    }
  }

  /** Waits until {@code ready} holds, failing with the log's end when the process dies or time runs out. */
  static void awaitReady(Process process, BooleanSupplier ready, Path log) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) throw new IllegalStateException("the engine exited: " + tail(log));
      if (System.nanoTime() > deadline) throw new IllegalStateException("the engine is not ready: " + tail(log));
      sleep(50);
    }
  }

  /** Sends a signal ("INT", "TERM", "KILL") and waits for the process to end. */
  static void stop(Process process, String signal) {
    if (process == null || !process.isAlive()) return;
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      forget(process);
    }
  }

  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void forget(Process process) {
    synchronized (RUNNING) {
      RUNNING.remove(process);
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
