package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.Phase;
import io.vertx.core.Future;

/** The latest context map and phase of each session. */
public interface ContextStore {

  /** Replaces the session's map (and with it its phase and memory share). */
  Future<Void> save(ContextMap map);

  /** The session's latest map, or null. */
  Future<ContextMap> latest(String session);

  /** The session's phase, or null when it has no map yet. */
  Future<Phase> phase(String session);
}
