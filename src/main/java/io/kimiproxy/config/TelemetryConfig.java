package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.net.URI;
import java.util.Map;

/**
 * The {@code [telemetry]} section: OpenTelemetry traces of every request, sent over OTLP/HTTP.
 *
 * @param endpoint    the collector's traces URL (e.g. {@code http://127.0.0.1:4318/v1/traces})
 * @param serviceName the {@code service.name} resource attribute
 * @param headers     sent with every export (a collector's token): credentials, never shown
 */
public record TelemetryConfig(boolean enabled, URI endpoint, String serviceName, Map<String, Secret> headers) {}
