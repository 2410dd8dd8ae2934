package io.kimiproxy.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentKeyTest {

  @Test
  void should_give_equal_bytes_equal_keys_wherever_they_lie() {
    byte[] a = "xxhello worldyy".getBytes(StandardCharsets.UTF_8);
    byte[] b = "hello world".getBytes(StandardCharsets.UTF_8);
    assertEquals(ContentKey.of(a, 2, 13), ContentKey.of(b));
    assertEquals(ContentKey.of("hello world"), ContentKey.of(new StringBuilder("hello world")));
  }

  @Test
  void should_tell_apart_every_prefix_and_every_one_byte_change() {
    byte[] text = new byte[300];
    for (int i = 0; i < text.length; i++) text[i] = (byte) ('a' + i % 26);
    Set<ContentKey> keys = new HashSet<>();
    for (int n = 0; n <= text.length; n++) keys.add(ContentKey.of(text, 0, n));
    for (int i = 0; i < text.length; i++) {
      byte[] changed = text.clone();
      changed[i] ^= 1;
      keys.add(ContentKey.of(changed));
    }
    assertEquals(301 + 300, keys.size());
  }

  @Test
  void should_depend_on_order_when_combined() {
    ContentKey a = ContentKey.of("a");
    ContentKey b = ContentKey.of("b");
    assertNotEquals(a.then(b), b.then(a));
    assertEquals(32, a.hex().length());
  }

  @Test
  void should_bound_a_cache_by_bytes_and_keep_the_recently_used() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(64 * 1024, s -> s.length());
    for (int i = 0; i < 1000; i++) cache.put(i, "x".repeat(1000));
    assertTrue(cache.bytes() <= 64 * 1024, "bytes " + cache.bytes());
    assertNull(cache.get(0), "the eldest went first");
    assertEquals("x".repeat(1000), cache.get(999));
    assertEquals("computed", cache.get(-1, k -> "computed"));
    assertEquals("computed", cache.get(-1));
  }
}
