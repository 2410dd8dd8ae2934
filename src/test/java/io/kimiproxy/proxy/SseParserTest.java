package io.kimiproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.sse.SseParser;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private static final String STREAM = ": keep-alive\n\n"
      + "event: message\ndata: {\"text\":\"héllo ✓\"}\n\n"
      + "data: first line\ndata: second line\n\n"
      + "id: 7\nretry: 100\ndata:no space\n\n"
      + "data: [DONE]\n\n";
  private static final List<SseEvent> EVENTS = List.of(
      new SseEvent("message", "{\"text\":\"héllo ✓\"}"),
      new SseEvent(null, "first line\nsecond line"),
      new SseEvent(null, "no space"),
      new SseEvent(null, "[DONE]"));

  @Test
  void should_parse_the_same_events_wherever_the_buffers_are_cut() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals(EVENTS, parse(slice(bytes, 0, cut), slice(bytes, cut, bytes.length)), "cut at byte " + cut);
    }
  }

  @Test
  void should_parse_a_stream_fed_one_byte_at_a_time() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    Buffer[] single = new Buffer[bytes.length];
    for (int i = 0; i < bytes.length; i++) single[i] = slice(bytes, i, i + 1);
    assertEquals(EVENTS, parse(single));
  }

  @Test
  void should_accept_crlf_and_cr_line_endings_cut_anywhere() {
    for (String ending : List.of("\r\n", "\r")) {
      byte[] bytes = STREAM.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertEquals(EVENTS, parse(slice(bytes, 0, cut), slice(bytes, cut, bytes.length)),
            "ending " + ending.replace("\r", "CR").replace("\n", "LF") + " cut at byte " + cut);
      }
    }
  }

  @Test
  void should_dispatch_a_last_event_without_its_blank_line_at_the_end() {
    assertEquals(List.of(new SseEvent(null, "a"), new SseEvent(null, "tail")),
        parse(Buffer.buffer("data: a\n\ndata: tail")));
    assertEquals(List.of(new SseEvent(null, "tail")), parse(Buffer.buffer("data: tail\n")));
  }

  @Test
  void should_skip_comments_and_events_without_data() {
    assertEquals(List.of(new SseEvent(null, "x")),
        parse(Buffer.buffer(": OPENROUTER PROCESSING\n\nevent: ping\n\n: c\ndata: x\n\n")));
  }

  @Test
  void should_parse_a_recorded_gemini_stream_with_crlf_framing() {
    List<SseEvent> events = parse(Buffer.buffer(Fixtures.bytes("gemini/stream-sse-text.sse")));
    assertEquals(2, events.size());
    events.forEach(e -> assertEquals('}', e.data().charAt(e.data().length() - 1), e.data()));
  }

  private static List<SseEvent> parse(Buffer... parts) {
    List<SseEvent> out = new ArrayList<>();
    SseParser parser = new SseParser(out::add);
    for (Buffer part : parts) parser.feed(part);
    parser.end();
    return out;
  }

  private static Buffer slice(byte[] bytes, int from, int to) {
    return Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, to));
  }
}
