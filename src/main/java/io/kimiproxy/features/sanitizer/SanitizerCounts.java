package io.kimiproxy.features.sanitizer;

import io.vertx.core.json.JsonObject;

/**
 * What the sanitizer did, summed over requests (each request is billed on its own, so an output
 * masked in ten requests saved its tokens ten times).
 */
public record SanitizerCounts(long masked, long tokensSaved, long secretsRedacted) {
  public static final SanitizerCounts ZERO = new SanitizerCounts(0, 0, 0);

  public boolean isZero() {
    return masked == 0 && tokensSaved == 0 && secretsRedacted == 0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("masked", masked).put("tokens_saved", tokensSaved).put("secrets_redacted", secretsRedacted);
  }
}
