package io.kimiproxy.features.smartrouting;

import io.kimiproxy.config.RoutingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The score of a smart alias's candidates (docs/routing.md), on numbers only: for each candidate
 * that can take the request, headroom = 1 - (prompt + reserved) / max_context; price = the
 * request's estimated cost over the dearest candidate's; latency = the provider's recent p50 over
 * the slowest candidate's (unknown: the known ones' median, or 0.5 when none is known). score =
 * headroom_weight × headroom − price_weight × price − latency_weight × latency; the highest wins,
 * ties going to the earlier candidate.
 */
public final class SmartRouter {
  /** Latency given to every candidate when no provider among them has answered yet. */
  static final double UNKNOWN_LATENCY = 0.5;

  private SmartRouter() {}

  /**
   * One candidate able to take the request.
   *
   * @param maxContext   the window, 0 when unknown (then the headroom is 0: no room is known)
   * @param reserved     tokens kept for the answer in this candidate's window
   * @param latencyP50Ms the provider's recent median time to the response head, or null before any call
   */
  public record Candidate(String alias, String provider, long maxContext, long reserved, double inputPrice,
                          double outputPrice, Long latencyP50Ms) {
    double estimatedCost(long promptTokens) {
      return (promptTokens * inputPrice + reserved * outputPrice) / 1_000_000.0;
    }

    double headroom(long promptTokens) {
      if (maxContext == 0) return 0;
      return Math.max(0, Math.min(1, 1 - (double) (promptTokens + reserved) / maxContext));
    }
  }

  /** A candidate's parts (each 0..1) and its score. */
  public record Scored(Candidate candidate, double headroom, double price, double latency, double score) {}

  /**
   * Scores {@code candidates} (in their configured order, at least one) for a prompt of
   * {@code promptTokens}; the result keeps that order, and {@link #best} picks the winner.
   */
  public static List<Scored> score(List<Candidate> candidates, long promptTokens, RoutingConfig weights) {
    double dearest = 0;
    for (Candidate c : candidates) dearest = Math.max(dearest, c.estimatedCost(promptTokens));
    double[] latencies = latenciesMs(candidates);
    double slowest = 0;
    for (double ms : latencies) slowest = Math.max(slowest, ms);
    List<Scored> out = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      double headroom = c.headroom(promptTokens);
      double price = dearest == 0 ? 0 : c.estimatedCost(promptTokens) / dearest;
      double latency = Double.isNaN(latencies[i]) ? UNKNOWN_LATENCY : slowest == 0 ? 0 : latencies[i] / slowest;
      double score = weights.headroomWeight() * headroom - weights.priceWeight() * price
          - weights.latencyWeight() * latency;
      out.add(new Scored(c, headroom, price, latency, score));
    }
    return out;
  }

  /** The highest score; the first of equals, so the configured order settles ties. */
  public static Scored best(List<Scored> scored) {
    Scored best = scored.get(0);
    for (Scored s : scored) {
      if (s.score() > best.score()) best = s;
    }
    return best;
  }

  /** Each candidate's latency in ms, an unknown one as the known ones' median; all NaN when none is known. */
  private static double[] latenciesMs(List<Candidate> candidates) {
    List<Long> known = candidates.stream().map(Candidate::latencyP50Ms).filter(ms -> ms != null).sorted().toList();
    double median = known.isEmpty() ? Double.NaN : known.size() % 2 == 1 ? known.get(known.size() / 2)
        : (known.get(known.size() / 2 - 1) + known.get(known.size() / 2)) / 2.0;
    double[] out = new double[candidates.size()];
    for (int i = 0; i < out.length; i++) {
      Long ms = candidates.get(i).latencyP50Ms();
      out[i] = ms == null ? median : ms;
    }
    return out;
  }
}
