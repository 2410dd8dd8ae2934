package io.kimiproxy.proxy.routing;

import io.kimiproxy.features.smartrouting.SmartRouter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.config.RoutingConfig;
import io.kimiproxy.features.smartrouting.SmartRouter.Candidate;
import io.kimiproxy.features.smartrouting.SmartRouter.Scored;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmartRouterTest {
  private static final RoutingConfig WEIGHTS = RoutingConfig.DEFAULTS;
  private static final double EPS = 1e-9;

  private static Candidate candidate(String alias, long window, double in, double out, Long p50) {
    return new Candidate(alias, "p-" + alias, window, 1000, in, out, p50);
  }

  private static String winner(long prompt, Candidate... candidates) {
    return SmartRouter.best(SmartRouter.score(List.of(candidates), prompt, WEIGHTS)).candidate().alias();
  }

  @Test
  void parts_follow_the_documented_formulas() {
    List<Scored> s = SmartRouter.score(List.of(
        candidate("a", 10_000, 1.0, 2.0, 100L),
        candidate("b", 100_000, 3.0, 6.0, 400L)), 4_000, WEIGHTS);
    // a: headroom 1 - 5000/10000; cost 4000*1 + 1000*2 = 6000 of b's 18000; latency 100 of 400
    assertEquals(0.5, s.get(0).headroom(), EPS);
    assertEquals(6000.0 / 18000, s.get(0).price(), EPS);
    assertEquals(0.25, s.get(0).latency(), EPS);
    assertEquals(0.5 - 6000.0 / 18000 - 0.5 * 0.25, s.get(0).score(), EPS);
    assertEquals(0.95, s.get(1).headroom(), EPS);
    assertEquals(1.0, s.get(1).price(), EPS);
    assertEquals(1.0, s.get(1).latency(), EPS);
  }

  @Test
  void with_equal_prices_the_larger_headroom_wins() {
    assertEquals("big", winner(4_000, candidate("small", 8_000, 1, 1, null), candidate("big", 128_000, 1, 1, null)));
  }

  @Test
  void the_cheaper_candidate_wins_when_headroom_is_similar() {
    assertEquals("cheap", winner(4_000, candidate("dear", 128_000, 10, 30, null),
        candidate("cheap", 120_000, 1, 3, null)));
  }

  @Test
  void the_faster_provider_wins_when_all_else_is_equal() {
    assertEquals("fast", winner(1_000, candidate("slow", 50_000, 1, 1, 900L), candidate("fast", 50_000, 1, 1, 300L)));
  }

  @Test
  void an_unknown_latency_counts_as_the_median_of_the_known_ones() {
    List<Scored> s = SmartRouter.score(List.of(candidate("a", 0, 0, 0, 100L), candidate("b", 0, 0, 0, 300L),
        candidate("c", 0, 0, 0, null)), 10, WEIGHTS);
    assertEquals(200.0 / 300, s.get(2).latency(), EPS);
  }

  @Test
  void with_no_latency_known_every_candidate_gets_one_half_and_a_free_unknown_window_gets_no_headroom() {
    List<Scored> s = SmartRouter.score(List.of(candidate("a", 0, 0, 0, null)), 10, WEIGHTS);
    assertEquals(0.5, s.get(0).latency(), EPS);
    assertEquals(0.0, s.get(0).headroom(), EPS);
    assertEquals(0.0, s.get(0).price(), EPS);
    assertEquals(-0.25, s.get(0).score(), EPS);
  }

  @Test
  void ties_go_to_the_earlier_candidate() {
    assertEquals("first", winner(100, candidate("first", 10_000, 1, 1, null), candidate("second", 10_000, 1, 1, null)));
  }

  @Test
  void the_weights_decide_between_room_and_price() {
    RoutingConfig priceOnly = new RoutingConfig(0, 1, 0, Map.of());
    List<Scored> s = SmartRouter.score(List.of(candidate("roomy", 1_000_000, 5, 5, null),
        candidate("cheap", 10_000, 1, 1, null)), 4_000, priceOnly);
    assertEquals("cheap", SmartRouter.best(s).candidate().alias());
    assertEquals("roomy", winner(4_000, candidate("roomy", 1_000_000, 1.2, 1.2, null), candidate("cheap", 10_000, 1, 1, null)));
  }
}
