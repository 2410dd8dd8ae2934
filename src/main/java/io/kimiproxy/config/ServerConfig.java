package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.util.List;

/**
 * @param apiKeys        client keys; empty means no client authentication (loopback only)
 * @param allowedHosts   extra Host header names accepted besides the loopback names and {@code host}
 * @param allowedOrigins extra browser origins accepted besides the proxy's own
 */
public record ServerConfig(String host, int port, List<Secret> apiKeys, long maxBodyBytes,
                           List<String> allowedHosts, List<String> allowedOrigins) {

  public boolean authRequired() {
    return !apiKeys.isEmpty();
  }

  public ServerConfig withListen(String newHost, int newPort) {
    return new ServerConfig(newHost, newPort, apiKeys, maxBodyBytes, allowedHosts, allowedOrigins);
  }
}
