package io.kimiproxy.proxy.upstream;

import io.vertx.core.json.JsonObject;

/**
 * What a diagnostic call to a provider showed.
 *
 * @param connectMs   time to open the connection (TCP and TLS), or null when it failed
 * @param firstByteMs time from sending the request to the answer's first byte, or null
 */
public record ProbeResult(String provider, boolean reachable, Integer status, Double connectMs, Double firstByteMs,
                          String error) {
  public JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("reachable", reachable).put("status", status)
        .put("connect_ms", connectMs).put("first_byte_ms", firstByteMs).put("error", error);
  }
}
