package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * @param keys           client keys: server.api_keys ("key-1"...) then the named ones of [keys.NAME];
 *                       empty means no client authentication (loopback only)
 * @param allowedHosts   extra Host header names accepted besides the loopback names and {@code host}
 * @param allowedOrigins extra browser origins accepted besides the proxy's own
 */
public record ServerConfig(String host, int port, List<ClientKey> keys, long maxBodyBytes,
                           List<String> allowedHosts, List<String> allowedOrigins) {

  public boolean authRequired() {
    return !keys.isEmpty();
  }

  /** Every client key's secret, in order. */
  public List<Secret> apiKeys() {
    return keys.stream().map(ClientKey::key).toList();
  }

  /** "key-1", ..., then the named keys: what scopes and the ledger call them. */
  public Set<String> keyNames() {
    Set<String> names = new LinkedHashSet<>();
    keys.forEach(k -> names.add(k.name()));
    return names;
  }

  public ServerConfig withListen(String newHost, int newPort) {
    return new ServerConfig(newHost, newPort, keys, maxBodyBytes, allowedHosts, allowedOrigins);
  }
}
