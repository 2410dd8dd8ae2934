package io.kimiproxy.features.sanitizer;

/**
 * A tool output the sanitizer replaced by a marker, kept so it can be read back by reference.
 * The content is stored after secret redaction.
 *
 * @param hash   the reference in the marker ({@code kp:mask/<hash>})
 * @param tokens the original's size
 */
public record MaskedOutput(String hash, String sessionId, long createdMs, int tokens, String content) {}
