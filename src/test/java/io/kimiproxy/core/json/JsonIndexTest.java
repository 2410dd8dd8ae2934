package io.kimiproxy.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonIndexTest {

  private static JsonIndex index(String json) {
    return JsonIndex.ofObject(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(JsonIndex index, Span span) {
    return new String(index.bytes(), span.start(), span.length(), StandardCharsets.UTF_8);
  }

  @Test
  void should_find_top_level_fields_and_array_elements_without_decoding() {
    JsonIndex index = index(" {\"model\" : \"m\", \"messages\":[ {\"a\":[1,{\"b\":\"]\"}]} , \"x\" ,[]], \"n\":-1.5e3,"
        + "\"esc\\u0061ped\":true, \"empty\":[], \"o\":{}} ");
    assertEquals(List.of("model", "messages", "n", "escaped", "empty", "o"), List.copyOf(index.fields().keySet()));
    assertEquals("\"m\"", text(index, index.field("model")));
    List<Span> items = index.elements("messages");
    assertEquals(3, items.size());
    assertEquals("{\"a\":[1,{\"b\":\"]\"}]}", text(index, items.get(0)));
    assertEquals("\"x\"", text(index, items.get(1)));
    assertEquals("[]", text(index, items.get(2)));
    assertEquals("-1.5e3", text(index, index.field("n")));
    assertEquals(0, index.elements("empty").size());
    assertNull(index.elements("o"));
    assertEquals('{', index.kind("o"));
  }

  @Test
  void should_refuse_what_strict_json_refuses() {
    for (String bad : new String[] {"{\"a\":1,}", "{\"a\":[1,]}", "{a:1}", "{\"a\":'x'}", "{\"a\":01}", "{\"a\":1.}",
        "{\"a\":.5}", "{\"a\":NaN}", "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":1} {}", "{\"a\":1",
        "{\"a\" 1}", "{\"a\":tru}", "{\"a\":1 /* c */}", "{\"a\":1}\n// c", "[1]"}) {
      assertThrows(JsonSyntaxException.class, () -> index(bad), bad);
    }
  }

  @Test
  void should_say_where_the_error_is() {
    JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> index("{\"a\":1,\n  \"b\":}"));
    assertTrue(e.getMessage().endsWith("at line 2, column 7"), e.getMessage());
  }

  @Test
  void should_accept_valid_utf8_and_refuse_overlongs_and_surrogates() {
    index("{\"a\":\"é 漢 😀\"}");
    for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x28, (byte) 0xA1}}) {
      byte[] body = new byte[bad.length + 8];
      System.arraycopy("{\"a\":\"".getBytes(), 0, body, 0, 6);
      System.arraycopy(bad, 0, body, 6, bad.length);
      body[bad.length + 6] = '"';
      body[bad.length + 7] = '}';
      assertThrows(JsonSyntaxException.class, () -> JsonIndex.ofObject(body));
    }
  }

  @Test
  void should_scan_megabytes_of_brackets_and_strings_in_linear_time() {
    String brackets = "[".repeat(JsonIndex.MAX_DEPTH - 2) + "]".repeat(JsonIndex.MAX_DEPTH - 2);
    index("{\"a\":" + brackets + "}");
    String big = "{\"a\":\"" + "a-".repeat(2_000_000) + "\",\"b\":[" + "1,".repeat(500_000) + "1]}";
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> index(big));
    assertThrows(JsonSyntaxException.class, () -> index("{\"a\":" + "[".repeat(1_000_000) + "}"));
  }
}
