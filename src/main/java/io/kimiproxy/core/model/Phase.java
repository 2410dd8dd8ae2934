package io.kimiproxy.core.model;

/**
 * Where a session's context is heading: EXPANSION while it has room to grow, CONVERGENCE once it
 * is full enough that it should be condensed (automatic compaction runs in this phase).
 */
public enum Phase {
  EXPANSION, CONVERGENCE
}
