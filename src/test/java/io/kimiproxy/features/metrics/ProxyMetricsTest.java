package io.kimiproxy.features.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

  @Test
  void should_expose_a_registered_breaker_as_a_number() {
    AtomicReference<String> state = new AtomicReference<>("CLOSED");
    try (ProxyMetrics metrics = new ProxyMetrics()) {
      metrics.registerBreaker("groq", state::get);
      assertTrue(metrics.scrape().contains("kimi_breaker_state{provider=\"groq\"} 0.0"), metrics.scrape());
      state.set("OPEN");
      assertTrue(metrics.scrape().contains("kimi_breaker_state{provider=\"groq\"} 2.0"));
      state.set("HALF_OPEN");
      assertTrue(metrics.scrape().contains("kimi_breaker_state{provider=\"groq\"} 1.0"));
    }
  }

  @Test
  void should_map_breaker_state_names_whatever_their_spelling() {
    assertEquals(1, ProxyMetrics.breakerCode("half-open"));
    assertEquals(2, ProxyMetrics.breakerCode("open"));
    assertEquals(-1, ProxyMetrics.breakerCode("melted"));
    assertEquals(-1, ProxyMetrics.breakerCode(null));
  }
}
