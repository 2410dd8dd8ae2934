package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code [log]} and {@code [telemetry]}. */
final class ObservabilitySections {
  private static final long MB = 1024L * 1024;

  private ObservabilitySections() {}

  static ObservabilityConfig parse(TomlSection log, TomlSection telemetry, Path folder) {
    return new ObservabilityConfig(log(log, folder), telemetry(telemetry));
  }

  private static LogConfig log(TomlSection s, Path folder) {
    String levelName = s.string("level", "info");
    LogConfig.Level level = LogConfig.Level.parse(levelName);
    if (level == null) throw s.error("level", "'" + levelName + "' is not a level (debug, info, warn, error)");
    String format = s.string("format", "text");
    if (!format.equals("text") && !format.equals("json")) throw s.error("format", "'" + format + "' is not a format (text, json)");
    String file = s.string("file", "data/kimi-proxy.log");
    Path path = file.isBlank() ? null : Path.of(file).isAbsolute() ? Path.of(file) : folder.resolve(file).normalize();
    long maxMb = s.integer("max_size_mb", 10, 1, 10_240);
    int keep = (int) s.integer("keep", 5, 0, 100);
    s.finish();
    return new LogConfig(level, format.equals("json"), path, maxMb * MB, keep);
  }

  private static TelemetryConfig telemetry(TomlSection s) {
    boolean enabled = s.bool("enabled", false);
    String endpoint = s.string("endpoint", "http://127.0.0.1:4318/v1/traces");
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw s.error("endpoint", "'" + endpoint + "' is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw s.error("endpoint", "'" + endpoint + "' is not an http or https URL");
    }
    String service = s.string("service_name", "kimi-proxy");
    if (service.isBlank()) throw s.error("service_name", "must not be empty");
    Map<String, Secret> headers = new LinkedHashMap<>();
    s.stringMap("headers").forEach((name, value) -> {
      Secret secret = Secret.ofNullable(value);
      if (secret != null) headers.put(name, secret);
    });
    s.finish();
    return new TelemetryConfig(enabled, uri, service, Collections.unmodifiableMap(headers));
  }
}
