package io.kimiproxy.testing.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Redis as a local process: {@code redis-server} on a random port of 127.0.0.1, working in
 * a temporary folder, without persistence. {@link #kill()} ends it abruptly (what a crash looks
 * like to the proxy); {@link #start()} brings it back on the same port, empty.
 */
public class LocalRedis {
  private Path dir;
  private int port;
  private Process process;

  /** Stops the engine and removes its folder. */
  public void remove() {
    stop();
    LocalProcess.delete(dir);
  }

  public synchronized void start() {
    if (process != null && process.isAlive()) return;
    if (dir == null) {
      dir = LocalProcess.tempDir("kp-redis");
      port = LocalProcess.freePort();
    }
    process = LocalProcess.start(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no"), dir.resolve("redis.log"));
    LocalProcess.awaitReady(process, this::answersPing, dir.resolve("redis.log"));
  }

  /** A clean stop. */
  public synchronized void stop() {
    LocalProcess.stop(process, "TERM");
    process = null;
  }

  /** An abrupt end: SIGKILL, connections cut without a word. */
  public synchronized void kill() {
    LocalProcess.stop(process, "KILL");
    process = null;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }
}
