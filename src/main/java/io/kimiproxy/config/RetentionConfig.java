package io.kimiproxy.config;

/**
 * How long the ledger keeps its rows ({@code [storage] retention_days}, 0 = forever) and how often
 * the database is compacted ({@code vacuum_interval_h}, 0 = never on a schedule).
 */
public record RetentionConfig(int retentionDays, long vacuumEveryMs) {}
