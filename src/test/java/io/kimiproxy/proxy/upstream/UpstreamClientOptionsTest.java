package io.kimiproxy.proxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamClientOptionsTest {
  private static final ProxyConfig CONFIG = ConfigLoader.parse("""
      [providers.cloud]
      base_url = "https://api.example.com/v1"
      connect_timeout_s = 7
      max_connections = 16
      [providers.local]
      base_url = "http://127.0.0.1:11434/v1"
      """, Path.of("config.toml"), Map.of());

  private static ProviderConfig provider(String name) {
    return CONFIG.providers().get(name);
  }

  @Test
  void should_offer_http2_with_an_http1_fallback_over_tls() {
    HttpClientOptions options = UpstreamClient.options(provider("cloud"));
    assertTrue(options.isSsl());
    assertTrue(options.isUseAlpn());
    assertEquals(HttpVersion.HTTP_2, options.getProtocolVersion());
    assertEquals(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1), options.getAlpnVersions());
    assertTrue(options.isKeepAlive());
    assertEquals(7_000, options.getConnectTimeout());
    assertEquals(16, UpstreamClient.pool(provider("cloud")).getHttp1MaxSize());
  }

  @Test
  void should_speak_plain_http1_to_local_servers() {
    HttpClientOptions options = UpstreamClient.options(provider("local"));
    assertFalse(options.isSsl());
    assertEquals(HttpVersion.HTTP_1_1, options.getProtocolVersion());
    assertTrue(options.isKeepAlive());
  }
}
