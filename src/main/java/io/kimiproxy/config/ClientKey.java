package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.util.List;

/**
 * A key a client sends ({@code Authorization: Bearer}). Those of {@code server.api_keys} are named
 * "key-1", "key-2"... by position; named keys ({@code [keys.NAME]}) are a team member's, so the
 * ledger, budgets and limits are per person. The name is what the ledger and scopes show
 * ("client:alice"); the key itself never leaves the proxy.
 *
 * @param models the aliases this key may call; empty for all
 */
public record ClientKey(String name, Secret key, List<String> models) {

  public boolean allows(String alias) {
    return models.isEmpty() || models.contains(alias);
  }
}
