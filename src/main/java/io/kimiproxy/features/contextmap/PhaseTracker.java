package io.kimiproxy.features.contextmap;

import io.kimiproxy.config.ContextConfig;
import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each session's phase, with hysteresis: CONVERGENCE from {@code convergence_fill}, back to
 * EXPANSION only under {@code expansion_fill}, so a session hovering at the threshold does not
 * flap (and does not trigger compaction on every turn). Phases are kept in memory for recent
 * sessions and read from the store after a restart; each change is published.
 */
public final class PhaseTracker {
  private static final int SESSIONS_IN_MEMORY = 10_000;

  private final ContextConfig config;
  private final ContextStore store;
  private final EventSink events;
  private final Map<String, Phase> phases = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Phase> eldest) {
      return size() > SESSIONS_IN_MEMORY;
    }
  };

  public PhaseTracker(ContextConfig config, ContextStore store, EventSink events) {
    this.config = config;
    this.store = store;
    this.events = events;
  }

  /** A session's phase before and after a request of the given fill. */
  public record Transition(Phase from, Phase to, double fill) {
    public boolean changed() {
      return from != to;
    }
  }

  public Future<Transition> observe(String session, double fill) {
    return current(session).map(from -> {
      Phase to = next(from, fill);
      synchronized (phases) {
        phases.put(session, to);
      }
      Transition t = new Transition(from, to, fill);
      if (t.changed()) {
        events.publish(EventNames.PHASE_CHANGED, new JsonObject().put("session", session)
            .put("from", from.name()).put("to", to.name()).put("fill", fill));
      }
      return t;
    });
  }

  Phase next(Phase from, double fill) {
    if (from == Phase.EXPANSION) return fill >= config.convergenceFill() ? Phase.CONVERGENCE : Phase.EXPANSION;
    return fill < config.expansionFill() ? Phase.EXPANSION : Phase.CONVERGENCE;
  }

  private Future<Phase> current(String session) {
    Phase known;
    synchronized (phases) {
      known = phases.get(session);
    }
    if (known != null) return Future.succeededFuture(known);
    return store.phase(session).map(stored -> stored == null ? Phase.EXPANSION : stored);
  }
}
