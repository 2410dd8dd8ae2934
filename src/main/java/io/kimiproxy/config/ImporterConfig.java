package io.kimiproxy.config;

import java.nio.file.Path;

/**
 * One read-only importer. Enabled, it watches {@code path}: nothing is read until the file exists.
 *
 * @param pollMs    how often the file is looked at after it changed
 * @param maxPollMs the longest wait between looks while it stays missing or unchanged
 */
public record ImporterConfig(boolean enabled, Path path, long pollMs, long maxPollMs) {}
