package io.kimiproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http will not send (a foreign Host header,
 * contradictory framing headers, oversize heads). Answers are read to the end of the stream: the
 * request asks the server to close the connection, or the server closes it on its own.
 */
public final class RawHttp {
  private RawHttp() {}

  /** @return the whole answer: status line, headers and body */
  public static String get(int port, String path, String host) {
    return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }

  /**
   * Sends the bytes as they are and reads until the server closes the connection.
   *
   * @return everything the server sent: one answer or several
   * @throws UncheckedIOException (a SocketTimeoutException) when the connection stays open 30 s
   */
  public static String exchange(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int status(String answer) {
    return Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
  }

  /** The first value of a header in the answer's head (names in any case), or null. */
  public static String header(String answer, String name) {
    int end = answer.indexOf("\r\n\r\n");
    for (String line : answer.substring(0, end < 0 ? answer.length() : end).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
    }
    return null;
  }

  /** What follows the answer's head (with several answers, the rest of them too). */
  public static String body(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    return end < 0 ? "" : answer.substring(end + 4);
  }
}
