package io.kimiproxy.features.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.db.SqliteLedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.testing.TestProxy;
import io.kimiproxy.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub against clients that misbehave: raw sockets that never answer a ping or never read.
 * (Browsers answer pings on their own; LiveFeedTest covers well-behaved clients.)
 */
class LiveHubTest {
  private Vertx vertx;
  private Database database;
  private LiveHub hub;
  private HttpServer server;

  private void start(long heartbeatMs) throws IOException {
    vertx = TestVertx.create();
    Path folder = Files.createTempDirectory("kimi-proxy-hub");
    database = TestProxy.await(Database.open(vertx, folder.resolve("hub.db")));
    SqliteLedgerStore store = new SqliteLedgerStore(database.pool());
    LedgerWriter writer = new LedgerWriter(vertx, store, e -> false, 25, 1000);
    LiveSnapshot snapshot = new LiveSnapshot(store, writer, ConfigLoader.parse("", folder.resolve("config.toml"), Map.of()));
    hub = new LiveHub(vertx, snapshot, heartbeatMs);
    server = TestProxy.await(vertx.createHttpServer()
        .requestHandler(request -> request.toWebSocket().onSuccess(hub::accept))
        .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    if (vertx == null) return;
    TestProxy.await(hub.close());
    TestProxy.await(database.close());
    TestProxy.await(vertx.close());
  }

  @Test
  void should_close_a_client_that_does_not_answer_pings() throws Exception {
    start(200);
    try (RawClient client = new RawClient(server.actualPort(), 64 * 1024)) {
      assertTrue(client.nextText().contains("\"type\":\"init\""));
      long start = System.nanoTime();
      int code = client.closeCode();
      long afterMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1001, code);
      assertTrue(afterMs >= 200 && afterMs < 5_000, "closed after " + afterMs + " ms");
      waitFor(() -> hub.clientCount() == 0);
    }
  }

  @Test
  void should_keep_publishing_fast_and_drop_for_a_client_that_does_not_read() throws Exception {
    start(60_000);
    try (RawClient client = new RawClient(server.actualPort(), 4096)) {
      assertTrue(client.nextText().contains("\"type\":\"init\""));
      waitFor(() -> hub.clientCount() == 1);
      String filler = "x".repeat(8 * 1024);
      long start = System.nanoTime();
      for (int i = 0; i < 4000; i++) hub.publish("request", new JsonObject().put("n", i).put("filler", filler));
      long publishMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(publishMs < 1_000, "4000 publishes took " + publishMs + " ms");
      waitFor(() -> hub.droppedEvents() > 0);
      // Once it reads again, it is told what it missed by a fresh snapshot.
      for (;;) {
        String text = client.nextText();
        if (text.contains("\"type\":\"init\"")) {
          assertTrue(new JsonObject(text).getJsonObject("data").getJsonObject("server").getLong("dropped") > 0);
          break;
        }
      }
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 20 s");
      Thread.sleep(20);
    }
  }

  /** A WebSocket client by hand: it answers nothing and reads only when asked. */
  private static final class RawClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private final DataInputStream in;

    RawClient(int port, int receiveBuffer) throws IOException {
      socket.setReceiveBufferSize(receiveBuffer);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      in = new DataInputStream(socket.getInputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
      if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException("handshake refused: " + head);
    }

    /** The next text message, skipping pings. */
    String nextText() throws IOException {
      for (;;) {
        Frame frame = frame();
        if (frame.opcode == 1) return new String(frame.payload, StandardCharsets.UTF_8);
        if (frame.opcode == 8) throw new IOException("closed by the server");
      }
    }

    /** Reads until the server's close frame; its status code. */
    int closeCode() throws IOException {
      for (;;) {
        Frame frame = frame();
        if (frame.opcode == 8) return ((frame.payload[0] & 0xff) << 8) | (frame.payload[1] & 0xff);
      }
    }

    private record Frame(int opcode, byte[] payload) {}

    private Frame frame() throws IOException {
      int first = in.readUnsignedByte();
      long length = in.readUnsignedByte() & 0x7f; // server frames are never masked
      if (length == 126) length = in.readUnsignedShort();
      else if (length == 127) length = in.readLong();
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(first & 0x0f, payload);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
