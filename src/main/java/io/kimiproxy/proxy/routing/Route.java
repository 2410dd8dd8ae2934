package io.kimiproxy.proxy.routing;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;

/** Where one request goes: the alias the client named, its model entry and its provider. */
public record Route(String alias, ModelConfig model, ProviderConfig provider) {
  public String upstreamModel() {
    return model.upstreamModel();
  }
}
