package io.kimiproxy.api;

import io.kimiproxy.api.wiring.Foundation;

/** What a configuration reload needs from the server: the running foundation, a new generation, the swap. */
interface Generations {
  Foundation foundation();

  Generation generation(Foundation foundation);

  /** Makes {@code next} the generation new requests go to; the old one's modules close after {@code graceMs}. */
  void swap(Generation next, long graceMs);
}
