package io.kimiproxy.features.importers;

import java.util.List;

/** Cline's usage over a time range: the total, per day (UTC) and per model, days and models in order. */
public record ClineUsage(ClineUsageGroup total, List<ClineUsageGroup> byDay, List<ClineUsageGroup> byModel) {}
