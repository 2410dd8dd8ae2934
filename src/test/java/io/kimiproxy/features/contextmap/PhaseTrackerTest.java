package io.kimiproxy.features.contextmap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.config.ContextConfig;
import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.events.EventNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseTrackerTest {
  private final List<JsonObject> events = new ArrayList<>();

  private PhaseTracker tracker(Map<String, Phase> stored) {
    ContextStore store = new ContextStore() {
      @Override
      public Future<Void> save(ContextMap map) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<ContextMap> latest(String session) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<Phase> phase(String session) {
        return Future.succeededFuture(stored.get(session));
      }
    };
    return new PhaseTracker(ContextConfig.DEFAULTS, store, (type, payload) -> {
      assertEquals(EventNames.PHASE_CHANGED, type);
      events.add(payload);
    });
  }

  private static Phase observe(PhaseTracker tracker, String session, double fill) {
    return tracker.observe(session, fill).result().to();
  }

  @Test
  void should_turn_at_sixty_percent_and_back_only_under_fifty() {
    PhaseTracker tracker = tracker(Map.of());
    double[] fills = {0.30, 0.59, 0.60, 0.55, 0.50, 0.49, 0.55, 0.59, 0.61};
    Phase[] expected = {Phase.EXPANSION, Phase.EXPANSION, Phase.CONVERGENCE, Phase.CONVERGENCE, Phase.CONVERGENCE,
        Phase.EXPANSION, Phase.EXPANSION, Phase.EXPANSION, Phase.CONVERGENCE};
    for (int i = 0; i < fills.length; i++) {
      assertEquals(expected[i], observe(tracker, "s", fills[i]), "fill " + fills[i] + " (step " + i + ")");
    }
    assertEquals(List.of(
        new JsonObject().put("session", "s").put("from", "EXPANSION").put("to", "CONVERGENCE").put("fill", 0.60),
        new JsonObject().put("session", "s").put("from", "CONVERGENCE").put("to", "EXPANSION").put("fill", 0.49),
        new JsonObject().put("session", "s").put("from", "EXPANSION").put("to", "CONVERGENCE").put("fill", 0.61)), events);
  }

  @Test
  void should_continue_from_the_stored_phase_after_a_restart() {
    PhaseTracker tracker = tracker(Map.of("old", Phase.CONVERGENCE));
    assertEquals(Phase.CONVERGENCE, observe(tracker, "old", 0.55), "still above the way back");
    assertEquals(Phase.EXPANSION, observe(tracker, "new", 0.55));
    assertEquals(List.of(), events);
  }
}
