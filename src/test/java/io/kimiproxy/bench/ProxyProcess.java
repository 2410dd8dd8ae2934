package io.kimiproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged proxy as a process of its own, so its resident memory is its alone. It listens on
 * port 0 and the bench reads the port the OS gave it from its log line: no window in which another
 * program could take a port picked in advance. It routes one alias to the canned upstream and keeps
 * its database in the bench's temporary folder.
 */
final class ProxyProcess implements AutoCloseable {
  static final List<String> JVM_OPTIONS = List.of("-Xmx256m");
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final long START_TIMEOUT_MS = 60_000;

  private final Process process;
  private final int port;

  private ProxyProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** @param extraJvmOptions for diagnosis only (a flight recording, native memory tracking); none for the figures */
  static ProxyProcess start(Path jar, Path folder, int upstreamPort, List<String> extraJvmOptions)
      throws IOException, InterruptedException {
    return start(jar, folder, config(upstreamPort, """

        [storage]
        path = "bench.db"
        """), Map.of(), extraJvmOptions);
  }

  /**
   * The bench's provider and model after the {@code [server]} table, then {@code more} (storage,
   * limits, budgets...).
   */
  static String config(int upstreamPort, String more) {
    return """
        [server]
        host = "127.0.0.1"
        port = 0

        [providers.bench]
        base_url = "http://127.0.0.1:%d/v1"
        api_key = "bench-key-not-a-secret"

        [models."%s"]
        provider = "bench"
        model = "canned-model"
        max_context = 262144
        input_price = 1.0
        output_price = 2.0
        """.formatted(upstreamPort, ChatBodies.MODEL) + more;
  }

  /** A proxy on the configuration {@code configText}, with {@code env} added to this environment. */
  static ProxyProcess start(Path jar, Path folder, String configText, Map<String, String> env,
                            List<String> extraJvmOptions) throws IOException, InterruptedException {
    Path config = folder.resolve("config.toml");
    Files.writeString(config, configText);
    Path log = folder.resolve("proxy.log");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(JVM_OPTIONS);
    command.addAll(extraJvmOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--config", config.toString(), "--port", "0"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    // A bench stopped half-way (Ctrl-C) must not leave its proxy running.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "bench-proxy-stop"));
    return new ProxyProcess(process, awaitPort(process, log));
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Resident memory now, in KiB ({@code VmRSS}). */
  long rssKib() throws IOException {
    return status("VmRSS");
  }

  /** The most resident memory so far, in KiB ({@code VmHWM}). */
  long peakRssKib() throws IOException {
    return status("VmHWM");
  }

  /** Stops the proxy as {@code kill PID} would (its shutdown hook flushes the ledger); forcibly if it hangs. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
      }
    }
    throw new IOException(field + " not in /proc/" + process.pid() + "/status");
  }

  private static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = LISTENING.matcher(text);
      if (m.find()) return Integer.parseInt(m.group(1));
      if (!process.isAlive()) {
        throw new IOException("the proxy exited with " + process.exitValue() + ":\n" + text);
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IOException("the proxy did not start within " + START_TIMEOUT_MS / 1000 + " s; its log: " + log);
  }
}
