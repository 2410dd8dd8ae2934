package io.kimiproxy.features.importers;

/** What an import changed: rows new to the database, rows whose numbers changed, rows already current. */
public record UpsertCounts(int inserted, int updated, int unchanged) {}
