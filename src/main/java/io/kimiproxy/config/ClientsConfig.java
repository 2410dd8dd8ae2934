package io.kimiproxy.config;

/**
 * The client monitor and the importers of what the clients record themselves.
 *
 * @param idleAfterMs a client with nothing in flight is idle once its last request is this old
 * @param cline       Cline's task history ({@code taskHistory.json})
 * @param continueLog Continue's core log ({@code core.log})
 */
public record ClientsConfig(long idleAfterMs, ImporterConfig cline, ImporterConfig continueLog) {}
