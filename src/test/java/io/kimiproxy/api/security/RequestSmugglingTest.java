package io.kimiproxy.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.RawHttp;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 5, over a raw socket: a request whose body length can be read two ways (both
 * Content-Length and Transfer-Encoding, or a Transfer-Encoding other than exactly "chunked") is
 * answered 400 in the API's error shape and its connection closed at once (RFC 9112 §6.3), so the
 * bytes after it are never taken for a second request, and nothing waits for a body that may never
 * come. A request smuggled in the body here would switch the sanitizer off.
 */
class RequestSmugglingTest {
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] \\d{3} ");
  private static final String SMUGGLED = "POST /api/sanitizer/toggle HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"enabled\":false}";

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  private static String head(String framing) {
    return "POST /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framing + "\r\n";
  }

  /** Exactly one answer, a 400 of ours naming the framing, on a connection the server closed. */
  private static void assertRefused(TestProxy proxy, String request) {
    String answer = RawHttp.exchange(proxy.server().port(), request); // returns only once the server closed
    Matcher answers = STATUS_LINE.matcher(answer);
    int count = 0;
    while (answers.find()) count++;
    assertEquals(1, count, "answers on one connection:\n" + answer);
    assertEquals(400, RawHttp.status(answer), answer);
    assertEquals("close", RawHttp.header(answer, "Connection"), answer);
    JsonObject error = new JsonObject(RawHttp.body(answer)).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"), answer);
    assertTrue(error.getString("code").equals("ambiguous_framing") || error.getString("code").equals("malformed_request"), answer);
    assertEquals(true, new JsonObject(proxy.get("/api/sanitizer/stats").body()).getBoolean("enabled"),
        "the smuggled request was run");
  }

  /** CL.TE: a front end that reads Content-Length forwards it all; read as chunked, the body ends at "0". */
  @Test
  void should_refuse_content_length_with_chunked_and_close(TestProxy proxy) {
    String chunked = "0\r\n\r\n" + SMUGGLED;
    assertRefused(proxy, head("Content-Length: " + chunked.length() + "\r\nTransfer-Encoding: chunked\r\n") + chunked);
  }

  /** TE.CL: read by Content-Length the body is 4 bytes; the rest, a chunk that never ends, used to hang the connection. */
  @Test
  void should_refuse_chunked_with_a_short_content_length_without_waiting_for_the_body(TestProxy proxy) {
    String chunk = Integer.toHexString(SMUGGLED.length() + 2) + "\r\n" + SMUGGLED + "\r\n";
    assertRefused(proxy, head("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n") + chunk);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: chunked, identity\r\n",
      "Transfer-Encoding: identity\r\n",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n",
      "Transfer-Encoding : chunked\r\n",
      "Transfer-Encoding:\tchunked\r\nContent-Length: 3\r\n",
      "Transfer-Encoding:\r\n chunked\r\nContent-Length: 3\r\n",
      "transfer-encoding: CHUNKED\r\nContent-Length: 3\r\n"})
  void should_refuse_an_obfuscated_transfer_encoding_and_close(String framing, TestProxy proxy) {
    assertRefused(proxy, head(framing) + "0\r\n\r\n" + SMUGGLED);
  }

  @Test
  void should_refuse_transfer_encoding_on_http_1_0(TestProxy proxy) {
    assertRefused(proxy, head("Transfer-Encoding: chunked\r\n").replace("HTTP/1.1", "HTTP/1.0") + "0\r\n\r\n" + SMUGGLED);
  }

  @Test
  void should_still_take_a_plain_chunked_body(TestProxy proxy) {
    String json = "{\"enabled\":true}";
    String answer = RawHttp.exchange(proxy.server().port(), "POST /api/sanitizer/toggle HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n");
    assertEquals(200, RawHttp.status(answer), answer);
    assertEquals(true, new JsonObject(RawHttp.body(answer)).getBoolean("enabled"));
  }
}
