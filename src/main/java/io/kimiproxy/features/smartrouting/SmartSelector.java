package io.kimiproxy.features.smartrouting;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.resilience.ProviderStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Picks the candidate a smart alias's request goes to: those whose provider has a key, whose
 * breaker is not open and whose window holds the prompt and the reserved answer are scored by
 * {@link SmartRouter}; the others are listed with why they were passed over.
 */
public final class SmartSelector {
  private final ProxyConfig config;
  private final ProviderHealthRegistry health;

  public SmartSelector(ProxyConfig config, ProviderHealthRegistry health) {
    this.config = config;
    this.health = health;
  }

  /** A candidate passed over: "no_key", "breaker_open" or "too_small". */
  public record Skipped(String alias, String provider, String reason) {}

  /** The scored candidates in configured order, the skipped ones, and the winner. */
  public record Choice(List<SmartRouter.Scored> scored, List<Skipped> skipped, SmartRouter.Scored chosen) {}

  public boolean isSmart(String alias) {
    return config.routing().isSmart(alias);
  }

  /**
   * @param reserved the tokens kept for the answer in a candidate's window, by candidate alias
   * @throws ProxyError when no candidate can take the request: 400 context_length_exceeded when
   *     one was too small, else 503 when a breaker is open, else 401 (no candidate has a key)
   */
  public Choice choose(String alias, long promptTokens, ToLongFunction<String> reserved) {
    List<SmartRouter.Candidate> fitting = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (String name : config.routing().candidates().get(alias)) {
      ModelConfig model = config.models().get(name);
      ProviderConfig provider = config.providers().get(model.provider());
      ProviderStatus status = health.of(provider.name()).status();
      long keep = reserved.applyAsLong(name);
      String reason = !provider.configured() ? "no_key"
          : "open".equals(status.breaker()) ? "breaker_open"
          : model.maxContext() > 0 && promptTokens + keep > model.maxContext() ? "too_small" : null;
      if (reason != null) {
        skipped.add(new Skipped(name, provider.name(), reason));
      } else {
        fitting.add(new SmartRouter.Candidate(name, provider.name(), model.maxContext(), keep, model.inputPrice(),
            model.outputPrice(), status.latencyP50Ms()));
      }
    }
    if (fitting.isEmpty()) throw none(alias, promptTokens, skipped);
    List<SmartRouter.Scored> scored = SmartRouter.score(fitting, promptTokens, config.routing());
    return new Choice(scored, List.copyOf(skipped), SmartRouter.best(scored));
  }

  private static ProxyError none(String alias, long promptTokens, List<Skipped> skipped) {
    List<String> reasons = skipped.stream().map(Skipped::reason).toList();
    String detail = String.join(", ", skipped.stream().map(s -> s.alias() + " (" + s.reason() + ")").toList());
    if (reasons.contains("too_small")) {
      return ProxyError.contextLengthExceeded("No candidate of '" + alias + "' can take " + promptTokens
          + " prompt tokens with room for the completion: " + detail + ". Please reduce the length of the messages.");
    }
    if (reasons.contains("breaker_open")) {
      return ProxyError.of(503, ErrorType.UPSTREAM, ProxyError.CIRCUIT_OPEN,
          "Every candidate of '" + alias + "' is unavailable: " + detail + ".");
    }
    return ProxyError.of(401, ErrorType.AUTHENTICATION, "provider_not_configured",
        "No candidate of '" + alias + "' has a provider key: " + detail + ".");
  }
}
