package io.kimiproxy.config;

/** How the proxy reports on itself besides the dashboard: its log ({@code [log]}) and traces ({@code [telemetry]}). */
public record ObservabilityConfig(LogConfig log, TelemetryConfig telemetry) {}
