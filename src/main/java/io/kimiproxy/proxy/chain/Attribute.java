package io.kimiproxy.proxy.chain;

/**
 * A typed slot for a step's own state on an exchange (its cache key, its compaction), so the
 * exchange carries what every step shares and nothing that belongs to one feature.
 */
public final class Attribute<T> {
  private final String name;

  public Attribute(String name) {
    this.name = name;
  }

  @Override
  public String toString() {
    return name;
  }
}
